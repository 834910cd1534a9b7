import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../tests/support/parseCsv';
import type { TempApp } from '../../../tests/support/tempApp';
import { tableCsv } from '../../../src/shared/exportTable';
import { activityTable, bottleneckTable, cycleTimeTable, overdueTable, rejectionTable, throughputTable, type ReportTable } from '../renderer/csvTables';
import { seedHistory } from './history';
import { seedSlaHistory } from './slaHistory';

/**
 * The CSV files are built in the renderer from the figures the core sends, so each builder is
 * fed a real report (the hand-computed histories) and its file read back as a spreadsheet would.
 */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

const readBack = (table: ReportTable) => {
  const file = tableCsv({ title: 'report', baseName: 'report', ...table });
  expect(file.charCodeAt(0)).toBe(0xfeff);
  return parseCsv(file);
};
const march = { from: '2026-03-01', to: '2026-03-31' };

describe('CSV exports of the reports', () => {
  it('bottleneck steps: one row per step, hours to 0.01, the instant measured in ISO 8601', async () => {
    const { t } = await seedSlaHistory(apps);
    expect(readBack(bottleneckTable(await t.call('reports.bottlenecks', {})))).toEqual([
      ['department', 'waiting', 'median_wait_hours', 'longest_wait_hours', 'with_target', 'overdue', 'as_of (UTC)'],
      ['Engineering', '2', '34', '48', '2', '2', '2026-03-04T02:00:00.000Z'],
      ['Quality Control', '3', '40', '47', '2', '2', '2026-03-04T02:00:00.000Z'],
    ]);
  });

  it('overdue items over time: the bucket, the instant it was counted at, the count', async () => {
    const { t } = await seedSlaHistory(apps);
    expect(readBack(overdueTable(await t.call('reports.overdueOverTime', { from: '2026-03-02', to: '2026-03-04', bucket: 'day' }), 'day'))).toEqual([
      ['date', 'counted_at (UTC)', 'overdue'],
      ['2026-03-02', '2026-03-03T00:00:00.000Z', '2'],
      ['2026-03-03', '2026-03-04T00:00:00.000Z', '4'],
      ['2026-03-04', '2026-03-04T02:00:00.000Z', '4'],
    ]);
    expect(readBack(overdueTable(await t.call('reports.overdueOverTime', { from: '2026-03-02', to: '2026-03-08', bucket: 'week' }), 'week'))[0]).toEqual([
      'week_starting',
      'counted_at (UTC)',
      'overdue',
    ]);
  });

  it('activity per person: names and ids as text, every count', async () => {
    const t = await seedHistory(apps);
    expect(readBack(activityTable(await t.call('reports.userActivity', march)))).toEqual([
      ['person', 'person_id', 'created', 'submitted', 'approved', 'signoffs', 'rejected', 'cancelled', 'total'],
      ['Hangar operator', 'operator:hangar operator', '6', '1', '12', '0', '1', '1', '21'],
      ['Bob Engineer', 'operator:bob engineer', '0', '0', '0', '1', '0', '0', '1'],
      ['Cat Inspector', 'operator:cat inspector', '0', '0', '1', '0', '0', '0', '1'],
    ]);
  });

  it('throughput, cycle time and rejection rate', async () => {
    const t = await seedHistory(apps);
    expect(readBack(throughputTable(await t.call('reports.throughput', { from: '2026-03-02', to: '2026-03-15', bucket: 'week' }), 'week', 'All templates'))).toEqual([
      ['week_starting', 'completed', 'template'],
      ['2026-03-02', '3', 'All templates'],
      ['2026-03-09', '1', 'All templates'],
    ]);
    expect(readBack(cycleTimeTable(await t.call('reports.cycleTime', { ...march, department: 'Operations' })))).toEqual([
      ['department', 'stays', 'median_hours', 'p90_hours'],
      ['Operations', '3', '9', '36'],
    ]);
    expect(readBack(rejectionTable(await t.call('reports.rejectionRate', { ...march, department: 'Quality Control' })))).toEqual([
      ['template', 'department', 'approvals', 'rejections', 'rejection_rate'],
      ['All templates', 'Quality Control', '4', '1', '0.2'],
      ['Custom steps', 'Quality Control', '1', '0', '0'],
      ['Standard', 'Quality Control', '3', '1', '0.25'],
    ]);
  });
});
