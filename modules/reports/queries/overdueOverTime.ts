import { sql } from 'drizzle-orm';
import type { OverduePoint } from '../contract';
import { bucketsCte, DAY, rangeMs, timedStaysCte, type Filters, type Read } from './shared';

/**
 * How many items were overdue at the end of each bucket. An item is overdue at instant t if
 * it had a stay at a step with target hours that began before t and had not ended by t
 * (entered_at <= t < left_at, or still open), and entered_at + target < t — the core's rule
 * applied to the past. The instant is the end of the bucket (00:00Z on the day after its
 * last day in the range), or now if that is earlier; buckets that start after now are left out.
 */
export async function overdueOverTime(read: Read, now: number, input: { from: string; to: string; bucket: 'day' | 'week' } & Filters): Promise<OverduePoint[]> {
  const { start, end } = rangeMs(input.from, input.to);
  const step = input.bucket === 'week' ? 7 * DAY : DAY;
  const rows = await read<{ start: string; at: number; overdue: number }>(sql`
    with recursive ${bucketsCte(input)},
    instants as (
      select start, min(unixepoch(start) * 1000 + ${step}, ${end}, ${now}) as at
      from buckets
      where max(unixepoch(start) * 1000, ${start}) < ${now}
    ),
    ${timedStaysCte(start, end, input)}
    select i.start, i.at, count(t.due_at) as overdue
    from instants i
    left join timed t on t.due_at < i.at and (t.left_at is null or t.left_at > i.at)
    group by i.start, i.at
    order by i.start
  `);
  return rows.map((r) => ({ start: r.start, at: new Date(r.at).toISOString(), overdue: r.overdue }));
}
