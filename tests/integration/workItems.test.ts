import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkItem, WorkItemDetail } from '../../src/shared/types';
import { startApp, type TempApp } from '../support/tempApp';

let t: TempApp;
let now = Date.parse('2026-03-01T08:00:00Z');
beforeEach(() => {
  now = Date.parse('2026-03-01T08:00:00Z');
  t = startApp({ clock: () => now });
});
afterEach(() => t.cleanup());

const steps = [{ name: 'Engineering', ref: 'ENG' }, { name: 'Quality Control', ref: 'QC' }, { name: 'Operations', ref: 'OPS' }];
const create = (extra: Record<string, unknown> = {}) =>
  t.call<WorkItem>('workItems.create', { title: 'Replace pitot probe', steps, submit: true, ...extra });
const rowCounts = () => {
  const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { items: one('select count(*) n from work_items'), events: one('select count(*) n from transition_events') };
  } finally {
    db.close();
  }
};

describe('first run', () => {
  it('offers the standard template over the default departments', async () => {
    const workflows = await t.call('workflows.list');
    expect(workflows).toEqual([
      expect.objectContaining({ id: 'template:standard', label: 'Standard', version: 1, steps }),
    ]);
  });

  it('creates the settings file from the defaults and reports no problems', async () => {
    const status = await t.call('app.status');
    expect(status.problems).toEqual([]);
    expect(status.settingsPath).toBe(join(t.dataDir, 'settings.json'));
    const states = Object.fromEntries(status.modules.map((m: { name: string; state: string }) => [m.name, m.state]));
    expect(states).toMatchObject({ departments: 'enabled', templates: 'enabled', approvals: 'enabled' });
    // Sign-in (users) is on in the shipped defaults; tests switch it off unless they ask, and the
    // modules that need it with it (tests/support/usersSwitch.ts).
    const offWithUsers = (m: { name: string; dependsOn: string[] }) => m.name === 'users' || m.dependsOn.includes('users');
    expect(status.modules.filter((m: { state: string }) => m.state !== 'enabled').map((m: { name: string }) => m.name)).toEqual(
      status.modules.filter(offWithUsers).map((m: { name: string }) => m.name),
    );
    expect(status.modules.filter(offWithUsers).every((m: { state: string }) => m.state === 'disabled')).toBe(true);
  });

  it('keeps the database in WAL mode (a file-level setting other connections see)', () => {
    const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});

describe('create', () => {
  it('creates a draft with its first event', async () => {
    const item = await create({ submit: false, priority: 'urgent', metadata: { aircraftRegistration: 'G-ABCD' } });
    expect(item).toMatchObject({ status: 'draft', currentStep: 0, version: 1, priority: 'urgent', steps });
    expect(item.metadata).toEqual({ aircraftRegistration: 'G-ABCD' });
    expect(item.createdAt).toBe('2026-03-01T08:00:00.000Z');
    const detail = await t.call<WorkItemDetail>('workItems.get', { id: item.id });
    expect(detail.events).toEqual([
      expect.objectContaining({ seq: 1, action: 'create', fromStatus: null, toStatus: 'draft', actor: { id: 'operator:hangar operator', name: 'Hangar operator' } }),
    ]);
  });

  it('creates from a template and keeps which template and version', async () => {
    const item = await t.call<WorkItem>('workItems.create', { title: 'A-check', workflowId: 'template:standard', submit: true });
    expect(item).toMatchObject({ status: 'active', currentStep: 0, workflow: { id: 'template:standard', label: 'Standard', version: 1 }, steps });
  });

  it('refuses an unknown template and writes nothing', async () => {
    const error = await t.fail('workItems.create', { title: 'x', workflowId: 'template:nope' });
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/no active workflow "template:nope"/);
    expect(rowCounts()).toEqual({ items: 0, events: 0 });
  });

  it.each([
    [{ title: '', steps }, 'title'],
    [{ title: 'x' }, 'workflowId'],
    [{ title: 'x', steps, workflowId: 'template:standard' }, 'workflowId'],
    [{ title: 'x', steps: [] }, 'steps'],
    [{ title: 'x', steps, priority: 'whenever' }, 'priority'],
    [{ title: 'x', steps, colour: 'red' }, ''],
    [{ title: 'x'.repeat(201), steps }, 'title'],
    [{ title: 'x', steps, metadata: { '1bad key': 'v' } }, 'metadata'],
  ])('refuses invalid input %j with VALIDATION and writes nothing', async (input, field) => {
    const error = await t.fail('workItems.create', input);
    expect(error.code).toBe('VALIDATION');
    const issues = (error.details as { issues: { path: string[] }[] }).issues;
    expect(issues.length).toBeGreaterThan(0);
    if (field) expect(issues[0]!.path[0]).toBe(field);
    expect(rowCounts()).toEqual({ items: 0, events: 0 });
  });
});

describe('transitions through the handlers', () => {
  it('approves through every step to completed, one event per transition', async () => {
    let item = await create();
    for (const expected of [1, 2]) {
      now += 60_000;
      item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version, comment: `ok ${expected}` });
      expect(item).toMatchObject({ status: 'active', currentStep: expected });
    }
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    expect(item).toMatchObject({ status: 'completed', currentStep: null, version: 4 });
    const { events } = await t.call<WorkItemDetail>('workItems.get', { id: item.id });
    expect(events.map((e) => [e.seq, e.action, e.fromStep, e.toStep, e.toStatus])).toEqual([
      [1, 'create', null, 0, 'active'],
      [2, 'approve', 0, 1, 'active'],
      [3, 'approve', 1, 2, 'active'],
      [4, 'approve', 2, null, 'completed'],
    ]);
    expect(events[1]).toMatchObject({ comment: 'ok 1', at: '2026-03-01T08:01:00.000Z' });
  });

  it('records the terminal of every transition: in its event row, and in the events read back, with its name where the site enrolled it', async () => {
    const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'));
    try {
      db.prepare(`insert into site_terminals (id, name, credential_hash, enrolled_at, enrolled_by) values ('t_0a1b2c3d', 'Hangar 2 desk', 'x', 0, 'test')`).run();
    } finally {
      db.close();
    }
    const invoke = async (channel: string, input: unknown, terminal?: string) => {
      const r = await t.app.invoke(channel, input, 'desk', terminal);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as WorkItem;
    };
    let item = await invoke('workItems.create', { title: 'Replace pitot probe', steps, submit: true }, 't_0a1b2c3d');
    item = await invoke('workItems.approve', { id: item.id, expectedVersion: item.version }, 'local');
    // No terminal named: the session stands for it.
    await invoke('workItems.approve', { id: item.id, expectedVersion: item.version });
    const { events } = await t.call<WorkItemDetail>('workItems.get', { id: item.id });
    expect(events.map((e) => [e.action, e.terminal, e.terminalName])).toEqual([
      ['create', 't_0a1b2c3d', 'Hangar 2 desk'],
      ['approve', 'local', null],
      ['approve', 'desk', null],
    ]);
    const file = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
    try {
      expect(file.prepare('select terminal from transition_events order by id').pluck().all()).toEqual(['t_0a1b2c3d', 'local', 'desk']);
    } finally {
      file.close();
    }
  });

  it('rejects back to step 1 with the comment recorded', async () => {
    let item = await create();
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    item = await t.call('workItems.reject', { id: item.id, expectedVersion: item.version, toStep: 0, comment: 'Wrong part number' });
    expect(item).toMatchObject({ status: 'active', currentStep: 0 });
    const { events } = await t.call<WorkItemDetail>('workItems.get', { id: item.id });
    expect(events.at(-1)).toMatchObject({ action: 'reject', fromStep: 2, toStep: 0, comment: 'Wrong part number' });
  });

  it('submits a draft and cancels an active item', async () => {
    let item = await create({ submit: false });
    item = await t.call('workItems.submit', { id: item.id, expectedVersion: item.version });
    expect(item.status).toBe('active');
    item = await t.call('workItems.cancel', { id: item.id, expectedVersion: item.version, comment: 'Duplicate' });
    expect(item).toMatchObject({ status: 'cancelled', currentStep: null });
  });

  it('answers every transition with the item exactly as it is then read back (overdue, sign-offs, stays)', async () => {
    const timed = [
      { name: 'Engineering', ref: 'ENG', targetHours: 1 },
      { name: 'Quality Control', ref: 'QC', minSignoffs: 2, targetHours: 2 },
      { name: 'Operations', ref: 'OPS' },
    ];
    let item = await create({ steps: timed, submit: false });
    const moves: [string, Record<string, unknown>, string?][] = [
      ['workItems.submit', {}],
      ['workItems.approve', {}],
      ['workItems.approve', {}, 'operator-b'],
      ['workItems.reject', { toStep: 0, comment: 'Redo' }, 'operator-b'],
      ['workItems.approve', {}],
      ['workItems.approve', {}, 'operator-b'],
      ['workItems.approve', {}, 'operator-c'],
      ['workItems.approve', {}],
    ];
    await t.call('operator.set', { name: 'Second inspector' }, 'operator-b');
    await t.call('operator.set', { name: 'Third inspector' }, 'operator-c');
    for (const [channel, input, session] of moves) {
      now += 90 * 60_000; // past Engineering's hour, within QC's two
      item = await t.call<WorkItem>(channel, { id: item.id, expectedVersion: item.version, ...input }, session);
      const { item: readBack } = await t.call<WorkItemDetail>('workItems.get', { id: item.id });
      expect(item).toEqual(readBack);
    }
    expect(item.status).toBe('completed');
  });

  it('refuses a stale version, says so clearly and writes nothing', async () => {
    const item = await create();
    await t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    const before = rowCounts();
    const error = await t.fail('workItems.approve', { id: item.id, expectedVersion: item.version });
    expect(error).toMatchObject({ code: 'STALE_VERSION', details: { expectedVersion: 1, actualVersion: 2 } });
    expect(error.message).toMatch(/changed since you opened it/);
    expect(rowCounts()).toEqual(before);
    expect((await t.call<WorkItemDetail>('workItems.get', { id: item.id })).item.currentStep).toBe(1);
  });

  it('refuses an invalid transition with the engine code and writes nothing', async () => {
    const item = await create();
    const before = rowCounts();
    const error = await t.fail('workItems.reject', { id: item.id, expectedVersion: item.version, toStep: 0 });
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(rowCounts()).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown item', async () => {
    expect((await t.fail('workItems.approve', { id: 999, expectedVersion: 1 })).code).toBe('NOT_FOUND');
    expect((await t.fail('workItems.get', { id: 999 })).code).toBe('NOT_FOUND');
  });

  it.each([
    ['workItems.approve', { id: 'one', expectedVersion: 1 }],
    ['workItems.approve', { id: 1 }],
    ['workItems.approve', { id: -1, expectedVersion: 1 }],
    ['workItems.reject', { id: 1, expectedVersion: 1 }],
    ['workItems.reject', { id: 1, expectedVersion: 1, toStep: Number.NaN }],
    ['workItems.cancel', { id: 1, expectedVersion: 1, comment: 'x'.repeat(4001) }],
    ['workItems.get', null],
    ['workItems.list', { limit: 10_000 }],
  ])('refuses malformed %s input %j as VALIDATION', async (channel, input) => {
    const item = await create();
    const before = rowCounts();
    expect((await t.fail(channel, input)).code).toBe('VALIDATION');
    expect(rowCounts()).toEqual(before);
    expect((await t.call<WorkItemDetail>('workItems.get', { id: item.id })).item.version).toBe(1);
  });

  it('answers NOT_FOUND for a channel that does not exist', async () => {
    expect(await t.fail('workItems.delete', { id: 1 })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rolls back the state change when writing the event fails', async () => {
    const item = await create();
    const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'));
    db.exec(`create trigger refuse_events before insert on transition_events begin select raise(abort, 'disk says no'); end`);
    db.close();
    const error = await t.fail('workItems.approve', { id: item.id, expectedVersion: item.version });
    expect(error.code).toBe('INTERNAL');
    expect(error.message).not.toMatch(/disk says no|at .*\.ts/);
    const detail = await t.call<WorkItemDetail>('workItems.get', { id: item.id });
    expect(detail.item).toMatchObject({ currentStep: 0, version: 1 });
    expect(detail.events).toHaveLength(1);
  });
});

