import { sql } from 'drizzle-orm';
import type { OverduePoint } from '../contract';
import { bucketsCte, DAY, departmentFilter, rangeMs, stepNamesCte, workflowFilter, type Filters, type Read } from './shared';

/**
 * How many items were overdue at the end of each bucket. An item is overdue at instant t if
 * it had a stay at a step with target hours that began before t and had not ended by t
 * (entered_at <= t < left_at, or still open), and entered_at + target < t — the core's rule
 * applied to the past. The instant is the end of the bucket (00:00Z on the day after its
 * last day in the range), or now if that is earlier; buckets that start after now are left out.
 *
 * Counted in one pass, not one per bucket: a stay that is ever overdue adds one from the first
 * instant after its due time and takes it away from the first instant at or after it left.
 * Those marks are summed per bucket and the sums added up in bucket order. Buckets are whole
 * days or weeks in UTC, so a time's bucket is arithmetic: bucket k's instant is
 * first + (k + 1) × step, or the cap (the range's end or now) when that is earlier.
 *
 * The finished stays' marks are read already counted per day boundary (report_overdue_days, a
 * few rows a day, instead of every stay: a year took 3 s at a million items). Every instant but
 * now is a day boundary, where that is exact. At now (the last instant when the range reaches
 * today) the day's marks are taken whole: exact as long as no stay ended after now, which only
 * a clock set back could make happen. The items' current stays are read from work_items.
 */
export async function overdueOverTime(read: Read, now: number, input: { from: string; to: string; bucket: 'day' | 'week' } & Filters): Promise<OverduePoint[]> {
  const { start, end } = rangeMs(input.from, input.to);
  const step = input.bucket === 'week' ? 7 * DAY : DAY;
  const cap = Math.min(end, now);
  // The day boundary at or after the cap: the finished stays' marks up to it count at the last instant.
  const lastBoundary = Math.ceil(cap / DAY);
  // A literal, not a bound number (bound as a double, it would make the bucket arithmetic fractional).
  const stepMs = sql.raw(String(step));
  const rows = await read<{ start: string; at: number; overdue: number }>(sql`
    with recursive ${bucketsCte(input)},
    first_bucket as (select unixepoch(min(start)) * 1000 as ms from buckets),
    instants as (
      select start, min(unixepoch(start) * 1000 + ${step}, ${cap}) as at,
             (unixepoch(start) * 1000 - (select ms from first_bucket)) / ${stepMs} as k
      from buckets
      where max(unixepoch(start) * 1000, ${start}) < ${now}
    ),
    ${stepNamesCte},
    -- Finished stays, counted per day boundary (report_overdue_days): a mark at that boundary, which counts
    -- from the instant there on. The items' current stays (work_items): a mark at their due time, after it.
    marks as (
      select d, cast(d as integer) / ${stepMs} as q, delta, inclusive from (
        select o.day * ${DAY} - (select ms from first_bucket) as d, sum(o.due) - sum(o.ended) as delta, 1 as inclusive
        from report_overdue_days o
        join step_names n on n.workflow_id = o.workflow_id and n.step_index = o.step_index
        where o.day <= ${lastBoundary} ${input.workflowId ? sql`and n.template_id = ${input.workflowId}` : sql``}
          ${departmentFilter(sql`n.department`, input.department)}
        group by o.day
        union all
        select wi.due_at - (select ms from first_bucket), 1, 0
        from work_items wi
        join workflow_snapshots ws on ws.id = wi.workflow_id
        where wi.status = 'active' and wi.current_step is not null and wi.due_at < ${cap}
          ${workflowFilter(input.workflowId)} ${departmentFilter(sql`wi.current_step_name`, input.department)}
      )
    ),
    -- The first bucket whose instant is after the mark (due), or at or after it (left).
    placed as (
      select case
               when d <= 0 then 0
               when inclusive = 1 and d = q * ${stepMs} then q - 1
               else q
             end as k,
             delta
      from marks
    ),
    per_bucket as (select k, sum(delta) as delta from placed group by k)
    select i.start, i.at, sum(coalesce(p.delta, 0)) over (order by i.k) as overdue
    from instants i
    left join per_bucket p on p.k = i.k
    order by i.start
  `);
  return rows.map((r) => ({ start: r.start, at: new Date(r.at).toISOString(), overdue: r.overdue }));
}
