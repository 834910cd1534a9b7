import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkItem, WorkItemCounts } from '../../src/shared/types';
import { startApp, type TempApp } from '../support/tempApp';

/** SLA: a step's target hours make an item overdue there once exceeded (the clock is the test's). */
const HOUR = 3_600_000;
const start = Date.parse('2026-03-02T08:00:00Z');
let now = start;
let t: TempApp;
beforeEach(() => {
  now = start;
  t = startApp({ clock: () => now });
});
afterEach(() => t.cleanup());

const steps = [
  { name: 'Engineering', targetHours: 8 },
  { name: 'Quality Control', targetHours: 24, minSignoffs: 2 },
  { name: 'Operations' },
];
const create = (title: string, priority: 'normal' | 'urgent' = 'normal') =>
  t.call<WorkItem>('workItems.create', { title, steps, submit: true, priority });

describe('overdue at a step', () => {
  it('is due target hours after the item reached its step, and overdue after that', async () => {
    const item = await create('Pitot heater');
    expect(item).toMatchObject({ stepEnteredAt: '2026-03-02T08:00:00.000Z', dueAt: '2026-03-02T16:00:00.000Z', overdue: false });
    now = start + 8 * HOUR;
    expect((await t.call('workItems.get', { id: item.id })).item.overdue).toBe(false);
    now = start + 8 * HOUR + 1;
    expect((await t.call('workItems.get', { id: item.id })).item.overdue).toBe(true);
  });

  it('starts a new stay when the item moves, but not on a partial sign-off', async () => {
    let item = await create('Flap track');
    now = start + 10 * HOUR;
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    expect(item).toMatchObject({ currentStep: 1, overdue: false, dueAt: new Date(start + 34 * HOUR).toISOString() });
    now = start + 20 * HOUR;
    await t.call('operator.set', { name: 'Second inspector' }, 'two');
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version }, 'two');
    expect(item.currentStep).toBe(1);
    expect(item.stepEnteredAt).toBe(new Date(start + 10 * HOUR).toISOString());
  });

  it('has no due time at a step without a target, when completed, or when cancelled', async () => {
    let item = await create('Wheel change');
    item = await t.call('workItems.cancel', { id: item.id, expectedVersion: item.version });
    expect(item).toMatchObject({ dueAt: null, overdue: false });
    const noTarget = await t.call<WorkItem>('workItems.create', { title: 'x', steps: [{ name: 'Engineering' }], submit: true });
    now += 1000 * HOUR;
    expect((await t.call('workItems.get', { id: noTarget.id })).item).toMatchObject({ dueAt: null, overdue: false });
  });

  it('counts and lists overdue and urgent items, and completions since a date', async () => {
    await create('A');
    await create('B', 'urgent');
    now = start + 9 * HOUR;
    const fresh = await create('C');
    let done = await t.call<WorkItem>('workItems.create', { title: 'D', steps: [{ name: 'Operations' }], submit: true });
    done = await t.call('workItems.approve', { id: done.id, expectedVersion: done.version });
    expect(done.status).toBe('completed');

    const counts = await t.call<WorkItemCounts>('workItems.counts', { completedSince: '2026-03-02T00:00:00Z' });
    expect(counts).toMatchObject({ overdue: 2, urgent: 1, completedSince: 1 });
    expect((await t.call<WorkItemCounts>('workItems.counts', { completedSince: '2026-03-03T00:00:00Z' })).completedSince).toBe(0);
    expect((await t.call<WorkItemCounts>('workItems.counts', {})).completedSince).toBeNull();

    const overdue = await t.call('workItems.list', { overdue: true, sort: 'queue' });
    expect(overdue.rows.map((r: WorkItem) => r.title)).toEqual(['B', 'A']);
    expect(overdue.rows.map((r: WorkItem) => r.title)).not.toContain(fresh.title);
  });

  it('filters by when an item last changed', async () => {
    await create('early');
    now = start + 48 * HOUR;
    await create('late');
    const list = await t.call('workItems.list', { changedFrom: new Date(start + 24 * HOUR).toISOString() });
    expect(list.rows.map((r: WorkItem) => r.title)).toEqual(['late']);
    const before = await t.call('workItems.list', { changedTo: new Date(start + 24 * HOUR).toISOString() });
    expect(before.rows.map((r: WorkItem) => r.title)).toEqual(['early']);
    expect((await t.fail('workItems.list', { changedFrom: 'yesterday' })).code).toBe('VALIDATION');
  });
});

describe('item list export', () => {
  it('exports the filtered list as CSV with ISO 8601 times, and parses back to the same items', async () => {
    await t.call('workItems.create', {
      title: '=SUM(A1) seal, "left" main gear',
      steps,
      submit: true,
      metadata: { aircraftRegistration: 'G-EZTH', workOrder: 'WO-1' },
    });
    now = start + 9 * HOUR;
    await t.call('workItems.create', { title: 'Other', steps, submit: false });
    const { parseCsv } = await import('../support/parseCsv');
    const all = await t.call('workItems.exportCsv', {});
    expect(all).toMatchObject({ rows: 2, truncated: false, fileName: 'work-items-2026-03-02-17-00.csv' });
    const [header, ...rows] = parseCsv(all.content);
    expect(header).toContain('Overdue');
    const first = rows.find((r) => r[0] === '1')!;
    const cell = (name: string) => first[header!.indexOf(name)];
    expect(cell('Title')).toBe(`'=SUM(A1) seal, "left" main gear`);
    expect(cell('Aircraft registration')).toBe('G-EZTH');
    expect(cell('Created at (UTC)')).toBe('2026-03-02T08:00:00.000Z');
    expect(cell('Due at (UTC)')).toBe('2026-03-02T16:00:00.000Z');
    expect(cell('Overdue')).toBe('yes');
    expect(cell('Current step')).toBe('Engineering');

    const drafts = await t.call('workItems.exportCsv', { status: 'draft' });
    expect(parseCsv(drafts.content).slice(1).map((r) => r[1])).toEqual(['Other']);
  });
});
