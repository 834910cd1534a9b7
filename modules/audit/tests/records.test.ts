import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discoveredModules } from '../../../src/core/modules/discovered';
import type { ModuleDefinition } from '../../../src/core/modules/types';
import { projectRoot } from '../../../tests/support/tempApp';
import type { AuditEntry } from '../contract';
import { forgetTerminals, type AuditApp } from './support';
import { blockOf, call, cleanupApps, entries, problemsOf, reopen, tamper, verify, withRecords } from './recordsApp';

/**
 * Tamper evidence beyond the changes reported with recordChange: e-signatures and comments are
 * sealed into the chain as records, users' and comments' current state is compared with what the
 * trail last recorded, and a sealed event is named by its item, seq and field. Each test edits the
 * file as someone with it and the sqlite3 command line could: the triggers dropped first.
 */
afterEach(cleanupApps);

/** When migration 0006 (records sealed) was made: its row in the migrations table is removed to run it again. */
const MIGRATION_0006_WHEN = 1796644249702;

describe('e-signatures are sealed: an edited, deleted or inserted row is named', () => {
  it("names the row and the column of an edited signer's name", async () => {
    const a = await withRecords();
    const block = blockOf(a, 'user_signatures');
    tamper(a, `update user_signatures set signer_name = 'Mallory' where id = 2`);
    expect(await problemsOf(a)).toEqual([
      {
        kind: 'row-changed',
        seq: block,
        table: 'user_signatures',
        row: '2',
        field: 'signer_name',
        message: `user_signatures row 2: signer_name is not what was sealed (it reads 'Mallory' now; sealed by entry #${block}).`,
      },
    ]);
  });

  it('names each column of one edited row, and both rows of two edited differently, with the columns changed among them', async () => {
    const a = await withRecords();
    const block = blockOf(a, 'user_signatures');
    tamper(a, `update user_signatures set meaning = 'Approved at Operations', department = 'Operations' where id = 1`);
    expect((await problemsOf(a)).map((p) => [p.row, p.field, p.message])).toEqual([
      ['1', 'meaning', `user_signatures row 1: meaning is not what was sealed (it reads 'Approved at Operations' now; sealed by entry #${block}).`],
      ['1', 'department', `user_signatures row 1: department is not what was sealed (it reads 'Operations' now; sealed by entry #${block}).`],
    ]);
    // A block keeps a print per row and per column, not per cell: which of the changed columns is in which row cannot be told.
    tamper(a, `update user_signatures set department = 'Engineering' where id = 1`, `update user_signatures set signer_name = 'Mallory' where id = 2`);
    expect(await problemsOf(a)).toEqual(
      ['1', '2'].map((row) => ({
        kind: 'row-changed',
        seq: block,
        table: 'user_signatures',
        row,
        message: `user_signatures row ${row}: not what was sealed (among this block's changed rows, these changed: meaning, signer_name; sealed by entry #${block}).`,
      })),
    );
  });

  it('names a signature deleted, and one inserted inside the sealed range', async () => {
    const a = await withRecords();
    const block = blockOf(a, 'user_signatures');
    tamper(a, `delete from user_signatures where id = 2`);
    expect(await problemsOf(a)).toEqual([
      { kind: 'row-deleted', seq: block, table: 'user_signatures', row: '2', message: `user_signatures row 2: deleted after it was sealed (by entry #${block}).` },
    ]);
    // Put back with another signer: a row the block never sealed, where the sealed one was.
    tamper(
      a,
      `insert into user_signatures (id, item_id, event_seq, action, meaning, signer_id, signer_name, signer_number, signer_role, department, signed_at)
       values (2, 1, 3, 'approve', 'Approved at Quality Control', 'user:2', 'Sam Staff', 'E1042', 'staff', 'Quality Control', 0)`,
    );
    // Every column that differs from the sealed row, one problem each.
    expect((await problemsOf(a)).map((p) => [p.kind, p.row, p.field])).toEqual(
      ['signer_id', 'signer_name', 'signer_number', 'signer_role', 'signed_at'].map((column) => ['row-changed', '2', column]),
    );
  });

  it('names a row put back inside a sealed range that the block did not seal (it was gone when sealed)', async () => {
    const a = await withRecords(undefined, { verified: false });
    const file = a.openFile();
    const row = file.prepare('select * from user_signatures where id = 1').get() as Record<string, unknown>;
    file.close();
    tamper(a, `delete from user_signatures where id = 1`);
    expect(await verify(a)).toMatchObject({ ok: true });
    const block = blockOf(a, 'user_signatures');
    const columns = Object.keys(row);
    const f = a.openFile();
    f.prepare(`insert into user_signatures (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
    f.close();
    expect(await problemsOf(a)).toEqual([
      { kind: 'row-added', seq: block, table: 'user_signatures', row: '1', message: `user_signatures row 1: added inside a range already sealed (by entry #${block}), and not sealed itself.` },
    ]);
  });

  it('names the rows of two signatures swapped', async () => {
    const a = await withRecords();
    tamper(
      a,
      `update user_signatures set id = 99 where id = 1`,
      `update user_signatures set id = 1 where id = 2`,
      `update user_signatures set id = 2 where id = 99`,
    );
    const problems = await problemsOf(a);
    expect(problems.map((p) => [p.table, p.row, p.kind])).toEqual([
      ['user_signatures', '1', 'row-changed'],
      ['user_signatures', '2', 'row-changed'],
    ]);
  });
});

