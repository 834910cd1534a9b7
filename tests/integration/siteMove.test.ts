/**
 * Moving a site (docs/postgresql.md, "Moving a site to PostgreSQL"): a real app database made through
 * the core (people, items through approvals and rejections, comments and their revisions, assignments,
 * the audit trail sealed), moved into a throw-away PostgreSQL cluster by the real command (a child
 * process) and by moveSite; then read back from both sides and compared here, with a normalisation of
 * this test's own. The refusals leave the target as it was; a failure, a corrupted value or Ctrl-C in
 * the middle of the copy leave it empty.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/core/app';
import { MoveFailed, MoveRefused } from '../../src/core/db/pg/move/errors';
import { moveSite, type MoveOptions, type MoveReport } from '../../src/core/db/pg/move/move';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { makeDataDir, projectRoot, startApp } from '../support/tempApp';

const OWNER = 'aw_owner';
const APP = 'aw_app';
const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
const SECRET = '135790';
const CLI = join(projectRoot, 'out', 'main', 'cli', 'siteMove.js');

let server: TestPostgres;
let superuser: pg.Client;
/** The data folder of the site built once (closed), copied for each test that changes it. */
let site: string;
const temporary: string[] = [];
let databases = 0;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** A new, empty database owned by the owner role; its URL as the owner. */
async function emptyDatabase(): Promise<{ name: string; url: string }> {
  const name = `site_${++databases}`;
  await superuser.query(`create database ${name} owner ${OWNER}`);
  return { name, url: server.urlFor(OWNER, name) };
}

function copyOfSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aw-move-site-'));
  temporary.push(dir);
  cpSync(site, dir, { recursive: true });
  return dir;
}

/** A site with sign-in on, through the app's own handlers: what a hangar's database holds after some work. */
async function buildSite(): Promise<string> {
  let now = Date.parse('2026-06-01T08:00:00Z');
  const dataDir = makeDataDir();
  // Comments may be edited here, so comment_revisions has rows too.
  const settings = JSON.parse(readFileSync(join(projectRoot, 'resources', 'default-settings.json'), 'utf8'));
  settings.modules.comments = { enabled: true, config: { allowEditing: true } };
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  const t = startApp({ users: { scryptCost: 14 }, clock: () => now }, dataDir);
  const as = (session: string) => ({
    call: <T = any>(channel: string, input: unknown = {}) => t.call<T>(channel, input, session),
  });
  const office = as('office');
  await office.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret });
  const signature = { secret: ADMIN.secret };
  const quinn = await office.call<{ id: number }>('users.create', { name: 'Quinn QC', number: 'Q200', role: 'staff', departments: ['QC'], secret: SECRET });
  const gone = await office.call<{ id: number }>('users.create', { name: 'Olaf Old', number: 'O300', role: 'staff', departments: ['ENG'], secret: SECRET });
  await office.call('users.setActive', { id: gone.id, active: false });
  const stores = await office.call<{ id: number }>('departments.create', { name: 'Stores', code: 'STO' });
  await office.call('departments.setActive', { id: stores.id, active: false });
  await office.call('templates.create', {
    key: 'quick-check',
    name: 'Quick check',
    steps: [{ department: 'ENG', targetHours: 1.5 }, { department: 'QC', targetHours: 0.1 }],
    rules: { commentOnReject: true },
  });
  const workflows = (await office.call<{ id: string }[]>('workflows.list')).map((w) => w.id);
  for (let i = 1; i <= 12; i++) {
    now += 60_000;
    const metadata = { tail: `N-${100 + i}AB`, ata: '32-41-00', note: `quote " backslash \\ ünïcode ✈ ${i}` };
    let item = await office.call('workItems.create', { title: `Item ${i}: pitot probe`, workflowId: workflows[i % workflows.length], metadata, submit: true });
    if (i % 2 === 0) item = await office.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature });
    if (i % 4 === 0) item = await office.call('workItems.reject', { id: item.id, expectedVersion: item.version, toStep: 0, comment: 'Torque value missing', signature });
    if (i % 3 === 0) item = await office.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature });
    if (i % 5 === 0) await office.call('comments.add', { itemId: item.id, text: `Checked {"json": [1, 2]} on item ${i}` });
    if (item.status === 'active' && item.currentStep === 1) await office.call('assignments.assign', { itemId: item.id, userId: quinn.id, expectedVersion: item.version, reason: 'on shift' });
  }
  const comment = (await office.call<{ id: number }[]>('comments.list', { itemId: 5 }))[0]!;
  now += 1000;
  await office.call('comments.edit', { id: comment.id, text: 'Checked again' });
  await office.call('audit.verify');
  t.app.settle();
  t.app.close();
  temporary.push(t.dataDir);
  return t.dataDir;
}

