import { sql, type SQL } from 'drizzle-orm';

/**
 * What the report queries share. Everything is computed in SQLite: the renderer receives only
 * the aggregated rows. Times are UTC; a range [from, to] covers from 00:00Z on `from` up to,
 * but not including, 00:00Z on the day after `to`.
 */

/** Runs a query off the main thread (ctx.background.all). */
export type Read = <T>(query: SQL) => Promise<T[]>;

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const rangeMs = (from: string, to: string) => ({ start: Date.parse(`${from}T00:00:00Z`), end: Date.parse(`${to}T00:00:00Z`) + DAY });

export interface Filters {
  workflowId?: string | undefined;
  department?: string | undefined;
}

/**
 * Each workflow snapshot's steps by position, read from steps_json once per snapshot (a few
 * rows) instead of once per event.
 */
export const stepNamesCte = sql`step_names as (
    select ws.id as workflow_id, cast(j.key as integer) as step_index, json_extract(j.value, '$.name') as department,
           json_extract(j.value, '$.targetHours') as target_hours,
           ws.source_id as template_id, coalesce(ws.source_label, ws.source_id) as template_label
    from workflow_snapshots ws, json_each(ws.steps_json) j
  )`;

/** Snapshot filter (alias ws): items started from one workflow choice (any version), or all. */
export const workflowFilter = (workflowId: string | undefined) => (workflowId ? sql`and ws.source_id = ${workflowId}` : sql``);

/** Department filter on a step-name column, or nothing. */
export const departmentFilter = (column: SQL, department: string | undefined) => (department ? sql`and ${column} = ${department}` : sql``);

/**
 * The bucket a day falls in: the day itself, or for weeks the Monday on or before it (ISO
 * weeks): 'weekday 0' moves to the coming Sunday (or stays on a Sunday), then six days back.
 */
export const bucketOf = (bucket: 'day' | 'week', dayExpr: SQL) =>
  bucket === 'week' ? sql`date(${dayExpr}, 'weekday 0', '-6 days')` : sql`date(${dayExpr})`;

/** `buckets(start)`: every bucket of the range, first to last (a recursive CTE; needs `with recursive`). */
export const bucketsCte = (input: { from: string; to: string; bucket: 'day' | 'week' }) => {
  const step = input.bucket === 'week' ? '+7 days' : '+1 day';
  return sql`buckets(start) as (
      select ${bucketOf(input.bucket, sql`${input.from}`)}
      union all
      select date(start, ${step}) from buckets where date(start, ${step}) <= ${input.to}
    )`;
};
