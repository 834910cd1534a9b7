import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { ApprovalRecord } from '../contract';

/**
 * Migration 0001 on a database whose sign-off records have the old shape (every column copied
 * from the event): approvals.records answers exactly what it answered before, and a record the
 * events cannot reproduce is kept whole.
 */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

const OLD_SHAPE = `
  create table approval_records_old (
    id integer primary key autoincrement not null, item_id integer not null, event_seq integer not null, action text not null,
    signer_id text not null, signer_name text not null, at integer not null, from_step integer not null, from_department text not null,
    to_step integer, to_department text, meaning text not null, comment text);`;

function withDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'aviation-workflow.sqlite'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Turns the database back into the shape of approvals migration 0000, holding `records` as that version wrote them. */
function toOldShape(db: Database.Database, records: ApprovalRecord[]) {
  db.exec(OLD_SHAPE);
  const insert = db.prepare(`insert into approval_records_old (id, item_id, event_seq, action, signer_id, signer_name, at, from_step, from_department, to_step, to_department, meaning, comment)
                             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const r of records) {
    insert.run(r.id, r.itemId, r.eventSeq, r.action, r.signer.id, r.signer.name, Date.parse(r.at), r.fromStep, r.fromDepartment, r.toStep, r.toDepartment, r.meaning, r.comment);
  }
  db.exec(`drop table approval_records; drop table approval_meanings; drop table approval_records_original;
           alter table approval_records_old rename to approval_records;
           create index approval_records_item on approval_records (item_id, event_seq);
           delete from __migrations_approvals where created_at = (select max(created_at) from __migrations_approvals);`);
}

describe('approval_records migration 0001', () => {
  it('old-shape records give the same approvals.records, and records the events do not reproduce are kept whole', async () => {
    let now = Date.parse('2026-03-02T08:00:00Z');
    let t = startApp({ clock: () => now });
    apps.push(t);
    await t.call('operator.set', { name: 'Bob Engineer' }, 'bob');
    await t.call('operator.set', { name: 'Cat Inspector' }, 'cat');
    const steps = [{ name: 'Engineering' }, { name: 'Quality Control', minSignoffs: 2 }, { name: 'Operations' }];
    let a = await t.call<WorkItem>('workItems.create', { title: 'A', steps, submit: true });
    let b = await t.call<WorkItem>('workItems.create', { title: 'B', workflowId: 'template:standard', submit: true });
    const move = async (item: WorkItem, action: string, extra: Record<string, unknown> = {}, session?: string) => {
      now += 3_600_000;
      return t.call<WorkItem>(`workItems.${action}`, { id: item.id, expectedVersion: item.version, ...extra }, session);
    };
    a = await move(a, 'approve', { comment: 'Done, see card' });
    a = await move(a, 'approve', {}, 'bob'); // sign-off 1 of 2
    a = await move(a, 'reject', { toStep: 0, comment: 'Torque values missing' }, 'cat');
    a = await move(a, 'approve');
    a = await move(a, 'approve', {}, 'bob');
    a = await move(a, 'approve', {}, 'cat');
    a = await move(a, 'approve');
    b = await move(b, 'approve', {}, 'bob');
    b = await move(b, 'cancel');
    const before = { a: await t.call<ApprovalRecord[]>('approvals.records', { itemId: a.id }), b: await t.call<ApprovalRecord[]>('approvals.records', { itemId: b.id }) };
    expect(before.a.map((r) => r.meaning)).toEqual([
      'Approved at Engineering',
      'Approved at Quality Control (sign-off 1 of 2)',
      'Rejected at Quality Control, returned to Engineering',
      'Approved at Engineering',
      'Approved at Quality Control (sign-off 1 of 2)',
      'Approved at Quality Control (sign-off 2 of 2)',
      'Approved at Operations',
    ]);
    expect(before.b).toHaveLength(1);
    t.app.close();

    // The records as the old version wrote them, plus three it could have left that the events do
    // not reproduce: a signer written differently from the event, a second record of one event,
    // and a record whose event is missing. (Old ids were a count of records, so never beyond the
    // events' ids; 1 and 2 are free here: those are the creations' event ids.)
    const odd = {
      renamed: { ...before.a[3]!, signer: { ...before.a[3]!.signer, name: 'B. Engineer (licence 4711)' } },
      second: { ...before.a[6]!, id: 1, eventSeq: 8, meaning: 'Released to service' },
      orphan: { ...before.b[0]!, id: 2, eventSeq: 40, meaning: 'Approved at Engineering' },
    };
    withDb(t.dataDir, (db) => toOldShape(db, [...before.a.slice(0, 3), odd.renamed, ...before.a.slice(4), odd.second, ...before.b, odd.orphan]));

    t = t.reopen();
    apps.push(t);
    expect(t.logs.filter((l) => l.startsWith('Problem')).map((l) => l.replace(/\s+/g, ' ').slice(-300))).toEqual([]);
    const after = { a: await t.call<ApprovalRecord[]>('approvals.records', { itemId: a.id }), b: await t.call<ApprovalRecord[]>('approvals.records', { itemId: b.id }) };
    // Ordered by event, then id: the second record of the last event has the smaller id.
    expect(after.a).toEqual([...before.a.slice(0, 3), odd.renamed, ...before.a.slice(4, 6), odd.second, before.a[6]]);
    expect(after.b).toEqual([...before.b, odd.orphan]);
    withDb(t.dataDir, (db) => {
      // Of the two records of one event the first (smaller id) stays ordinary, the other is kept whole.
      expect(db.prepare('select id from approval_records_original order by id').pluck().all()).toEqual([odd.orphan.id, odd.renamed.id, before.a[6]!.id].sort((x, y) => x - y));
      // The ordinary records keep only their number and meaning; each meaning's text is stored once.
      expect(db.prepare('select count(*) from approval_records').pluck().get()).toBe(7);
      expect(db.prepare('select count(*) from approval_meanings').pluck().get()).toBe(6);
      expect(db.prepare(`select sql from sqlite_schema where name = 'approval_records'`).pluck().get()).toMatch(/WITHOUT ROWID/);
    });

    // New records after the migration take their event's id, beyond every earlier one.
    let c = await t.call<WorkItem>('workItems.create', { title: 'C', steps, submit: true });
    now += 3_600_000;
    c = await t.call<WorkItem>('workItems.approve', { id: c.id, expectedVersion: c.version, comment: 'ok' });
    const [record] = await t.call<ApprovalRecord[]>('approvals.records', { itemId: c.id });
    expect(record).toEqual({
      id: expect.any(Number),
      itemId: c.id,
      eventSeq: 2,
      action: 'approve',
      signer: before.a[0]!.signer,
      at: new Date(now).toISOString(),
      fromStep: 0,
      fromDepartment: 'Engineering',
      toStep: 1,
      toDepartment: 'Quality Control',
      meaning: 'Approved at Engineering',
      comment: 'ok',
    });
    expect(record!.id).toBeGreaterThan(Math.max(...[...after.a, ...after.b].map((r) => r.id)));
  });
});
