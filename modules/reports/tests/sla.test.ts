import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItemCounts } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { BottleneckReport, OverduePoint } from '../contract';
import { iso, seedSlaHistory } from './slaHistory';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
const seeded = () => seedSlaHistory(apps);

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
