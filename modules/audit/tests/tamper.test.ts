import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, startApp } from '../../../tests/support/tempApp';
import { entryHash, GENESIS_HASH, pageQuery, storedEntry, type EntryRow } from '../chain';
import type { VerifyProblem, VerifyProgress, VerifyReport } from '../contract';
import { AuditStore, LAST_ENTRY } from '../store';
import { auditApp, FIRST_RUN_ENTRIES, forgetTerminals, type AuditApp } from './support';

const apps: AuditApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.t.cleanup()));

/**
 * Four entries after the first run's: the block sealing an item's creation and two approvals
 * (events #1–#3; checking the chain seals them), a comment, a rename, and the block sealing the
 * comment's row (checking the chain again seals it).
 */
async function withLog() {
  const a = auditApp();
  apps.push(a);
  await a.t.call('workItems.create', { title: 'Hydraulic pump', workflowId: 'template:standard', submit: true });
  await a.t.call('workItems.approve', { id: 1, expectedVersion: 1 });
  await a.t.call('workItems.approve', { id: 1, expectedVersion: 2 });
  await a.t.call('audit.verify');
  a.advance(1_000);
  await a.t.call('comments.add', { itemId: 1, text: 'Done' });
  await a.t.call('departments.rename', { id: 1, name: 'Engineering Dept' });
  await a.t.call('audit.verify');
  return a;
}

/** Three entries after the first run's, none of them a block: department changes. */
async function withEntries() {
  const a = auditApp();
  apps.push(a);
  await a.t.call('departments.rename', { id: 1, name: 'Engineering Dept' });
  await a.t.call('departments.create', { name: 'Stores', code: 'STO' });
  await a.t.call('departments.rename', { id: 1, name: 'Engineering' });
  return a;
}

/** A report of one problem, with the entries before it. */
const brokenAt = (entries: number, problem: VerifyProblem): VerifyReport => ({ ok: false, entries, broken: problem, problems: [problem], problemCount: 1, notes: [] });

/** Edits the file as someone with it could: triggers dropped first, then raw SQL. */
function tamper(a: AuditApp, statements: string[], run?: (db: ReturnType<AuditApp['openFile']>) => void) {
  const file = a.openFile();
  try {
    file.exec('drop trigger audit_log_no_update; drop trigger audit_log_no_delete;');
    for (const s of statements) file.exec(s);
    run?.(file);
  } finally {
    file.close();
  }
}

const verify = (a: AuditApp) => a.t.call<VerifyReport>('audit.verify');
/** The seq of the nth entry withLog wrote (1-based). */
const n = (i: number) => FIRST_RUN_ENTRIES + i;

/** When migration 0003 (hashes as bytes) was made: its row in the migrations table, with those after it, is removed to run it again. */
const MIGRATION_0003_WHEN = 1796143614284;

