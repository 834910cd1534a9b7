import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem, WorkItemCounts } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { BottleneckReport, OverduePoint } from '../contract';

/**
 * Steps with target hours, every figure worked out by hand. T0 = Monday 2 March 2026, 00:00
 * UTC; times are hours after T0. X = custom steps Engineering (target 8 h) → Quality Control
 * (target 4 h, two sign-offs) → Operations (no target). Stays [entered, left) with due = entered + target:
 *
 *   P  X         submitted 0; ENG [0, 10) due 8; QC [10, open) due 14; a partial QC sign-off at 22
 *                does not start a new stay (if it did, P would not be overdue at 24)
 *   Q  X         submitted 2; ENG [2, open) due 10
 *   R  X         submitted 20; ENG [20, 22) due 28; QC [22, 30) due 26, rejected back; ENG [30, open) due 38
 *   S  standard  submitted 1; ENG [1, 3), QC [3, open): no targets, never overdue
 *   U  X         submitted 5; ENG [5, 24) due 13, cancelled exactly at 24
 *   W  X         submitted 16; ENG [16, 40) due exactly 24; QC [40, open) due 44
 *   V  X         a draft, never submitted: never at a step
 *
 * Now = 50 (Wednesday 4 March, 02:00).
 */
const T0 = Date.parse('2026-03-02T00:00:00Z');
const H = 3_600_000;
const iso = (hours: number) => new Date(T0 + hours * H).toISOString();

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

async function seeded() {
  let now = T0;
  const t = startApp({ clock: () => now });
  apps.push(t);
  await t.call('operator.set', { name: 'Bob Engineer' }, 'bob');
  const X = { steps: [{ name: 'Engineering', targetHours: 8 }, { name: 'Quality Control', targetHours: 4, minSignoffs: 2 }, { name: 'Operations' }], submit: true };
  const items: Record<string, WorkItem> = {};
  const at = (hours: number) => {
    now = T0 + hours * H;
  };
  const create = async (key: string, extra: Record<string, unknown>) => {
    items[key] = await t.call<WorkItem>('workItems.create', { title: `Item ${key}`, ...extra });
  };
  const act = async (key: string, action: 'approve' | 'reject' | 'cancel', extra: Record<string, unknown> = {}, session?: string) => {
    const item = items[key]!;
    items[key] = await t.call<WorkItem>(`workItems.${action}`, { id: item.id, expectedVersion: item.version, ...extra }, session);
  };

  at(0);
  await create('P', X);
  await create('V', { ...X, submit: false });
  at(1);
  await create('S', { workflowId: 'template:standard', submit: true });
  at(2);
  await create('Q', X);
  at(3);
  await act('S', 'approve');
  at(5);
  await create('U', X);
  at(10);
  await act('P', 'approve');
  at(16);
  await create('W', X);
  at(20);
  await create('R', X);
  at(22);
  await act('R', 'approve');
  await act('P', 'approve', {}, 'bob');
  at(24);
  await act('U', 'cancel');
  at(30);
  await act('R', 'reject', { toStep: 0, comment: 'Wrong part number' });
  at(40);
  await act('W', 'approve');
  at(50);

  expect(Object.fromEntries(Object.entries(items).map(([k, v]) => [k, `${v.status}@${v.currentStep}`]))).toEqual({
    P: 'active@1',
    Q: 'active@0',
    R: 'active@0',
    S: 'active@1',
    U: 'cancelled@null',
    V: 'draft@0',
    W: 'active@1',
  });
  return { t, at };
}

