import { z } from 'zod';
import { query } from '../../src/shared/channel';

/** A calendar date, YYYY-MM-DD (UTC day). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-01-31')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Not a real date');

/** Longest range one report may cover (about ten years of days). */
export const MAX_RANGE_DAYS = 3700;

const range = {
  from: isoDate,
  to: isoDate,
};

const rangeOk = (v: { from: string; to: string }) => v.from <= v.to;
const rangeNotTooLong = (v: { from: string; to: string }) => (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 < MAX_RANGE_DAYS;
const rangeChecked = <T extends z.ZodType<{ from: string; to: string }>>(schema: T) =>
  schema
    .refine(rangeOk, { message: 'The start date must not be after the end date', path: ['to'] })
    .refine(rangeNotTooLong, { message: `A report covers at most ${MAX_RANGE_DAYS} days`, path: ['from'] });

const workflowId = z.string().trim().min(1).max(120).optional();

export interface ThroughputBucket {
  /** First day of the bucket (YYYY-MM-DD, UTC); weeks start on Monday (ISO 8601). */
  start: string;
  completed: number;
}

export interface CycleTimeRow {
  department: string;
  /** Finished stays at this step that ended in the range. */
  stays: number;
  medianHours: number;
  p90Hours: number;
}

export interface RejectionRow {
  department: string;
  /** Template id ('template:<key>'), or null for items given their steps directly. */
  templateId: string | null;
  templateLabel: string;
  approvals: number;
  rejections: number;
  /** rejections / (approvals + rejections), 0..1. */
  rate: number;
}

export interface RejectionReport {
  /** Per department over every template. */
  byDepartment: Omit<RejectionRow, 'templateId' | 'templateLabel'>[];
  /** Per template and department. */
  byTemplate: RejectionRow[];
}

export const reportsContract = {
  /** Items completed per day or week, dates inclusive (UTC). */
  'reports.throughput': query<ThroughputBucket[]>()(
    rangeChecked(z.strictObject({ ...range, bucket: z.enum(['day', 'week']), workflowId })),
  ),
  /** Median and 90th percentile time items spent at each step (department). */
  'reports.cycleTime': query<CycleTimeRow[]>()(rangeChecked(z.strictObject({ ...range, workflowId }))),
  /** Share of decisions at each step that were rejections, per department and per template. */
  'reports.rejectionRate': query<RejectionReport>()(rangeChecked(z.strictObject({ ...range, workflowId }))),
} as const;