describe('verify walks the hash chain', () => {
  it('says OK with the count and the last hash on an untouched log', async () => {
    const a = await withLog();
    const report = await verify(a);
    // The last entry is the comment's block, which is not listed: its hash, as the file holds it.
    const file = a.openFile();
    const last = { hash: file.prepare('select lower(hex(hash)) from audit_log order by seq desc limit 1').pluck().get() as string };
    file.close();
    expect(report).toEqual({ ok: true, entries: n(4), events: 3, records: 1, lastSeq: n(4), lastHash: last.hash, notes: [] });
    expect(await a.t.call<VerifyProgress>('audit.verifyProgress')).toEqual({ running: false, checked: n(4), total: n(4) });
  });

  it('reports exactly the row whose field was edited in SQLite', async () => {
    const a = await withLog();
    tamper(a, [`update audit_log set actor_name = 'Mallory' where seq = ${n(2)}`]);
    expect(await verify(a)).toEqual(
      brokenAt(n(1), { seq: n(2), kind: 'content-altered', message: `Entry #${n(2)} was changed after it was written: its content no longer matches its hash.` }),
    );
  });

  it('reports an edit of the before/after JSON too', async () => {
    const a = await withLog();
    tamper(a, [`update audit_log set after_json = replace(after_json, 'Engineering Dept', 'Eng') where seq = ${n(3)}`]);
    expect(await verify(a)).toMatchObject({ ok: false, broken: { seq: n(3), kind: 'content-altered' } });
  });

  it("names the event, and its field, of an edit of a sealed transition: not only the block that seals it", async () => {
    const a = await withLog();
    tamper(a, [`update transition_events set comment = 'Signed off without checks' where item_id = 1 and seq = 2`]);
    expect(await verify(a)).toEqual(
      brokenAt(n(0), {
        seq: n(1),
        kind: 'row-changed',
        table: 'transition_events',
        row: 'item 1 seq 2',
        field: 'comment',
        eventId: 2,
        message: `transition_events item 1 seq 2: comment is not what was sealed (it reads 'Signed off without checks' now; sealed by entry #${n(1)}).`,
      }),
    );
  });

  it("names the item's own row and column for an edit of its creation's values", async () => {
    const a = await withLog();
    tamper(a, [`update work_items set title = 'Hydraulic pump (replaced)' where id = 1`]);
    expect(await verify(a)).toEqual(
      brokenAt(n(0), {
        seq: n(1),
        kind: 'row-changed',
        table: 'work_items',
        row: '1',
        field: 'title',
        eventId: 1,
        message: `work_items row 1: title is not what was sealed (it reads 'Hydraulic pump (replaced)' now; sealed by entry #${n(1)}).`,
      }),
    );
  });

  it('names the block only for a block sealed before events had prints (an older log)', async () => {
    const a = await withLog();
    tamper(a, [], (file) => {
      // Sealed before prints, so before terminals too.
      forgetTerminals(file);
      // The block as the sealer wrote it before prints: its after without them, its hash (and the next link) recomputed.
      const rows = drizzle(file).all<EntryRow>(pageQuery(n(0), 2)).map(storedEntry);
      const old = { ...rows[0]!, afterJson: JSON.stringify((({ prints: _p, ...rest }) => rest)(JSON.parse(rows[0]!.afterJson!))) };
      const hash = entryHash(old.prevHash, old);
      const next = { ...rows[1]!, prevHash: hash };
      file.prepare('update audit_log set after_json = ?, hash = unhex(?) where seq = ?').run(old.afterJson, hash, old.seq);
      file.prepare('update audit_log set prev_hash = unhex(?), hash = unhex(?) where seq = ?').run(hash, entryHash(hash, next), next.seq);
      file.exec(`update transition_events set comment = 'Signed off without checks' where item_id = 1 and seq = 2`);
    });
    const report = await verify(a);
    expect(report).toMatchObject({ ok: false, entries: n(0), broken: { seq: n(1), kind: 'content-altered' } });
    expect(!report.ok && report.broken.message).toBe(
      `Entry #${n(1)} seals events #1–#3 of transition_events: one of them, or the item it belongs to, was changed after it was sealed (it was sealed before events were fingerprinted one by one, so the event cannot be named).`,
    );
  });

  it("reports a sealed event deleted or added, the block's columns changed, or its summary rewritten", async () => {
    const deleted = await withLog();
    tamper(deleted, [`delete from transition_events where item_id = 1 and seq = 3`]);
    expect(await verify(deleted)).toEqual(
      brokenAt(n(0), { seq: n(1), kind: 'row-deleted', table: 'transition_events', row: 'id 3', message: `transition_events id 3: deleted after it was sealed (by entry #${n(1)}).` }),
    );

    const columns = await withLog();
    tamper(columns, [`update audit_log set last_event_id = 2 where seq = ${n(1)}`]);
    expect(await verify(columns)).toMatchObject({ ok: false, broken: { seq: n(1), kind: 'content-altered', message: expect.stringContaining('columns were changed') } });

    const overwritten = await withLog();
    tamper(overwritten, [`update audit_log set after_json = replace(after_json, '"count":3', '"count":2') where seq = ${n(1)}`]);
    expect(await verify(overwritten)).toMatchObject({ ok: false, entries: n(0), broken: { seq: n(1), kind: 'content-altered' } });
  });

  it('reports a deleted row as a gap', async () => {
    const a = await withLog();
    tamper(a, [`delete from audit_log where seq = ${n(2)}`]);
    expect(await verify(a)).toMatchObject({ ok: false, entries: n(1), broken: { seq: n(2), kind: 'missing', message: expect.stringContaining(`jumps from #${n(1)} to #${n(3)}`) } });
  });

  it('reports entries cut off the end, and keeps the gap visible when the app writes on', async () => {
    const a = await withLog();
    tamper(a, [`delete from audit_log where seq >= ${n(2)}`]);
    expect(await verify(a)).toMatchObject({ ok: false, entries: n(1), broken: { seq: n(2), kind: 'missing', message: `Entries #${n(2)}–#${n(4)} are missing from the end of the log.` } });
    await a.t.call('comments.add', { itemId: 1, text: 'After the cut' });
    const report = await verify(a);
    expect(report).toMatchObject({ ok: false, broken: { seq: n(2), kind: 'missing', message: expect.stringContaining(`jumps from #${n(1)} to #${n(5)}`) } });
    // The comment's block went with the cut: the next block of comments starts after the row it sealed.
    expect(!report.ok && report.problems.map((p) => p.message)).toContainEqual(
      `comments rows #1 were never sealed: entry #${n(6)} seals rows after #1, and the blocks before it end at #0 (the sealing mark was moved).`,
    );
  });

  it('reports a forged row with a recomputed hash at the next link', async () => {
    const a = await withLog();
    tamper(a, [], (file) => {
      const row = storedEntry(drizzle(file).all<EntryRow>(pageQuery(n(1), 1))[0]!);
      const forged = { ...row, actorName: 'Mallory' };
      file.prepare('update audit_log set actor_name = ?, hash = ? where seq = ?').run('Mallory', entryHash(row.prevHash, forged), n(2));
    });
    expect(await verify(a)).toMatchObject({ ok: false, entries: n(2), broken: { seq: n(3), kind: 'link-broken', message: expect.stringContaining(`does not link to entry #${n(2)}`) } });
  });

  it('reports a first entry that does not start from the genesis hash', async () => {
    const a = await withLog();
    tamper(a, [], (file) => {
      const fake = 'f'.repeat(64);
      const row = storedEntry(drizzle(file).all<EntryRow>(pageQuery(0, 1))[0]!);
      file.prepare('update audit_log set prev_hash = ?, hash = ? where seq = 1').run(fake, entryHash(fake, row));
    });
    expect(await verify(a)).toMatchObject({ ok: false, entries: 0, broken: { seq: 1, kind: 'link-broken' } });
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('walks a log longer than one page', async () => {
    const a = await withLog();
    const file = a.openFile();
    const store = new AuditStore(drizzle(file), async () => []);
    file.transaction(() => {
      for (let i = 0; i < 4500; i++) store.append({ entity: 'thing', entityId: String(i), action: 'touched', after: { i }, actor: { id: 'x', name: 'X' }, at: i });
    })();
    file.close();
    const report = await verify(a);
    expect(report).toMatchObject({ ok: true, entries: n(4504), events: 3, lastSeq: n(4504) });
    expect(await a.t.call<VerifyProgress>('audit.verifyProgress')).toEqual({ running: false, checked: n(4504), total: n(4504) });
  });
});

describe('appending stays one row read however large the log is', () => {
  it("finds the newest entry by rowid even with planner statistics from when the log was small, and close brings the statistics up to date", async () => {
    const a = await withEntries();
    const file = a.openFile();
    file.exec('analyze');
    const store = new AuditStore(drizzle(file), async () => []);
    file.transaction(() => {
      for (let i = 0; i < 2000; i++) store.append({ entity: 'thing', entityId: String(i), action: 'touched', after: { i }, actor: { id: 'x', name: 'X' }, at: i });
    })();
    const plan = () => file.prepare(`explain query plan ${LAST_ENTRY}`).all().map((r) => (r as { detail: string }).detail);
    const rowsStated = () => file.prepare(`select stat from sqlite_stat1 where idx = 'audit_log_at'`).pluck().get() as string;
    expect(rowsStated().split(' ')[0]).toBe(String(n(3)));
    // The plan SQLite would pick for "order by seq desc" with these statistics sorts the whole log; this one reads the last row.
    expect(plan()).toEqual(['SCAN audit_log']);
    file.close();
    a.t.app.close();
    const after = a.openFile();
    try {
      expect(after.prepare(`select stat from sqlite_stat1 where idx = 'audit_log_at'`).pluck().get()).toMatch(new RegExp(`^${n(2003)} `));
    } finally {
      after.close();
    }
  });
});

describe('migration 0003: hashes stored as bytes', () => {
  it('turns a log of hex text hashes into bytes, every entry still verifying, keeping the highest seq issued and the append-only triggers', async () => {
    const a = await withEntries();
    a.t.app.close();
    const file = a.openFile();
    // Back to the form before 0003 (text hashes, and no later migration), with the newest entry cut off the end.
    file.exec(`drop trigger audit_log_no_update; drop trigger audit_log_no_delete;`);
    forgetTerminals(file);
    file.exec(`alter table audit_log drop column terminal;
      update audit_log set prev_hash = lower(hex(prev_hash)), hash = lower(hex(hash));
      delete from audit_log where seq = ${n(3)};
      drop table audit_event_mark; drop table audit_event_facets; drop table audit_record_mark;
      drop index audit_log_block; alter table audit_log drop column first_event_id; alter table audit_log drop column last_event_id;
      delete from __migrations_audit where created_at >= ${MIGRATION_0003_WHEN};`);
    expect(file.prepare(`select count(*) from audit_log where typeof(hash) = 'text'`).pluck().get()).toBe(n(2));
    file.close();

    const again = a.t.reopen();
    apps.push({ ...a, t: again });
    const db = a.openFile();
    try {
      expect(db.prepare(`select typeof(prev_hash) || ' ' || typeof(hash) || ' ' || length(hash) from audit_log group by 1`).pluck().all()).toEqual(['blob blob 32']);
      expect(db.prepare(`select seq from sqlite_sequence where name = 'audit_log'`).pluck().get()).toBe(n(3));
      expect(() => db.exec(`update audit_log set actor_name = 'Mallory' where seq = 1`)).toThrow(/append-only/);
    } finally {
      db.close();
    }
    // Entries #1–#n(2) verify; the cut is still seen.
    expect(await again.call('audit.verify')).toMatchObject({ ok: false, entries: n(2), broken: { seq: n(3), kind: 'missing' } });
  });
});

describe('npm run audit:verify', () => {
  const cli = join(projectRoot, 'out', 'main', 'cli', 'audit.js');
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first.`);
  });
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

  it('prints OK and the count and exits 0 on an intact log (a folder or the .sqlite file)', async () => {
    const a = await withLog();
    a.t.app.close();
    const byFolder = run('--data-dir', a.t.dataDir);
    expect(byFolder.stdout).toMatch(
      new RegExp(`^OK: ${n(4)} entries, sealing 3 work-item events and 1 record \\(comments 1\\) in blocks, the chain is intact\\. Last entry #${n(4)}, hash [0-9a-f]{64}\\.$`, 'm'),
    );
    expect(byFolder.status).toBe(0);
    expect(run(join(a.t.dataDir, 'aviation-workflow.sqlite')).status).toBe(0);
  });

  it('says how many events are not in the chain yet, when a process without the module wrote them', async () => {
    const a = await withLog();
    a.t.app.close();
    const settingsPath = join(a.t.dataDir, 'settings-without-audit.json');
    const settings = JSON.parse(readFileSync(join(a.t.dataDir, 'settings.json'), 'utf8'));
    writeFileSync(settingsPath, JSON.stringify({ ...settings, modules: { ...settings.modules, audit: { enabled: false } } }));
    const other = startApp({ settingsPath }, a.t.dataDir);
    await other.call('workItems.create', { title: 'Static port', workflowId: 'template:standard', submit: true });
    other.app.close();
    const result = run('--data-dir', a.t.dataDir);
    expect(result.stdout).toContain(`OK: ${n(4)} entries`);
    expect(result.stdout).toContain('1 work-item event is not in the chain yet: the app seals them when it next runs.');
    expect(result.status).toBe(0);
  });

  it('prints the first broken entry and exits 1 on a tampered log', async () => {
    const a = await withLog();
    tamper(a, [`update audit_log set action = 'approve' where seq = ${n(2)}`]);
    const result = run('--data-dir', a.t.dataDir);
    expect(result.stdout).toContain(`BROKEN: 1 problem, at entry #${n(2)}.\n  entry #${n(2)}, content altered: Entry #${n(2)} was changed after it was written`);
    expect(result.stdout).toContain(`The ${n(1)} entries before the first problem check out.`);
    expect(result.status).toBe(1);
  });

  it('reads the events a block seals: an edited event is named', async () => {
    const a = await withLog();
    tamper(a, [`update transition_events set to_step = 2 where item_id = 1 and seq = 2`]);
    const result = run('--data-dir', a.t.dataDir);
    expect(result.stdout).toContain(`  entry #${n(1)}, row changed: transition_events item 1 seq 2: to_step is not what was sealed (it reads 2 now; sealed by entry #${n(1)}).`);
    expect(result.status).toBe(1);
  });

  it('checks a log from before work-item entries named their events (no event_seq or block columns, opened read-only)', async () => {
    const a = auditApp();
    apps.push(a);
    await a.t.call('departments.rename', { id: 1, name: 'Engineering Dept' });
    a.t.app.close();
    tamper(a, ['alter table audit_log drop column event_seq', 'drop index audit_log_block', 'alter table audit_log drop column first_event_id', 'alter table audit_log drop column last_event_id']);
    const result = run('--data-dir', a.t.dataDir);
    expect(result.stdout).toContain(`OK: ${FIRST_RUN_ENTRIES + 1} entries, the chain is intact.`);
    expect(result.status).toBe(0);
  });

  it('checks a file from before terminals were recorded (no terminal columns in audit_log or transition_events, opened read-only)', async () => {
    const a = await withLog();
    a.t.app.close();
    tamper(a, [], (file) => {
      forgetTerminals(file);
      file.exec('alter table audit_log drop column terminal; alter table transition_events drop column terminal;');
    });
    const intact = run('--data-dir', a.t.dataDir);
    expect(intact.stdout).toContain(`OK: ${n(4)} entries, sealing 3 work-item events`);
    expect(intact.status).toBe(0);
    const file = a.openFile();
    file.exec(`update transition_events set to_step = 2 where item_id = 1 and seq = 2`);
    file.close();
    const broken = run('--data-dir', a.t.dataDir);
    expect(broken.stdout).toContain(`  entry #${n(1)}, row changed: transition_events item 1 seq 2: to_step is not what was sealed (it reads 2 now; sealed by entry #${n(1)}).`);
    expect(broken.status).toBe(1);
  });

  it('exits 2 with a reason when it cannot check', () => {
    const result = run('--data-dir', join(projectRoot, 'no-such-folder'));
    expect(result.stderr).toContain('does not exist');
    expect(result.status).toBe(2);
  });

  it('is what the npm script runs', () => {
    const pkg = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").scripts)'], { cwd: projectRoot, encoding: 'utf8' }));
    expect(pkg['audit:verify']).toBe('node out/main/cli/audit.js');
  });
});