describe("users' state is compared with the trail's last record of it", () => {
  it("names a role changed from staff to admin in the users table", async () => {
    const a = await withRecords();
    tamper(a, `update users set role = 'admin' where id = 2`);
    const [problem, ...rest] = await problemsOf(a);
    expect(rest).toEqual([]);
    expect(problem).toEqual({
      kind: 'state-differs',
      seq: expect.any(Number),
      table: 'users',
      row: '2',
      field: 'role',
      message: `users row 2: role is 'admin' but the audit trail's last recorded value is 'staff' (entry #${problem!.seq}).`,
    });
    const recorded = (await entries(a)).find((e) => e.entity === 'user' && e.entityId === '2' && e.action === 'created');
    expect(problem!.seq).toBe(recorded!.seq);
  });

  it('does not compare the secret hash, failed attempts or lock time, which change without entries', async () => {
    const a = await withRecords();
    // Whichever of these the users table has (lockouts may live in a table of their own).
    const file = a.openFile();
    const columns = new Set((file.prepare(`select name from pragma_table_info('users')`).pluck().all() as string[]));
    file.close();
    const unaudited = ['failed_attempts = 3', 'locked_until = 1', `recovery_hash = 'y'`].filter((set) => columns.has(set.split(' ')[0]!));
    tamper(a, `update users set ${["secret_hash = 'x'", 'updated_at = 5', ...unaudited].join(', ')} where id = 2`);
    expect(await verify(a)).toMatchObject({ ok: true });
  });

  it('names a user inserted outside the app, one deleted, and one made active again', async () => {
    const a = await withRecords();
    await call(a, 'users.setActive', { id: 2, active: false });
    tamper(
      a,
      `insert into users (id, name, number, role, departments_json, active, secret_hash, created_at, updated_at) values (7, 'Eve', 'X9', 'admin', '[]', 1, 'x', 0, 0)`,
      `update users set active = 1 where id = 2`,
    );
    const problems = await problemsOf(a);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^users row 2: active is true but the audit trail's last recorded value is false \(entry #\d+\)\.$/),
      'users row 7: not in the audit trail: no entry records user 7 (added outside the app, or while the audit trail was off).',
    ]);
    tamper(a, `delete from users where id = 7`, `delete from users where id = 2`);
    expect((await problemsOf(a)).map((p) => p.message)).toEqual([expect.stringMatching(/^users row 2: deleted, but the audit trail's last record of it \(entry #\d+\) does not say so\.$/)]);
  });
});

describe('comments', () => {
  it("names a comment's edited text, and its author changed", async () => {
    const a = await withRecords();
    const block = blockOf(a, 'comments');
    tamper(a, `update comments set text = 'Torque not checked' where id = 1`);
    expect(await problemsOf(a)).toEqual([
      {
        kind: 'state-differs',
        seq: expect.any(Number),
        table: 'comments',
        row: '1',
        field: 'text',
        message: expect.stringMatching(/^comments row 1: text is 'Torque not checked' but the audit trail's last recorded value is 'Torque checked' \(entry #\d+\)\.$/),
      },
    ]);
    tamper(a, `update comments set text = 'Torque checked', author_name = 'Mallory' where id = 1`);
    expect(await problemsOf(a)).toEqual([
      expect.objectContaining({ kind: 'row-changed', seq: block, table: 'comments', row: '1', field: 'author_name' }),
    ]);
  });
});

describe('work items’ events: the event in a sealed block is named', () => {
  it('names the item, seq and field of one edited event, not only its block', async () => {
    const a = await withRecords();
    tamper(a, `update transition_events set to_step = 0 where item_id = 1 and seq = 3`);
    const [problem, ...rest] = await problemsOf(a);
    expect(rest).toEqual([]);
    expect(problem).toEqual({
      kind: 'row-changed',
      seq: expect.any(Number),
      table: 'transition_events',
      row: 'item 1 seq 3',
      field: 'to_step',
      eventId: 3,
      message: expect.stringMatching(/^transition_events item 1 seq 3: to_step is not what was sealed \(it reads 0 now; sealed by entry #\d+\)\.$/),
    });
  });

  it("names the item's title edited after its creation was sealed, and an event deleted", async () => {
    const a = await withRecords();
    tamper(a, `update work_items set title = 'Hydraulic pump (replaced)' where id = 1`);
    expect((await problemsOf(a)).map((p) => p.message)).toEqual([
      expect.stringMatching(/^work_items row 1: title is not what was sealed \(it reads 'Hydraulic pump \(replaced\)' now; sealed by entry #\d+\)\.$/),
    ]);
    tamper(a, `update work_items set title = 'Hydraulic pump' where id = 1`, `delete from transition_events where id = 2`);
    expect(await problemsOf(a)).toEqual([
      expect.objectContaining({ kind: 'row-deleted', table: 'transition_events', row: 'id 2', message: expect.stringMatching(/^transition_events id 2: deleted after it was sealed \(by entry #\d+\)\.$/) }),
    ]);
  });
});

describe('several problems are all listed, a handful at a time in the CLI', () => {
  const cli = join(projectRoot, 'out', 'main', 'cli', 'audit.js');
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first.`);
  });

  const all = (a: AuditApp) => spawnSync(process.execPath, [cli, '--data-dir', a.t.dataDir, '--all'], { encoding: 'utf8' });

  it('lists every problem with a count, and the command line prints a few and how many more', async () => {
    const a = await withRecords();
    tamper(
      a,
      `update user_signatures set signer_name = 'Mallory'`,
      `update users set role = 'lead' where id = 2`,
      `update comments set text = 'Nothing'`,
      `update transition_events set actor_name = 'Mallory'`,
    );
    const report = await verify(a);
    expect(report.ok).toBe(false);
    if (report.ok) return;
    // Three events, two signatures, a user, a comment.
    expect(report.problemCount).toBe(7);
    expect(report.problems).toHaveLength(7);
    a.t.app.close();
    const result = spawnSync(process.execPath, [cli, '--data-dir', a.t.dataDir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^BROKEN: 7 problems, the first at entry #\d+\.$/);
    expect(lines[1]).toMatch(/^  entry #\d+, row changed: transition_events item 1 seq 1: actor_name is not what was sealed/);
    expect(lines.slice(1, 6).every((l) => l.startsWith('  entry #'))).toBe(true);
    expect(lines[6]).toBe('  … and 2 more: add --all to list every one.');
    expect(all(a).stdout).toContain("users row 2: role is 'lead' but the audit trail's last recorded value is 'staff'");
    expect(all(a).stdout).toContain("comments row 1: text is 'Nothing'");
    expect(all(a).stdout).not.toContain('more: add --all');
  });

  it('says the chain itself holds when only a table differs from the trail', async () => {
    const a = await withRecords();
    tamper(a, `update users set role = 'admin' where id = 2`);
    a.t.app.close();
    const result = spawnSync(process.execPath, [cli, '--data-dir', a.t.dataDir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      'BROKEN: 1 problem.',
      expect.stringMatching(/^  differs from the trail: users row 2: role is 'admin' but the audit trail's last recorded value is 'staff' \(entry #\d+\)\.$/),
      expect.stringMatching(/^All \d+ entries of the chain check out: the rows named were changed in their tables after the trail recorded them\.$/),
    ]);
  });
});

describe('history from before sealing, after an upgrade', () => {
  /** The modules as they were before they declared anything for the trail. */
  const undeclared = discoveredModules.map(({ folder, definition }) => ({
    folder,
    definition: {
      ...definition,
      setup: (ctx: Parameters<ModuleDefinition['setup']>[0]) => {
        const { audited: _left, ...parts } = definition.setup(ctx);
        return parts;
      },
    } as ModuleDefinition,
  }));

  it('seals the rows found at the first start as found, says so, and catches an edit after it', async () => {
    const again = await reopen(await withRecords(undeclared));
    const report = await verify(again);
    expect(report).toMatchObject({ ok: true, records: 2 + 1 });
    if (!report.ok) return;
    expect(report.notes).toContain('user_signatures rows up to #2 were written before the audit trail sealed them: they are sealed as they were found.');
    expect(report.notes).toContain('comments rows up to #1 were written before the audit trail sealed them: they are sealed as they were found.');
    const coverage = (await entries(again)).filter((e: AuditEntry) => e.entity === 'audit-coverage').map((e) => e.entityId);
    expect(coverage.sort()).toEqual(['assignments', 'comments', 'users']);
    tamper(again, `update user_signatures set signer_role = 'staff' where id = 1`);
    expect((await problemsOf(again)).map((p) => p.message)).toEqual([expect.stringContaining('user_signatures row 1: signer_role is not what was sealed')]);
  });

  it('applies migration 0006 to a log from before it, and the log keeps verifying, its rows sealed as found', async () => {
    const a = await withRecords(undeclared);
    a.t.app.close();
    const file = a.openFile();
    // Back to the form before 0006: no marks table, no index by entity id, no terminals (0007), the migrations not applied.
    file.exec('drop trigger audit_log_no_update; drop trigger audit_log_no_delete;');
    forgetTerminals(file);
    file.exec(`drop table audit_record_mark; drop index audit_log_entity_id; alter table audit_log drop column terminal;
      delete from __migrations_audit where created_at >= ${MIGRATION_0006_WHEN};`);
    file.exec(readFileSync(join(projectRoot, 'modules/audit/migrations/0001_append_only.sql'), 'utf8').replaceAll('--> statement-breakpoint', ''));
    expect(file.prepare(`select count(*) from audit_log where entity in ('sealed-records', 'audit-coverage')`).pluck().get()).toBe(0);
    file.close();
    const again = await reopen(a);
    const report = await verify(again);
    expect(report).toMatchObject({ ok: true, records: 3 });
    const db = again.openFile();
    try {
      expect(db.prepare(`select table_name, last_key from audit_record_mark order by 1`).all()).toEqual([
        { table_name: 'comments', last_key: 1 },
        { table_name: 'user_signatures', last_key: 2 },
      ]);
      expect(db.prepare(`select name from sqlite_master where name = 'audit_log_entity_id'`).pluck().get()).toBe('audit_log_entity_id');
    } finally {
      db.close();
    }
  });

  it("records, at the first comparison, users whose state the trail never recorded or recorded otherwise, as found", async () => {
    const a = await withRecords(undeclared);
    a.t.app.close();
    // Before the upgrade, someone changed a role outside the app.
    tamper(a, `update users set role = 'lead' where id = 2`);
    const again = await reopen(a);
    const report = await verify(again);
    expect(report).toMatchObject({ ok: true });
    if (!report.ok) return;
    expect(report.notes).toContainEqual(expect.stringMatching(/^When the audit trail began comparing users rows \(entry #\d+\), 1 differed from its entries or had none: recorded as found \(entry #\d+\)\.$/));
    const found = (await entries(again)).filter((e: AuditEntry) => e.action === 'found');
    expect(found).toMatchObject([{ entity: 'user', entityId: '2', actor: { id: 'system:audit' }, before: { role: 'staff' }, after: { role: 'lead' } }]);
  });
});
