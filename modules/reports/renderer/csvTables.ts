import type { BottleneckReport, CycleTimeRow, OverduePoint, RejectionReport, ThroughputBucket, UserActivityRow } from '../contract';
import type { ExportCell, ExportColumn } from '../../../src/shared/exportTable';
import { round } from './format';

/**
 * What each report's export writes (CSV or XLSX, src/shared/exportTable.ts): its columns with
 * their kinds and the rows, from the figures the screen already has (the core computed them).
 * Days and weeks stay text (YYYY-MM-DD, UTC days); instants are dates; hours are rounded to 0.01.
 */
export interface ReportTable {
  columns: ExportColumn[];
  rows: ExportCell[][];
}
type CsvValue = ExportCell;

const t = (header: string): ExportColumn => ({ header, kind: 'text' });
const n = (header: string): ExportColumn => ({ header, kind: 'number' });
const d = (header: string): ExportColumn => ({ header, kind: 'date' });

const bucketColumn = (bucket: 'day' | 'week') => t(bucket === 'week' ? 'week_starting' : 'date');

export const throughputTable = (rows: ThroughputBucket[], bucket: 'day' | 'week', templateLabel: string): ReportTable => ({
  columns: [bucketColumn(bucket), n('completed'), t('template')],
  rows: rows.map((b) => [b.start, b.completed, templateLabel]),
});

export const cycleTimeTable = (rows: CycleTimeRow[]): ReportTable => ({
  columns: [t('department'), n('stays'), n('median_hours'), n('p90_hours')],
  rows: rows.map((r) => [r.department, r.stays, round(r.medianHours), round(r.p90Hours)]),
});

export const rejectionTable = (report: RejectionReport): ReportTable => ({
  columns: [t('template'), t('department'), n('approvals'), n('rejections'), n('rejection_rate')],
  rows: [
    ...report.byDepartment.map((r): CsvValue[] => ['All templates', r.department, r.approvals, r.rejections, round(r.rate, 4)]),
    ...report.byTemplate.map((r): CsvValue[] => [r.templateLabel, r.department, r.approvals, r.rejections, round(r.rate, 4)]),
  ],
});

export const bottleneckTable = (report: BottleneckReport): ReportTable => ({
  columns: [t('department'), n('waiting'), n('median_wait_hours'), n('longest_wait_hours'), n('with_target'), n('overdue'), d('as_of')],
  rows: report.steps.map((r) => [r.department, r.waiting, round(r.medianHours), round(r.maxHours), r.withTarget, r.overdue, report.asOf]),
});

export const overdueTable = (rows: OverduePoint[], bucket: 'day' | 'week'): ReportTable => ({
  columns: [bucketColumn(bucket), d('counted_at'), n('overdue')],
  rows: rows.map((p) => [p.start, p.at, p.overdue]),
});

export const activityTable = (rows: UserActivityRow[]): ReportTable => ({
  columns: [t('person'), t('person_id'), n('created'), n('submitted'), n('approved'), n('signoffs'), n('rejected'), n('cancelled'), n('total')],
  rows: rows.map((r) => [r.actorName, r.actorId, r.created, r.submits, r.approvals, r.signoffs, r.rejections, r.cancels, r.total]),
});
