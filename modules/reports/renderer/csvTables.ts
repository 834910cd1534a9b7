import type { BottleneckReport, CycleTimeRow, OverduePoint, RejectionReport, ThroughputBucket, UserActivityRow } from '../contract';
import type { CsvValue } from '../csv';
import { round } from './format';

/**
 * What each report's "Export CSV" writes: a header and the rows, from the figures the screen
 * already has (the core computed them). Dates stay ISO 8601 text; hours are rounded to 0.01.
 */
export interface CsvTable {
  header: string[];
  rows: CsvValue[][];
}

const bucketColumn = (bucket: 'day' | 'week') => (bucket === 'week' ? 'week_starting' : 'date');

export const throughputTable = (rows: ThroughputBucket[], bucket: 'day' | 'week', templateLabel: string): CsvTable => ({
  header: [bucketColumn(bucket), 'completed', 'template'],
  rows: rows.map((b) => [b.start, b.completed, templateLabel]),
});

export const cycleTimeTable = (rows: CycleTimeRow[]): CsvTable => ({
  header: ['department', 'stays', 'median_hours', 'p90_hours'],
  rows: rows.map((r) => [r.department, r.stays, round(r.medianHours), round(r.p90Hours)]),
});

export const rejectionTable = (report: RejectionReport): CsvTable => ({
  header: ['template', 'department', 'approvals', 'rejections', 'rejection_rate'],
  rows: [
    ...report.byDepartment.map((r): CsvValue[] => ['All templates', r.department, r.approvals, r.rejections, round(r.rate, 4)]),
    ...report.byTemplate.map((r): CsvValue[] => [r.templateLabel, r.department, r.approvals, r.rejections, round(r.rate, 4)]),
  ],
});

export const bottleneckTable = (report: BottleneckReport): CsvTable => ({
  header: ['department', 'waiting', 'median_wait_hours', 'longest_wait_hours', 'with_target', 'overdue', 'as_of'],
  rows: report.steps.map((r) => [r.department, r.waiting, round(r.medianHours), round(r.maxHours), r.withTarget, r.overdue, report.asOf]),
});

export const overdueTable = (rows: OverduePoint[], bucket: 'day' | 'week'): CsvTable => ({
  header: [bucketColumn(bucket), 'counted_at', 'overdue'],
  rows: rows.map((p) => [p.start, p.at, p.overdue]),
});

export const activityTable = (rows: UserActivityRow[]): CsvTable => ({
  header: ['person', 'person_id', 'created', 'submitted', 'approved', 'signoffs', 'rejected', 'cancelled', 'total'],
  rows: rows.map((r) => [r.actorName, r.actorId, r.created, r.submits, r.approvals, r.signoffs, r.rejections, r.cancels, r.total]),
});