describe('list and counts', () => {
  it('pages from the database, newest change first, and searches title and metadata', async () => {
    for (let i = 1; i <= 7; i++) {
      now += 1000;
      await create({ title: `Task ${i}`, metadata: { workOrder: `WO-${1000 + i}` } });
    }
    const page = await t.call('workItems.list', { limit: 3, offset: 3 });
    expect(page.total).toBe(7);
    expect(page.rows.map((r: WorkItem) => r.title)).toEqual(['Task 4', 'Task 3', 'Task 2']);
    expect((await t.call('workItems.list', { search: 'WO-1005' })).rows.map((r: WorkItem) => r.title)).toEqual(['Task 5']);
    expect((await t.call('workItems.list', { search: '100%' })).total).toBe(0);
    expect((await t.call('workItems.list', { status: 'draft' })).total).toBe(0);
  });

  it('sorts a queue urgent first, then longest waiting first', async () => {
    const old = await create({ title: 'old normal' });
    now += 1000;
    await create({ title: 'new normal' });
    now += 1000;
    await create({ title: 'new urgent', priority: 'urgent' });
    now += 1000;
    await t.call('workItems.approve', { id: old.id, expectedVersion: old.version });
    const queue = await t.call('workItems.list', { status: 'active', sort: 'queue' });
    expect(queue.rows.map((r: WorkItem) => r.title)).toEqual(['new urgent', 'new normal', 'old normal']);
    const atQc = await t.call('workItems.list', { status: 'active', step: 'Quality Control' });
    expect(atQc.rows.map((r: WorkItem) => r.title)).toEqual(['old normal']);
    expect(atQc.total).toBe(1);
    const atEither = await t.call('workItems.list', { steps: ['Quality Control', 'Engineering'], sort: 'queue' });
    expect(atEither.rows.map((r: WorkItem) => r.title)).toEqual(['new urgent', 'new normal', 'old normal']);
    expect((await t.call('workItems.list', { steps: ['Operations'] })).total).toBe(0);
    expect((await t.fail('workItems.list', { steps: [] })).message).toBe('steps: Choose at least one department');
    const urgent = await t.call('workItems.list', { priority: 'urgent' });
    expect(urgent.rows.map((r: WorkItem) => r.title)).toEqual(['new urgent']);
    const oldest = await t.call('workItems.list', { sort: 'oldest' });
    expect(oldest.rows.map((r: WorkItem) => r.title)).toEqual(['new normal', 'new urgent', 'old normal']);
  });

  it("a department's page (its own prepared statement) lists what the general filter lists, in every order and page", async () => {
    for (let i = 0; i < 7; i++) {
      const item = await create({ title: `item ${i}`, priority: i % 3 === 0 ? 'urgent' : 'normal' });
      now += 1000 * (7 - i);
      if (i % 2 === 0) await t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
      now += 500;
    }
    for (const step of ['Engineering', 'Quality Control', 'Operations']) {
      for (const sort of ['queue', 'recent', 'oldest', undefined]) {
        for (const [offset, limit] of [[0, 50], [1, 2], [3, 2]] as const) {
          const page = await t.call('workItems.list', { status: 'active', step, sort, offset, limit });
          const general = await t.call('workItems.list', { status: 'active', steps: [step], sort, offset, limit });
          expect(page).toEqual(general);
        }
      }
    }
    const qc = await t.call('workItems.list', { status: 'active', step: 'Quality Control', sort: 'queue' });
    expect(qc.rows.map((r: WorkItem) => r.title)).toEqual(['item 0', 'item 6', 'item 2', 'item 4']);
  });

  it('filters by the workflow an item was started from', async () => {
    await create({ title: 'custom' });
    await t.call('workItems.create', { title: 'from template', workflowId: 'template:standard' });
    const fromTemplate = await t.call('workItems.list', { workflowId: 'template:standard' });
    expect(fromTemplate.rows.map((r: WorkItem) => r.title)).toEqual(['from template']);
  });

  it('counts by status and active items by step', async () => {
    const a = await create();
    await create();
    await create({ submit: false });
    await t.call('workItems.approve', { id: a.id, expectedVersion: a.version });
    const counts = await t.call('workItems.counts');
    expect(counts.byStatus).toEqual({ draft: 1, active: 2, completed: 0, cancelled: 0 });
    expect(counts.activeByStep).toEqual(
      expect.arrayContaining([{ step: 'Engineering', count: 1 }, { step: 'Quality Control', count: 1 }]),
    );
  });
});

