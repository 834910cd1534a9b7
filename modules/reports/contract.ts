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
/** A department is a step name (as on the items' workflows), e.g. "Quality Control". */
const department = z
  .string()
  .trim()
  .min(1, 'Choose a department, or leave the filter out for all departments')
  .max(120, 'A department name has at most 120 characters')
  .optional();
const bucket = z.enum(['day', 'week'], { error: 'Group by "day" or "week"' });

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

export interface BottleneckRow {
  department: string;
  /** Active items at this step now. */
  waiting: number;
  /** Age at the step: now − the time the item arrived there. */
  medianHours: number;
  maxHours: number;
  /** Of those waiting, how many are at a step with target hours. */
  withTarget: number;
  /** Past the step's target hours now (the same rule as the dashboard's overdue flag). */
  overdue: number;
}

export interface BottleneckReport {
  /** The "now" the ages were measured at (ISO 8601). */
  asOf: string;
  /** Longest wait first. */
  steps: BottleneckRow[];
}

export interface OverduePoint {
  /** First day of the bucket (YYYY-MM-DD, UTC); weeks start on Monday. */
  start: string;
  /** The instant counted at (ISO 8601): the end of the bucket, or now if that is earlier. */
  at: string;
  overdue: number;
}

export interface UserActivityRow {
  actorId: string;
  /** The name on this person's latest event in the range. */
  actorName: string;
  created: number;
  submits: number;
  /** Approvals that moved an item on (the last sign-off of a step). */
  approvals: number;
  /** Sign-offs that left the item at its step, waiting for more. */
  signoffs: number;
  rejections: number;
  cancels: number;
  total: number;
}

export const reportsContract = {
  /** Items completed per day or week, dates inclusive (UTC). */
  'reports.throughput': query<ThroughputBucket[]>()(
    rangeChecked(z.strictObject({ ...range, bucket, workflowId })),
  ),
  /** Median and 90th percentile time items spent at each step (department). */
  'reports.cycleTime': query<CycleTimeRow[]>()(rangeChecked(z.strictObject({ ...range, workflowId, department }))),
  /** Share of decisions at each step that were rejections, per department and per template. */
  'reports.rejectionRate': query<RejectionReport>()(rangeChecked(z.strictObject({ ...range, workflowId, department }))),
  /** Where active items wait now: count, median and longest age, overdue, per step. */
  'reports.bottlenecks': query<BottleneckReport>()(z.strictObject({ workflowId, department })),
  /** How many items were overdue at the end of each day or week. */
  'reports.overdueOverTime': query<OverduePoint[]>()(rangeChecked(z.strictObject({ ...range, bucket, workflowId, department }))),
  /** What each person did in the range, most active first. */
  'reports.userActivity': query<UserActivityRow[]>()(rangeChecked(z.strictObject({ ...range, workflowId }))),
  /** Every department (step name) on any item's workflow, in step order: the filter's choices. */
  'reports.departments': query<string[]>()(z.strictObject({})),
} as const;
