import { sql, type SQL } from 'drizzle-orm';
import type { CycleTimeRow, RejectionReport, ThroughputBucket } from './contract';

/**
 * The report queries. Everything is computed in SQLite: the renderer receives only the
 * aggregated rows. Times are UTC; a range [from, to] covers from 00:00Z on `from` up to,
 * but not including, 00:00Z on the day after `to`.
 */

/** Runs a query off the main thread (ctx.background.all). */
export type Read = <T>(query: SQL) => Promise<T[]>;

const DAY = 86_400_000;
export const rangeMs = (from: string, to: string) => ({ start: Date.parse(`${from}T00:00:00Z`), end: Date.parse(`${to}T00:00:00Z`) + DAY });

/**
 * Each workflow snapshot's steps by position, read from steps_json once per snapshot (a few
 * rows) instead of once per event.
 */
const stepNamesCte = sql`step_names as (
    select ws.id as workflow_id, cast(j.key as integer) as step_index, json_extract(j.value, '$.name') as department,
           ws.source_id as template_id, coalesce(ws.source_label, ws.source_id) as template_label
    from workflow_snapshots ws, json_each(ws.steps_json) j
  )`;

/** Snapshot filter: items started from one workflow choice (any version), or all. */
const workflowFilter = (workflowId: string | undefined) => (workflowId ? sql`and ws.source_id = ${workflowId}` : sql``);

export function throughput(read: Read, input: { from: string; to: string; bucket: 'day' | 'week'; workflowId?: string | undefined }): Promise<ThroughputBucket[]> {
  const { start, end } = rangeMs(input.from, input.to);
  // A week bucket is the Monday on or before the day (ISO weeks): 'weekday 0' moves to the
  // coming Sunday (or stays on a Sunday), then six days back.
  const bucketOf = (dayExpr: ReturnType<typeof sql>) =>
    input.bucket === 'week' ? sql`date(${dayExpr}, 'weekday 0', '-6 days')` : sql`date(${dayExpr})`;
  const step = input.bucket === 'week' ? '+7 days' : '+1 day';
  return read<ThroughputBucket>(sql`
    with recursive buckets(start) as (
      select ${bucketOf(sql`${input.from}`)}
      union all
      select date(start, ${step}) from buckets where date(start, ${step}) <= ${input.to}
    ),
    done as (
      select ${bucketOf(sql`e.at / 1000, 'unixepoch'`)} as start, count(*) as completed
      from transition_events e
      join work_items wi on wi.id = e.item_id
      join workflow_snapshots ws on ws.id = wi.workflow_id
      where e.to_status = 'completed' and e.at >= ${start} and e.at < ${end} ${workflowFilter(input.workflowId)}
      group by 1
    )
    select b.start as start, coalesce(d.completed, 0) as completed
    from buckets b left join done d on d.start = b.start
    order by b.start
  `);
}

/**
 * The stays: an item's time at one step, from the event that brings it there (active) to the
 * next event that changes its step or status. Partial sign-offs of a multi-sign-off step
 * (approve, still active at the same step) neither start nor end a stay, so they are left out
 * before LEAD looks for the next event. Open stays (the item is still there) are not counted;
 * a stay belongs to the range its end falls in.
 */
const staysCte = (workflowId: string | undefined, start: number, end: number) => sql`
  ${stepNamesCte},
  touched as (
    -- A stay that ends in the range ends with an event in the range, so only items with an
    -- event there need their history walked.
    select distinct item_id from transition_events where at >= ${start} and at < ${end}
  ),
  boundaries as (
    select e.item_id, e.seq, e.at, e.to_status, e.to_step, wi.workflow_id,
           lead(e.at) over (partition by e.item_id order by e.seq) as left_at
    from transition_events e
    join work_items wi on wi.id = e.item_id
    join workflow_snapshots ws on ws.id = wi.workflow_id
    where e.item_id in (select item_id from touched)
      and not (e.action = 'approve' and e.to_status = 'active' and e.to_step = e.from_step) ${workflowFilter(workflowId)}
  ),
  stays as (
    select n.department, b.to_step as step_index, b.left_at - b.at as ms, b.left_at
    from boundaries b
    join step_names n on n.workflow_id = b.workflow_id and n.step_index = b.to_step
    where b.to_status = 'active' and b.to_step is not null and b.left_at is not null
  )`;