describe('bottleneck steps, now', () => {
  it('counts the items waiting at each step, their median and longest wait and the overdue ones, longest wait first', async () => {
    const { t, at } = await seeded();
    expect(await t.call<BottleneckReport>('reports.bottlenecks', {})).toEqual({
      asOf: iso(50),
      steps: [
        // Q waits 48 h, R 20 h (since its rejection back at 30); both past 8 h.
        { department: 'Engineering', waiting: 2, medianHours: 34, maxHours: 48, withTarget: 2, overdue: 2 },
        // S 47 h (no target), P 40 h (since 10: the partial sign-off does not reset it), W 10 h; P and W past 4 h.
        { department: 'Quality Control', waiting: 3, medianHours: 40, maxHours: 47, withTarget: 2, overdue: 2 },
      ],
    });
    // The same overdue rule as the dashboard's count.
    expect((await t.call<WorkItemCounts>('workItems.counts', {})).overdue).toBe(4);

    // Ten hours later: everyone has waited ten hours more.
    at(60);
    expect((await t.call<BottleneckReport>('reports.bottlenecks', {})).steps).toEqual([
      { department: 'Engineering', waiting: 2, medianHours: 44, maxHours: 58, withTarget: 2, overdue: 2 },
      { department: 'Quality Control', waiting: 3, medianHours: 50, maxHours: 57, withTarget: 2, overdue: 2 },
    ]);
  });

  it('keeps to the template and the department', async () => {
    const { t } = await seeded();
    expect((await t.call<BottleneckReport>('reports.bottlenecks', { workflowId: 'template:standard' })).steps).toEqual([
      { department: 'Quality Control', waiting: 1, medianHours: 47, maxHours: 47, withTarget: 0, overdue: 0 },
    ]);
    expect((await t.call<BottleneckReport>('reports.bottlenecks', { department: 'Engineering' })).steps).toEqual([
      { department: 'Engineering', waiting: 2, medianHours: 34, maxHours: 48, withTarget: 2, overdue: 2 },
    ]);
    expect((await t.call<BottleneckReport>('reports.bottlenecks', { department: 'Operations' })).steps).toEqual([]);
  });

  it('refuses unknown fields: the date range does not apply to "now"', async () => {
    const { t } = await seeded();
    expect(await t.fail('reports.bottlenecks', { from: '2026-03-01', to: '2026-03-02' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.bottlenecks', { department: '' })).toMatchObject({ code: 'VALIDATION' });
  });
});

const points = (rows: [string, number, number][]): OverduePoint[] => rows.map(([start, atHours, overdue]) => ({ start, at: iso(atHours), overdue }));

describe('overdue items over time', () => {
  it('counts the items overdue at the end of each day, and at now for today', async () => {
    const { t } = await seeded();
    expect(await t.call('reports.overdueOverTime', { from: '2026-03-01', to: '2026-03-06', bucket: 'day' })).toEqual(
      points([
        // End of Sunday = T0: nothing yet.
        ['2026-03-01', 0, 0],
        // At 24: P (QC, due 14) and Q (due 10). Not U (left exactly at 24), not W (due exactly at 24),
        // not R (QC due 26), not P's Engineering stay (overdue 8..10, over by the end of the day).
        ['2026-03-02', 24, 2],
        // At 48: P, Q, R (Engineering again, due 38), W (QC, due 44).
        ['2026-03-03', 48, 4],
        // Today is counted at now (50); 5 and 6 March have not begun.
        ['2026-03-04', 50, 4],
      ]),
    );
  });

  it('counts weeks at their end, clipped to the range', async () => {
    const { t } = await seeded();
    expect(await t.call('reports.overdueOverTime', { from: '2026-03-02', to: '2026-03-08', bucket: 'week' })).toEqual(points([['2026-03-02', 50, 4]]));
    // From Wednesday 25 Feb to Tuesday 3 March: the second week ends with the range, at 48.
    expect(await t.call('reports.overdueOverTime', { from: '2026-02-25', to: '2026-03-03', bucket: 'week' })).toEqual(
      points([
        ['2026-02-23', 0, 0],
        ['2026-03-02', 48, 4],
      ]),
    );
  });

  it('keeps to the template and the department, and follows the clock', async () => {
    const { t, at } = await seeded();
    const range = { from: '2026-03-02', to: '2026-03-03', bucket: 'day' } as const;
    expect(await t.call('reports.overdueOverTime', { ...range, workflowId: 'template:standard' })).toEqual(
      points([
        ['2026-03-02', 24, 0],
        ['2026-03-03', 48, 0],
      ]),
    );
    // Quality Control: P at 24; P and W at 48.
    expect(await t.call('reports.overdueOverTime', { ...range, department: 'Quality Control' })).toEqual(
      points([
        ['2026-03-02', 24, 1],
        ['2026-03-03', 48, 2],
      ]),
    );
    // Earlier in Tuesday, at 30: R has just been rejected back (QC stay ended at 30, overdue
    // since 26), so QC holds only P; the day is counted at now.
    at(30);
    expect(await t.call('reports.overdueOverTime', { ...range, department: 'Quality Control' })).toEqual(
      points([
        ['2026-03-02', 24, 1],
        ['2026-03-03', 30, 1],
      ]),
    );
    expect(await t.call('reports.overdueOverTime', { from: '2026-03-10', to: '2026-03-20', bucket: 'day' })).toEqual([]);
  });

  it('refuses bad input', async () => {
    const t = startApp();
    apps.push(t);
    expect(await t.fail('reports.overdueOverTime', { from: '2026-03-05', to: '2026-03-01', bucket: 'day' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.overdueOverTime', { from: '2026-03-01', to: '2026-03-05' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.overdueOverTime', { from: '2026-03-01', to: '2026-03-05', bucket: 'day', status: 'active' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.overdueOverTime', { from: '03/01/2026', to: '2026-03-05', bucket: 'day' })).toMatchObject({ code: 'VALIDATION' });
  });
});