describe('change notifications', () => {
  it('tells listeners after a successful command, not after a query or a failure', async () => {
    const seen: string[] = [];
    t.app.onChange((event) => seen.push(event.channel));
    await t.call('workItems.list');
    await t.fail('workItems.approve', { id: 42, expectedVersion: 1 });
    await create();
    expect(seen).toEqual(['workItems.create']);
  });
});

describe('data survives a restart', () => {
  it('reopens the same database with items and events intact', async () => {
    const item = await create();
    await t.call('workItems.approve', { id: item.id, expectedVersion: 1 });
    t = t.reopen();
    const detail = await t.call<WorkItemDetail>('workItems.get', { id: item.id });
    expect(detail.item.currentStep).toBe(1);
    expect(detail.events).toHaveLength(2);
    expect(await t.call('departments.list')).toHaveLength(3);
  });
});

describe('database connection', () => {
  it('sets WAL, synchronous=FULL, foreign keys and a short busy timeout on every connection it opens', async () => {
    const { openDatabase } = await import('../../src/core/db/connection');
    const { sqlite } = openDatabase(join(t.dataDir, 'probe.sqlite'));
    try {
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      // Short: the synchronous driver blocks every call while it waits for another program's lock (then DATABASE_BUSY).
      expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(250);
    } finally {
      sqlite.close();
    }
  });
});
