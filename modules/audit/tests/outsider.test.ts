import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { makeDataDir, projectRoot } from '../../../tests/support/tempApp';
import { ADMIN, blockOf, call, cleanupApps, problemsOf, reopen, tamper, verify, withRecords } from './recordsApp';
import type { AuditApp } from './support';

/**
 * What someone with the database file and the sqlite3 command line could do, beyond editing a
 * row: insert rows while the app is closed, move the sealing marks, edit or delete the trail's own
 * entries, drop a table. Each is named, or at least noted, by verify.
 */
afterEach(cleanupApps);

const messages = async (a: AuditApp) => (await problemsOf(a)).map((p) => p.message);

/** Approves item 1 at Operations (its third step): event 4, e-signature 3. */
async function approveLast(a: AuditApp) {
  const { item } = await call<{ item: WorkItem }>(a, 'workItems.get', { id: 1 });
  await call(a, 'workItems.approve', { id: 1, expectedVersion: item.version, signature: { secret: ADMIN.secret } });
}

describe('rows written while the app was closed', () => {
  it('seals a signature and an event inserted while the app was closed as found, and names them', async () => {
    const a = await withRecords();
    a.t.app.close();
    const file = a.openFile();
    file.exec(`insert into transition_events (item_id, seq, action, from_status, to_status, from_step, to_step, actor_id, actor_name, comment, at)
               values (1, 4, 'approve', 'active', 'completed', 2, null, 'user:2', 'Sam Staff', null, 0)`);
    file.exec(`insert into user_signatures (item_id, event_seq, action, meaning, signer_id, signer_name, signer_number, signer_role, department, signed_at)
               values (1, 4, 'approve', 'Approved at Operations', 'user:2', 'Sam Staff', 'E1042', 'staff', 'Operations', 0)`);
    file.close();
    const again = await reopen(a);
    const report = await verify(again);
    expect(report).toMatchObject({ ok: true });
    expect(report.notes).toEqual([
      expect.stringMatching(/^transition_events ids #4 \(entry #\d+\) were already there when the app started, not written while it ran: written before a crash, while the audit trail was switched off, or outside the app\. They are sealed as they were found\.$/),
      expect.stringMatching(/^user_signatures rows #3 \(entry #\d+\) were already there when the app started/),
    ]);
  });
});

describe('the trail switched off in the app, and on again', () => {
  it('records what changed through the app meanwhile as found, once, and says so', async () => {
    const a = await withRecords();
    await call(a, 'modules.setEnabled', { name: 'audit', enabled: false });
    // Without the trail: a role changed and a comment added, through the app.
    const off = await reopen(a);
    await call(off, 'users.update', { id: 2, name: 'Sam Staff', number: 'E1042', role: 'lead', departments: ['ENG'] });
    await call(off, 'comments.add', { itemId: 1, text: 'Written while the trail was off' });
    await call(off, 'modules.setEnabled', { name: 'audit', enabled: true });
    const on = await reopen(off);
    const report = await verify(on);
    expect(report).toMatchObject({ ok: true });
    expect(report.notes).toEqual([
      expect.stringMatching(/^comments rows #2 \(entry #\d+\) were already there when the app started, not written while it ran: written before a crash, while the audit trail was switched off, or outside the app\./),
      expect.stringMatching(/^When the audit trail was switched on again and resumed comparing users rows \(entry #\d+\), 1 differed from its entries or had none: recorded as found \(entry #\d+\)\.$/),
      expect.stringMatching(/^When the audit trail was switched on again and resumed comparing comments rows \(entry #\d+\), 1 differed from its entries or had none: recorded as found \(entry #\d+\)\.$/),
    ]);
    // Once: a later start compares as usual, and a change outside the app is named again.
    const later = await reopen(on);
    tamper(later, `update users set role = 'admin' where id = 2`);
    expect(await messages(later)).toEqual([expect.stringMatching(/^users row 2: role is 'admin' but the audit trail's last recorded value is 'lead' \(entry #\d+\)\.$/)]);
  });
});

describe('sealed tables edited by hand', () => {
  it("names an earlier wording of a comment edited, and does not flag the comment's own edit", async () => {
    const dataDir = makeDataDir();
    const settings = JSON.parse(readFileSync(join(projectRoot, 'resources', 'default-settings.json'), 'utf8'));
    settings.modules.comments.config.allowEditing = true;
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
    const a = await withRecords(undefined, { dataDir });
    await call(a, 'comments.edit', { id: 1, text: 'Torque checked twice' });
    expect(await verify(a)).toMatchObject({ ok: true, records: 2 + 1 + 1 });
    tamper(a, `update comment_revisions set text = 'Nothing checked' where id = 1`);
    expect(await messages(a)).toEqual([
      `comment_revisions row 1: text is not what was sealed (it reads 'Nothing checked' now; sealed by entry #${blockOf(a, 'comment_revisions')}).`,
    ]);
  });

  it("names the item's workflow snapshot when its steps are edited, once", async () => {
    const a = await withRecords();
    tamper(a, `update workflow_snapshots set steps_json = replace(steps_json, 'Quality Control', 'QA') where id = (select workflow_id from work_items where id = 1)`);
    const problems = await problemsOf(a);
    expect(problems.map((p) => [p.table, p.field, p.kind])).toEqual([['workflow_snapshots', 'steps_json', 'row-changed']]);
    expect(problems[0]!.message).toMatch(/^workflow_snapshots row \d+: steps_json is not what was sealed \(it reads '\[.*QA.*; sealed by entry #\d+\)\.$/);
  });

  it('names a deleted comment twice over: its sealed row, and the state the trail recorded', async () => {
    const a = await withRecords();
    tamper(a, `delete from comments where id = 1`);
    expect(await messages(a)).toEqual([
      `comments row 1: deleted after it was sealed (by entry #${blockOf(a, 'comments')}).`,
      expect.stringMatching(/^comments row 1: deleted, but the audit trail's last record of it \(entry #\d+\) does not say so\.$/),
    ]);
  });

  it('names two events whose order was swapped, by id', async () => {
    const a = await withRecords();
    tamper(
      a,
      `update transition_events set seq = 99 where item_id = 1 and seq = 2`,
      `update transition_events set seq = 2 where item_id = 1 and seq = 3`,
      `update transition_events set seq = 3 where item_id = 1 and seq = 99`,
    );
    expect((await messages(a)).map((m) => m.replace(/; sealed by entry #\d+/, ''))).toEqual([
      'transition_events id 2: seq is not what was sealed (it reads 3 now).',
      'transition_events id 3: seq is not what was sealed (it reads 2 now).',
    ]);
  });

  it('names a role changed by hand even after the app recorded a later change of that user (the change is not laundered)', async () => {
    const a = await withRecords();
    tamper(a, `update users set role = 'admin' where id = 2`);
    // An admin then renames Sam in the app: its entry records the state it found (role admin) before and after.
    await call(a, 'users.update', { id: 2, name: 'Samuel Staff', number: 'E1042', role: 'admin', departments: ['ENG'] });
    expect(await messages(a)).toEqual([
      expect.stringMatching(
        /^users row 2: role was 'admin' when entry #\d+ recorded a change, but the audit trail's last recorded value before it was 'staff' \(entry #\d+\): it was changed outside the app in between\.$/,
      ),
    ]);
  });

  it("names a user's departments and number changed", async () => {
    const a = await withRecords();
    tamper(a, `update users set departments_json = '["ENG","QC"]', number = 'E9999' where id = 2`);
    // Fields in the order the chain states them (canonical JSON: by name).
    expect(await messages(a)).toEqual([
      expect.stringMatching(/^users row 2: departments is \["ENG","QC"\] but the audit trail's last recorded value is \["ENG"\] \(entry #\d+\)\.$/),
      expect.stringMatching(/^users row 2: number is 'E9999' but the audit trail's last recorded value is 'E1042' \(entry #\d+\)\.$/),
    ]);
  });

  it("names an assignment's history row edited (another module's declaration, the same way)", async () => {
    const a = await withRecords();
    const olga = await call<{ id: number }>(a, 'users.create', { name: 'Olga Ops', number: 'O7', role: 'staff', departments: ['OPS'], secret: '314159' });
    await call(a, 'assignments.assign', { itemId: 1, userId: olga.id });
    expect(await verify(a)).toMatchObject({ ok: true });
    tamper(a, `update assignment_history set to_user_name = 'Mallory' where id = 1`);
    expect(await messages(a)).toEqual([
      `assignment_history row 1: to_user_name is not what was sealed (it reads 'Mallory' now; sealed by entry #${blockOf(a, 'assignment_history')}).`,
    ]);
  });

  it('says a sealed table that was dropped cannot be read', async () => {
    const a = await withRecords();
    tamper(a, `drop table user_signatures`);
    expect(await messages(a)).toEqual([
      `user_signatures: the rows entry #${blockOf(a, 'user_signatures')} seals cannot be read (no such table: user_signatures): the table or its columns were removed.`,
    ]);
  });
});

describe('the sealing marks moved', () => {
  it("names rows a raised mark kept from being sealed, and rows a removed mark had sealed again", async () => {
    const raised = await withRecords();
    tamper(raised, `update audit_record_mark set last_key = 10 where table_name = 'user_signatures'`);
    await approveLast(raised);
    expect(await messages(raised)).toEqual(['user_signatures rows #3 were never sealed, though audit_record_mark says rows up to #10 were (the sealing mark was moved).']);

    const removed = await withRecords();
    tamper(removed, `delete from audit_record_mark where table_name = 'user_signatures'`);
    await approveLast(removed);
    expect(await messages(removed)).toEqual([
      expect.stringMatching(/^Entry #\d+ seals user_signatures rows after #0 again: the blocks before it sealed them up to #2 \(the sealing mark was moved back\)\.$/),
    ]);
  });

  it("names events a raised mark kept from being sealed, and a lowered one that seals them again", async () => {
    const raised = await withRecords();
    tamper(raised, `update audit_event_mark set last_event_id = 10`);
    await approveLast(raised);
    expect(await messages(raised)).toEqual(['transition_events ids #4 (1) were never sealed, though audit_event_mark says events up to #10 were (the sealing mark was moved).']);

    const lowered = await withRecords();
    tamper(lowered, `update audit_event_mark set last_event_id = 1`);
    await approveLast(lowered);
    expect(await messages(lowered)).toEqual([expect.stringMatching(/^Entry #\d+ seals events #2–#4 again: the blocks before it sealed up to #3 \(the sealing mark was moved back\)\.$/)]);
  });
});

describe("the trail's own entries edited", () => {
  it("reports a block entry whose digest was rewritten once, at the entry, not also as its rows", async () => {
    const a = await withRecords();
    const block = blockOf(a, 'user_signatures');
    tamper(a, `update audit_log set after_json = replace(after_json, '"digest":"', '"digest":"0') where seq = ${block}`);
    expect(await messages(a)).toEqual([`Entry #${block} was changed after it was written: its content no longer matches its hash.`]);
  });

  it("reports a deleted coverage entry as a gap, and a rewritten one that drops a field at its entry", async () => {
    const deleted = await withRecords();
    const file = deleted.openFile();
    const coverage = file.prepare(`select seq from audit_log where entity = 'audit-coverage' and entity_id = 'users'`).pluck().get() as number;
    file.close();
    tamper(deleted, `delete from audit_log where seq = ${coverage}`, `update users set role = 'admin' where id = 2`);
    const problems = await problemsOf(deleted);
    expect(problems[0]).toMatchObject({ kind: 'missing', seq: coverage });

    const rewritten = await withRecords();
    tamper(rewritten, `update audit_log set after_json = replace(after_json, ',"role":{"as":"value","column":"role"}', '') where seq = ${coverage}`, `update users set role = 'admin' where id = 2`);
    // A declaration that fails its hash is not used: users are not compared until the chain is whole again.
    expect(await messages(rewritten)).toEqual([`Entry #${coverage} was changed after it was written: its content no longer matches its hash.`]);
  });
});
