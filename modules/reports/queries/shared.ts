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

/** A partial sign-off: an approval that leaves the item at its step, waiting for more. */
export const isPartialSignoff = (e: string) => sql.raw(`(${e}.action = 'approve' and ${e}.to_status = 'active' and ${e}.to_step = ${e}.from_step)`);

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

/**
 * The stays: an item's time at one step, from the event that brings it there (active) to the
 * next event that changes its step or status (`left_at`, null while it is still there).
 * Partial sign-offs neither start nor end a stay, so they are left out before LEAD looks for
 * the next event. `items` is a subquery of the item ids whose history is walked.
 */
export const staysCte = (items: SQL, filters: Filters) => sql`
  ${stepNamesCte},
  boundaries as (
    select e.item_id, e.seq, e.at, e.to_status, e.to_step, wi.workflow_id,
           lead(e.at) over (partition by e.item_id order by e.seq) as left_at
    from transition_events e
    join work_items wi on wi.id = e.item_id
    join workflow_snapshots ws on ws.id = wi.workflow_id
    where e.item_id in (${items}) and not ${isPartialSignoff('e')} ${workflowFilter(filters.workflowId)}
  ),
  stays as (
    select b.item_id, n.department, n.target_hours, b.to_step as step_index, b.at as entered_at, b.left_at, b.left_at - b.at as ms
    from boundaries b
    join step_names n on n.workflow_id = b.workflow_id and n.step_index = b.to_step
    where b.to_status = 'active' and b.to_step is not null ${departmentFilter(sql`n.department`, filters.department)}
  )`;