beforeAll(async () => {
  server = await startPostgres();
  superuser = await connect(server.url);
  await superuser.query(`create role ${OWNER} login createrole`);
  site = await buildSite();
}, 120_000);

afterAll(async () => {
  await superuser?.end().catch(() => {});
  server?.stop();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

const lines: string[] = [];
const move = (options: Partial<MoveOptions> & { from: string; to: string }): Promise<MoveReport> =>
  moveSite({ assetsRoot: projectRoot, out: (line) => lines.push(line), ...options });

/** Every table of the target's public schema with its row count (what a refusal must leave as it was). */
async function catalog(url: string): Promise<Record<string, number>> {
  const client = await connect(url);
  try {
    const tables = (await client.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`,
    )).rows;
    const out: Record<string, number> = {};
    for (const { schema, name } of tables) out[`${schema}.${name}`] = Number((await client.query(`select count(*) from "${schema}"."${name}"`)).rows[0].count);
    return out;
  } finally {
    await client.end();
  }
}

/** A value as this test compares it: flags as 0/1, integers and int8 strings as numbers, bytes as hex. */
const plain = (value: unknown): unknown =>
  typeof value === 'boolean' ? Number(value) : Buffer.isBuffer(value) ? value.toString('hex') : typeof value === 'string' && /^-?\d+$/.test(value) ? value : value;

/** The tables SQLite and PostgreSQL both have, each read whole in key order from both sides. */
async function bothSides(dataDir: string, url: string) {
  const sqlite = new Database(join(dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  const client = await connect(url);
  try {
    const tables = (await client.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' and table_name <> 'work_items_search' order by 1`)).rows.map((r) => r.name);
    const out: { table: string; sqlite: unknown[][]; pg: unknown[][]; types: Record<string, string> }[] = [];
    for (const table of tables) {
      const columns = (await client.query<{ name: string; type: string }>(
        `select column_name as name, data_type as type from information_schema.columns where table_schema = 'public' and table_name = $1 order by ordinal_position`,
        [table],
      )).rows;
      const names = columns.map((c) => `"${c.name}"`).join(', ');
      const order = Array.from({ length: columns.length }, (_, i) => i + 1).join(', ');
      const fromSqlite = sqlite.prepare(`select ${names} from "${table}" order by ${order}`).raw(true).all() as unknown[][];
      const fromPg = (await client.query({ text: `select ${names} from "${table}" order by ${order}`, rowMode: 'array' })).rows as unknown[][];
      // SQLite's integers as numbers; PostgreSQL's int8 as numbers too, double precision as it is.
      const norm = (rows: unknown[][]) =>
        rows.map((r) => r.map((v, i) => (columns[i]!.type === 'bigint' && typeof v === 'string' ? Number(v) : columns[i]!.type === 'boolean' && typeof v === 'boolean' ? Number(v) : plain(v))));
      out.push({ table, sqlite: norm(fromSqlite), pg: norm(fromPg), types: Object.fromEntries(columns.map((c) => [c.name, c.type])) });
    }
    return out;
  } finally {
    sqlite.close();
    await client.end();
  }
}

function runCli(args: string[], env: Record<string, string> = {}, onLine?: (line: string, child: ReturnType<typeof spawn>) => void) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  const child = spawn(process.execPath, [CLI, ...args], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    for (const line of text.split('\n')) if (line) onLine?.(line, child);
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('moving a site to PostgreSQL', () => {
  let target: { name: string; url: string };
  let output = '';

  beforeAll(async () => {
    target = await emptyDatabase();
    const run = await runCli(['--from', site, '--to', target.url, '--app-role', APP]);
    output = run.output;
    expect(run.code, output).toBe(0);
  }, 120_000);

  it('prints what it checked, the progress and a report, and exits 0', () => {
    expect(output).toMatch(/Source: .*aviation-workflow\.sqlite .*quick_check ok, its data folder locked/);
    expect(output).toMatch(/Target: postgres:\/\/aw_owner@127\.0\.0\.1:\d+\/site_\d+ \(PostgreSQL 15/);
    expect(output).toMatch(/Source audit chain: intact: \d+ entries, the last #\d+, hash [0-9a-f]{64}\./);
    expect(output).toMatch(/Migrated: core, approvals, assignments, audit, comments, departments, reports, templates, users\./);
    expect(output).toMatch(/^ {2}work_items +12 +12 +equal {2}sha256 [0-9a-f]{16}$/m);
    expect(output).toMatch(/work_items_search +12 +12 +rebuilt/);
    expect(output).toMatch(/App role aw_app: granted/);
    expect(output).toMatch(/Moved and verified in [\d.]+ s: committed\./);
  });

  it('copies every table: the same rows and values, booleans, bigints and bytes converted', async () => {
    const tables = await bothSides(site, target.url);
    expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(['audit_log', 'users', 'work_items', 'transition_events', 'comments', 'comment_revisions', 'assignments', 'assignment_history', 'template_versions', 'user_signatures']));
    for (const t of tables) expect(t.pg, t.table).toEqual(t.sqlite);
    const byName = Object.fromEntries(tables.map((t) => [t.table, t]));
    // Something in each table that matters, so an empty table cannot pass for a copied one.
    for (const name of ['audit_log', 'users', 'work_items', 'transition_events', 'comments', 'comment_revisions', 'assignments', 'assignment_history', 'user_signatures']) {
      expect(byName[name]!.sqlite.length, name).toBeGreaterThan(0);
    }
    expect(byName['users']!.types['active']).toBe('boolean');
    expect(byName['audit_log']!.types['hash']).toBe('bytea');
    expect(byName['work_items']!.types['created_at']).toBe('bigint');

    const client = await connect(target.url);
    try {
      expect((await client.query(`select active from users order by id`)).rows.map((r) => r.active)).toEqual([true, true, false]);
      expect((await client.query(`select count(*)::int as n from departments where not active`)).rows[0].n).toBe(1);
      const sqlite = new Database(join(site, 'aviation-workflow.sqlite'), { readonly: true });
      const last = sqlite.prepare('select seq, hash, prev_hash, after_json from audit_log order by seq desc limit 1').get() as { seq: number; hash: Buffer; prev_hash: Buffer; after_json: string };
      const fractional = sqlite.prepare('select id, due_at from work_items where current_target_hours = 0.1').get() as { id: number; due_at: number } | undefined;
      sqlite.close();
      const copied = (await client.query('select hash, prev_hash, after_json from audit_log where seq = $1', [last.seq])).rows[0];
      expect(Buffer.isBuffer(copied.hash) && copied.hash.equals(last.hash)).toBe(true);
      expect(copied.prev_hash.equals(last.prev_hash)).toBe(true);
      expect(copied.after_json).toBe(last.after_json);
      const metadata = (await client.query(`select metadata_json from work_items where id = 1`)).rows[0].metadata_json as string;
      expect(metadata).toContain('ünïcode ✈');
      if (fractional) expect((await client.query('select due_at from work_items where id = $1', [fractional.id])).rows[0].due_at).toBe(fractional.due_at);
    } finally {
      await client.end();
    }
  });

  it('leaves the sequences past the highest ids, the triggers on and the grants in place: the app role inserts with the next id', async () => {
    const app = await connect(server.urlFor(APP, target.name));
    const owner = await connect(target.url);
    try {
      const max = async (table: string, column = 'id') => Number((await owner.query(`select max(${column}) as m from ${table}`)).rows[0].m);
      const items = await max('work_items');
      const inserted = await app.query(
        `insert into work_items (title, priority, status, workflow_id, created_by_id, created_by_name, created_at, updated_at, version)
         values ('After the move', 'normal', 'draft', 1, 'operator:x', 'X', 1, 1, 1) returning id`,
      );
      expect(Number(inserted.rows[0].id)).toBe(items + 1);
      // The search and tally triggers are on again.
      expect((await owner.query(`select body from work_items_search where rowid = $1`, [items + 1])).rows[0]?.body).toBe('After the move\n');
      const seq = await max('audit_log', 'seq');
      const entry = await app.query(
        `insert into audit_log (at, actor_id, actor_name, entity, entity_id, action, prev_hash, hash) values (1, 'a', 'A', 'x', '1', 'probe', '\\x00', '\\x00') returning seq`,
      );
      expect(Number(entry.rows[0].seq)).toBe(seq + 1);
      const departments = await max('departments');
      expect(Number((await app.query(`insert into departments (name, name_key, code, position, active, created_at) values ('Paint', 'paint', 'PNT', 9, true, 1) returning id`)).rows[0].id)).toBe(departments + 1);
      // The app role may not change the trail; the owner is refused by the guard triggers, which are on.
      await expect(app.query(`update audit_log set actor_name = 'M' where seq = 1`)).rejects.toThrow(/permission denied/);
      await expect(owner.query(`update audit_log set actor_name = 'M' where seq = 1`)).rejects.toThrow(/audit_log: the audit log is append-only/);
    } finally {
      await app.end();
      await owner.end();
    }
  });
});

describe('refusals: nothing is written to the target', () => {
  it('refuses a target that is not empty, and leaves it as it was', async () => {
    const target = await emptyDatabase();
    const owner = await connect(target.url);
    await owner.query(`create table notes (id int primary key, text text); insert into notes values (1, 'keep me')`);
    await owner.end();
    const before = await catalog(target.url);
    await expect(move({ from: site, to: target.url })).rejects.toThrow(MoveRefused);
    await expect(move({ from: site, to: target.url })).rejects.toThrow(/is not empty: notes has rows/);
    expect(await catalog(target.url)).toEqual(before);
  });

  it('refuses a target migrated by another version', async () => {
    const target = await emptyDatabase();
    const owner = await connect(target.url);
    await owner.query(`create schema drizzle; create table drizzle.__migrations_core (id serial primary key, hash text not null, created_at bigint); insert into drizzle.__migrations_core (hash, created_at) values ('not-ours', 1)`);
    await owner.end();
    const before = await catalog(target.url);
    await expect(move({ from: site, to: target.url })).rejects.toThrow(/migrated by another version/);
    expect(await catalog(target.url)).toEqual(before);
  });

  it('refuses a site in use (its core lock held by a running app), and one open in another program', async () => {
    const dataDir = copyOfSite();
    const target = await emptyDatabase();
    const running = createApp({ dataDir, assetsRoot: projectRoot, log: () => {} });
    try {
      await expect(move({ from: dataDir, to: target.url })).rejects.toThrow(/in use by another copy of Aviation Workflow .* A site being moved must be stopped/);
    } finally {
      running.close();
    }
    const viewer = new Database(join(dataDir, 'aviation-workflow.sqlite'));
    viewer.prepare('select count(*) from work_items').get();
    try {
      await expect(move({ from: join(dataDir, 'aviation-workflow.sqlite'), to: target.url })).rejects.toThrow(/Another program has .* open/);
    } finally {
      viewer.close();
    }
    expect(await catalog(target.url)).toEqual({});
  });

  it('refuses a site whose audit chain is broken; --allow-broken-chain moves it, with a warning', async () => {
    const dataDir = copyOfSite();
    const file = new Database(join(dataDir, 'aviation-workflow.sqlite'));
    file.exec(`drop trigger audit_log_no_update; update audit_log set actor_name = 'Mallory' where seq = 3`);
    file.close();
    const target = await emptyDatabase();
    lines.length = 0;
    await expect(move({ from: dataDir, to: target.url })).rejects.toThrow(/audit chain is broken .* --allow-broken-chain/);
    expect(lines.join('\n')).toMatch(/Source audit chain: BROKEN: 1 problem, at entry #3\./);
    expect(await catalog(target.url)).toEqual({});

    lines.length = 0;
    await move({ from: dataDir, to: target.url, allowBrokenChain: true });
    expect(lines.join('\n')).toMatch(/WARNING: moving a site whose audit chain is BROKEN/);
    const client = await connect(target.url);
    expect((await client.query(`select actor_name from audit_log where seq = 3`)).rows[0].actor_name).toBe('Mallory');
    await client.end();
  });

  it('refuses a database whose migrations are not all applied, and what is not an app database', async () => {
    const dataDir = copyOfSite();
    const file = new Database(join(dataDir, 'aviation-workflow.sqlite'));
    file.exec(`delete from __migrations_audit where created_at = (select max(created_at) from __migrations_audit)`);
    file.close();
    const target = await emptyDatabase();
    await expect(move({ from: dataDir, to: target.url })).rejects.toThrow(/not at this version's schema: audit \(7 of 8 migrations applied\)/);
    await expect(move({ from: join(dataDir, 'nothing-here'), to: target.url })).rejects.toThrow(/There is nothing at/);
    const notes = join(copyOfSite(), 'notes.sqlite');
    const other = new Database(notes);
    other.exec('create table notes (text text)');
    other.close();
    await expect(move({ from: notes, to: target.url })).rejects.toThrow(/not an Aviation Workflow one/);
    await expect(move({ from: join(dataDir, 'settings.json'), to: target.url })).rejects.toThrow(/is not a SQLite database/);
    expect(await catalog(target.url)).toEqual({});
  });

  it("refuses tables of a module this program does not have; --leave-behind moves the rest and says what stayed", async () => {
    const dataDir = copyOfSite();
    const file = new Database(join(dataDir, 'aviation-workflow.sqlite'));
    file.exec(`create table __migrations_gone (id integer primary key, hash text, created_at numeric); create table gone_things (id integer primary key); insert into gone_things values (1)`);
    file.close();
    const target = await emptyDatabase();
    await expect(move({ from: dataDir, to: target.url })).rejects.toThrow(/cannot move everything in the database: module gone .*; the tables gone_things\. .*--leave-behind/);
    expect(await catalog(target.url)).toEqual({});
    const report = await move({ from: dataDir, to: target.url, leaveBehind: true });
    expect(report.leftBehind).toEqual({ owners: ['gone'], tables: ['gone_things'] });
  });
});

describe('all or nothing: the target is left empty', () => {
  it('when the copy fails after its first table', async () => {
    const target = await emptyDatabase();
    const copied: string[] = [];
    const failing = move({
      from: site,
      to: target.url,
      afterTable: (table) => {
        copied.push(table);
        throw new Error('forced failure after the first table');
      },
    });
    await expect(failing).rejects.toThrow(MoveFailed);
    await expect(failing).rejects.toThrow(/forced failure after the first table/);
    expect(copied).toHaveLength(1);
    expect(await catalog(target.url)).toEqual({});
  });

  it('when a value differs after the copy (the comparison reads every column, not only the counts)', async () => {
    const target = await emptyDatabase();
    const failing = move({
      from: site,
      to: target.url,
      afterTable: async (table, client) => {
        if (table === 'users') await client.query(`update users set active = not active where id = 2`);
        if (table === 'audit_log') await client.query(`update audit_log set hash = '\\x00' || substring(hash from 2) where seq = 4`);
      },
    });
    await expect(failing).rejects.toThrow(/not the same as the SQLite database, so it was rolled back: audit_log \(1 rows differ; \d+ rows on SQLite, \d+ on PostgreSQL\); users \(1 rows differ; 3 rows on SQLite, 3 on PostgreSQL\)\./);
    const error = (await failing.catch((e: MoveFailed) => e)) as MoveFailed;
    expect(error.details).toContain('users: row id 2: active is "t" on SQLite, "f" on PostgreSQL');
    expect(error.details.some((d) => d.startsWith('audit_log: row seq 4: hash is'))).toBe(true);
    expect(await catalog(target.url)).toEqual({});
  });

  it('when a SQLite value does not fit its PostgreSQL column (SQLite kept text in an integer column): named, not cast', async () => {
    const dataDir = copyOfSite();
    const file = new Database(join(dataDir, 'aviation-workflow.sqlite'));
    file.exec(`update work_items set version = 'seven' where id = 3`);
    file.close();
    const target = await emptyDatabase();
    await expect(move({ from: dataDir, to: target.url })).rejects.toThrow('work_items row id 3: version holds the text "seven", which the integer column cannot hold as it is.');
    expect(await catalog(target.url)).toEqual({});
  });

  it('when the command is interrupted with Ctrl-C in the middle of the copy', async () => {
    const target = await emptyDatabase();
    const run = await runCli(['--from', site, '--to', target.url], { AVIATION_WORKFLOW_MOVE_TEST_PAUSE_AFTER: 'work_items' }, (line, child) => {
      if (line.startsWith('Paused after work_items')) child.kill('SIGINT');
    });
    expect(run.code, run.output).toBe(130);
    expect(run.output).toMatch(/Not moved: interrupted \(Ctrl-C\)\. Everything was rolled back/);
    expect(await catalog(target.url)).toEqual({});
  });
});