export async function cycleTime(read: Read, input: { from: string; to: string; workflowId?: string | undefined }): Promise<CycleTimeRow[]> {
  const { start, end } = rangeMs(input.from, input.to);
  // Percentiles in SQL: the median averages the middle one or two stays; p90 is the nearest
  // rank, the stay at position ceil(0.9 n) in duration order.
  const rows = await read<{ department: string; stays: number; medianMs: number; p90Ms: number }>(sql`
    with ${staysCte(input.workflowId, start, end)},
    ranked as (
      select department, step_index, ms,
             row_number() over (partition by department order by ms) as rn,
             count(*) over (partition by department) as n
      from stays
      where left_at >= ${start} and left_at < ${end}
    )
    select department,
           max(n) as stays,
           avg(case when rn in ((n + 1) / 2, (n + 2) / 2) then ms end) as medianMs,
           max(case when rn = (9 * n + 9) / 10 then ms end) as p90Ms
    from ranked
    group by department
    order by min(step_index), department
  `);
  return rows.map((r) => ({ department: r.department, stays: r.stays, medianHours: r.medianMs / 3_600_000, p90Hours: r.p90Ms / 3_600_000 }));
}

/**
 * Decisions at a step: rejections there, and approvals that moved the item on (to the next
 * step or to completed). A partial sign-off of a multi-sign-off step is not a decision of
 * its own; the step's last sign-off is.
 */
export async function rejectionRate(read: Read, input: { from: string; to: string; workflowId?: string | undefined }): Promise<RejectionReport> {
  const { start, end } = rangeMs(input.from, input.to);
  const rows = await read<{ grouping: 'dept' | 'tmpl'; department: string; templateId: string | null; templateLabel: string | null; approvals: number; rejections: number }>(sql`
    with ${stepNamesCte},
    counted as (
      select wi.workflow_id, e.from_step as step_index,
             sum(e.action = 'approve') as approvals, sum(e.action = 'reject') as rejections
      from transition_events e
      join work_items wi on wi.id = e.item_id
      join workflow_snapshots ws on ws.id = wi.workflow_id
      where e.from_status = 'active' and e.from_step is not null
        and (e.action = 'reject' or (e.action = 'approve' and (e.to_step is null or e.to_step <> e.from_step)))
        and e.at >= ${start} and e.at < ${end} ${workflowFilter(input.workflowId)}
      group by wi.workflow_id, e.from_step
    ),
    decisions as (
      select n.department, n.step_index, n.template_id, n.template_label, c.approvals, c.rejections
      from counted c join step_names n on n.workflow_id = c.workflow_id and n.step_index = c.step_index
    )
    select 'dept' as grouping, department, null as templateId, null as templateLabel,
           sum(approvals) as approvals, sum(rejections) as rejections, min(step_index) as stepIndex
    from decisions group by department
    union all
    select 'tmpl', department, template_id, max(template_label),
           sum(approvals), sum(rejections), min(step_index)
    from decisions group by template_id, department
    order by grouping, templateId, stepIndex, department
  `);
  const rate = (a: number, r: number) => (a + r === 0 ? 0 : r / (a + r));
  return {
    byDepartment: rows
      .filter((r) => r.grouping === 'dept')
      .map((r) => ({ department: r.department, approvals: r.approvals, rejections: r.rejections, rate: rate(r.approvals, r.rejections) })),
    byTemplate: rows
      .filter((r) => r.grouping === 'tmpl')
      .map((r) => ({
        department: r.department,
        templateId: r.templateId,
        templateLabel: r.templateLabel ?? 'Custom steps',
        approvals: r.approvals,
        rejections: r.rejections,
        rate: rate(r.approvals, r.rejections),
      })),
  };
}
