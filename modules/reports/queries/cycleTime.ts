import { sql } from 'drizzle-orm';
import type { CycleTimeRow } from '../contract';
import { HOUR, rangeMs, staysCte, type Filters, type Read } from './shared';

/**
 * Median and p90 of the finished stays per department. Open stays (the item is still there)
 * are not counted; a stay belongs to the range its end falls in.
 */
export async function cycleTime(read: Read, input: { from: string; to: string } & Filters): Promise<CycleTimeRow[]> {
  const { start, end } = rangeMs(input.from, input.to);
  // A stay that ends in the range ends with an event in the range, so only items with an
  // event there need their history walked.
  const touched = sql`select distinct item_id from transition_events where at >= ${start} and at < ${end}`;
  // Percentiles in SQL: the median averages the middle one or two stays; p90 is the nearest
  // rank, the stay at position ceil(0.9 n) in duration order.
  const rows = await read<{ department: string; stays: number; medianMs: number; p90Ms: number }>(sql`
    with ${staysCte(touched, input)},
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
  return rows.map((r) => ({ department: r.department, stays: r.stays, medianHours: r.medianMs / HOUR, p90Hours: r.p90Ms / HOUR }));
}
