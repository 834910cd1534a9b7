import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/core/app';
import type { AppStatus, WorkItem } from '../../../src/shared/types';
import { projectRoot, startApp } from '../../../tests/support/tempApp';
import { writeFileSync, readFileSync } from 'node:fs';
import type { HistoryEntry, ItemAssignment, MyAssignment } from '../contract';
import { ADMIN, SECRET, startAssignmentsApp, type AssignmentsApp } from './assignmentsApp';

let app: AssignmentsApp;
const ids: Record<string, number> = {};
beforeAll(async () => {
  app = await startAssignmentsApp();
  ids['lead'] = await app.person('Lee QC', 'L-QC', 'lead', ['QC']);
  ids['tess'] = await app.person('Tess QC', 'T-QC', 'staff', ['QC', 'OPS']);
  ids['uma'] = await app.person('Uma QC', 'U-QC', 'staff', ['QC']);
}, 60_000);
afterAll(() => app.cleanup());

const assign = (item: WorkItem, userId: number | null, session = 'L-QC', reason?: string) =>
  app.t.call<ItemAssignment>('assignments.assign', { itemId: item.id, userId, expectedVersion: item.version, ...(reason ? { reason } : {}) }, session);
const history = (item: WorkItem) => app.t.call<HistoryEntry[]>('assignments.history', { itemId: item.id }, 'office');
const readDb = <T>(query: string, ...params: unknown[]): T[] => {
  const db = new Database(join(app.t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
};

describe('an assignment belongs to the step', () => {
  it('records who assigned whom, from whom, when and why; ends when the item moves, in the same transaction', async () => {
    const item = await app.itemAtQc('Hydraulic leak');
    await assign(item, ids['tess']!, 'L-QC', 'Tess knows this aircraft');
    app.advance(2);
    await assign(item, ids['uma']!, 'L-QC');
    app.advance(2);
    expect((await app.t.call<MyAssignment[]>('assignments.mine', {}, 'U-QC')).map((m) => m.item.id)).toContain(item.id);

    const moved = await app.approve(item); // QC → Operations
    expect(await app.t.call('assignments.forItem', { itemId: item.id }, 'office')).toMatchObject({ step: { name: 'Operations' }, assignee: null });
    expect((await app.t.call<MyAssignment[]>('assignments.mine', {}, 'U-QC')).map((m) => m.item.id)).not.toContain(item.id);

    const entries = await history(item);
    expect(entries).toMatchObject([
      { action: 'assigned', step: { index: 1, name: 'Quality Control' }, itemVersion: item.version, from: null, to: { name: 'Tess QC' }, by: { name: 'Lee QC' }, reason: 'Tess knows this aircraft' },
      { action: 'reassigned', from: { name: 'Tess QC' }, to: { name: 'Uma QC' }, by: { name: 'Lee QC' }, reason: null },
      { action: 'ended', step: { name: 'Quality Control' }, itemVersion: moved.version, from: { name: 'Uma QC' }, to: null, by: { name: ADMIN.name }, reason: 'Approved at Quality Control, moved to Operations.' },
    ]);
    expect(Date.parse(entries[1]!.at) - Date.parse(entries[0]!.at)).toBe(2 * 60_000);
    expect(readDb('select * from assignments where item_id = ?', item.id)).toEqual([]);

    // Assigned again at Operations, then rejected back to Engineering: that ends too.
    await assign(moved, ids['tess']!, 'office');
    const rejected = await app.t.call<WorkItem>('workItems.reject', { id: item.id, expectedVersion: moved.version, toStep: 0, comment: 'Redo', signature: { secret: ADMIN.secret } }, 'office');
    expect((await history(item)).at(-1)).toMatchObject({ action: 'ended', step: { name: 'Operations' }, itemVersion: rejected.version, reason: 'Rejected at Operations, sent back to Engineering.' });
  });

  it('ends on cancel and on completion; a partial sign-off keeps it', async () => {
    const item = await app.itemAtQc('Cancel me');
    await assign(item, ids['tess']!);
    await app.t.call('workItems.cancel', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'office');
    expect((await history(item)).at(-1)).toMatchObject({ action: 'ended', reason: 'Cancelled at Quality Control.' });

    const two = await app.t.call<WorkItem>(
      'workItems.create',
      { title: 'Two sign-offs', steps: [{ name: 'Quality Control', ref: 'QC', minSignoffs: 2 }], submit: true },
      'office',
    );
    await assign(two, ids['tess']!);
    const partial = await app.approve(two);
    expect(partial.currentStep).toBe(0);
    expect(await app.t.call('assignments.forItem', { itemId: two.id }, 'office')).toMatchObject({ assignee: { name: 'Tess QC' } });
    const done = await app.t.call<WorkItem>('workItems.approve', { id: two.id, expectedVersion: partial.version, signature: { secret: SECRET } }, 'L-QC');
    expect(done.status).toBe('completed');
    expect((await history(two)).map((h) => h.action)).toEqual(['assigned', 'ended']);
    expect((await history(two)).at(-1)).toMatchObject({ reason: 'Approved at Quality Control: all steps done.', by: { name: 'Lee QC' } });
  });

  it('ends the assignment of each item a bulk sign-off moves (each transition a savepoint in the batch)', async () => {
    const [a, b] = [await app.itemAtQc('Bulk one'), await app.itemAtQc('Bulk two')];
    await assign(a, ids['tess']!);
    await assign(b, ids['uma']!);
    const items = [a, b].map((i) => ({ id: i.id, expectedVersion: i.version, expectedStep: i.currentStep! }));
    const result = await app.t.call<{ approved: WorkItem[] }>('workItems.approveMany', { items, signature: { secret: ADMIN.secret } }, 'office');
    expect(result.approved.map((i) => i.id)).toEqual([a.id, b.id]);
    for (const item of [a, b]) {
      expect((await history(item)).at(-1)).toMatchObject({ action: 'ended', reason: 'Approved at Quality Control, moved to Operations.' });
    }
    expect(readDb('select * from assignments where item_id in (?, ?)', a.id, b.id)).toEqual([]);
  });

  it('refuses an assignment against an item version that has moved on (STALE_VERSION), changing nothing', async () => {
    const item = await app.itemAtQc('Race');
    const moved = await app.approve(item); // now at Operations; Tess is in QC and OPS
    const before = app.rows();
    const error = await app.t.fail('assignments.assign', { itemId: item.id, userId: ids['tess'], expectedVersion: item.version }, 'office');
    expect(error).toMatchObject({ code: 'STALE_VERSION', message: `Work item #${item.id} changed since you opened it (it is now at Operations); nothing was assigned. Look again and retry.` });
    expect(app.rows()).toBe(before);
    const done = await assign(moved, ids['tess']!, 'office');
    expect(done).toMatchObject({ step: { index: 2, name: 'Operations' }, itemVersion: moved.version, assignee: { name: 'Tess QC' } });
    expect(readDb<{ step_index: number; item_version: number }>('select step_index, item_version from assignments where item_id = ?', item.id)).toEqual([
      { step_index: 2, item_version: moved.version },
    ]);
  });

  it('refuses a change based on an assignment someone else changed meanwhile (two leads at once)', async () => {
    const item = await app.itemAtQc('Two leads');
    await app.t.call('assignments.assign', { itemId: item.id, userId: ids['uma'], expectedVersion: item.version, expectedAssigneeId: null }, 'office');
    const before = app.rows();
    // The lead opened the item while nobody held it, and picks Tess.
    const error = await app.t.fail('assignments.assign', { itemId: item.id, userId: ids['tess'], expectedVersion: item.version, expectedAssigneeId: null }, 'L-QC');
    expect(error).toMatchObject({
      code: 'STALE_VERSION',
      message: 'The assignment changed since you opened this item: Uma QC holds it now (Ada Admin changed it). Nothing was changed; look again and retry.',
    });
    expect(app.rows()).toBe(before);
    await app.t.call('assignments.assign', { itemId: item.id, userId: ids['tess'], expectedVersion: item.version, expectedAssigneeId: ids['uma'] }, 'L-QC');
  });

  it('reports every change to the change feed and the audit trail, with before and after', async () => {
    const item = await app.itemAtQc('Audited');
    await app.t.call('assignments.assign', { itemId: item.id, userId: ids['lead'] }, 'L-QC');
    await app.t.call('assignments.assign', { itemId: item.id, userId: null }, 'L-QC');
    const mine = app.changes.filter((c) => c.entity === 'assignment' && c.entityId === String(item.id));
    expect(mine).toMatchObject([
      { action: 'taken', before: null, after: { step: 'Quality Control', stepIndex: 1, itemVersion: item.version, assignee: { userId: ids['lead'], name: 'Lee QC' } }, actor: { name: 'Lee QC' } },
      { action: 'released', before: { userId: ids['lead'], name: 'Lee QC' }, after: { assignee: null }, actor: { name: 'Lee QC' } },
    ]);
    const audit = readDb<{ action: string; actor_name: string }>("select action, actor_name from audit_log where entity = 'assignment' and entity_id = ? order by seq", String(item.id));
    expect(audit).toEqual([
      { action: 'taken', actor_name: 'Lee QC' },
      { action: 'released', actor_name: 'Lee QC' },
    ]);
    expect((await app.t.call('audit.verify', {}, 'office')).ok).toBe(true);
  });

  it('keeps the history append-only: the database refuses UPDATE and DELETE, and a current row without its record', async () => {
    const item = await app.itemAtQc('Records');
    await assign(item, ids['tess']!);
    expect(() => app.sql("update assignment_history set to_user_name = 'Mallory'")).toThrow(/assignment history is append-only/);
    expect(() => app.sql('delete from assignment_history')).toThrow(/assignment history is append-only/);
    expect(() => app.sql(`update assignments set user_id = 999, user_name = 'Mallory' where item_id = ${item.id}`)).toThrow(/must be recorded in assignment_history first/);
    expect(() => app.sql(`delete from assignments where item_id = ${item.id}`)).toThrow(/must be recorded in assignment_history first/);
    expect(await app.t.call('assignments.forItem', { itemId: item.id }, 'office')).toMatchObject({ assignee: { name: 'Tess QC' } });
  });

  it('shows a deactivated or departed holder as such, and lets a lead reassign', async () => {
    const item = await app.itemAtQc('Holder leaves');
    await assign(item, ids['uma']!);
    await app.t.call('users.update', { id: ids['uma'], name: 'Uma QC', number: 'U-QC', role: 'staff', departments: ['ENG'] }, 'office');
    expect(await app.t.call('assignments.forItem', { itemId: item.id }, 'L-QC')).toMatchObject({ assignee: { name: 'Uma QC', member: false, active: true } });
    await assign(item, ids['tess']!);
    await app.t.call('users.update', { id: ids['uma'], name: 'Uma QC', number: 'U-QC', role: 'staff', departments: ['QC'] }, 'office');
  });
});

describe('with the module off, and without users', () => {
  it('ends, on record, an assignment whose item moved while the module was switched off', async () => {
    const t = startApp({ users: { scryptCost: 14 } });
    try {
      await t.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'office');
      const lead = await t.call<{ id: number }>('users.create', { name: 'Lee QC', number: 'L-QC', role: 'lead', departments: ['QC'], secret: SECRET }, 'office');
      let item = await t.call<WorkItem>('workItems.create', { title: 'Off and on', workflowId: 'template:standard', submit: true }, 'office');
      item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'office');
      await t.call('assignments.assign', { itemId: item.id, userId: lead.id }, 'office');

      const settingsPath = join(t.dataDir, 'settings.json');
      const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
      settings.modules.assignments.enabled = false;
      writeFileSync(settingsPath, JSON.stringify(settings));
      const off = t.reopen();
      await off.call('users.signIn', { number: ADMIN.number, secret: ADMIN.secret }, 'office');
      expect((await off.fail('assignments.forItem', { itemId: item.id }, 'office')).code).toBe('MODULE_DISABLED');
      await off.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'office');

      settings.modules.assignments.enabled = true;
      writeFileSync(settingsPath, JSON.stringify(settings));
      const on = off.reopen();
      await on.call('users.signIn', { number: ADMIN.number, secret: ADMIN.secret }, 'office');
      expect(await on.call('assignments.forItem', { itemId: item.id }, 'office')).toMatchObject({ step: { name: 'Operations' }, assignee: null });
      expect((await on.call<HistoryEntry[]>('assignments.history', { itemId: item.id }, 'office')).at(-1)).toMatchObject({
        action: 'ended',
        by: { name: 'Assignments (at start-up)' },
        reason: 'The item left Quality Control while assignments were switched off.',
      });
      on.cleanup();
    } finally {
      t.cleanup();
    }
  });

  it('with users switched off it is disabled with the reason on screen, and the app still runs', async () => {
    const t = startApp();
    try {
      const settingsPath = join(t.dataDir, 'settings.json');
      const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
      settings.modules.assignments.enabled = true; // the test switch turned it off with users
      writeFileSync(settingsPath, JSON.stringify(settings));
      t.app.close();
      const app2 = createApp({ dataDir: t.dataDir, assetsRoot: projectRoot, log: () => undefined });
      try {
        const status = app2.status();
        expect(status.modules.find((m) => m.name === 'assignments')).toMatchObject({ state: 'failed' });
        expect(status.problems).toContain('Module "assignments" is disabled: it needs module "users", which is switched off in the settings file.');
        expect(await app2.invoke('assignments.mine', {})).toMatchObject({ ok: false, error: { code: 'MODULE_DISABLED' } });
        const created = await app2.invoke('workItems.create', { title: 'Still works', steps: [{ name: 'Engineering' }], submit: true });
        expect(created.ok).toBe(true);
        expect((status as AppStatus).actor?.name).toBe('Hangar operator');
      } finally {
        app2.close();
      }
    } finally {
      t.cleanup();
    }
  });
});
