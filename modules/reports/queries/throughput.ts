import { sql } from 'drizzle-orm';
import { notCountedYet } from '../counts';
import type { ThroughputBucket } from '../contract';
import { bucketOf, bucketsCte, DAY, rangeMs, workflowFilter, type Read } from './shared';

/**
 * Items completed per bucket: an item counts at the `at` of its event with to_status
 * 'completed'. Read from the completions counted per day (report_decision_days), and the
 * events of the range not counted yet.
 */
export function throughput(read: Read, input: { from: string; to: string; bucket: 'day' | 'week'; workflowId?: string | undefined }): Promise<ThroughputBucket[]> {
  const { start, end } = rangeMs(input.from, input.to);
  return read<ThroughputBucket>(sql`
    with recursive ${bucketsCte(input)},
    completions as (
      select d.day as day, d.completed as n
      from report_decision_days d
      join workflow_snapshots ws on ws.id = d.workflow_id
      where d.day >= ${start / DAY} and d.day < ${end / DAY} and d.completed > 0 ${workflowFilter(input.workflowId)}
      union all
      select e.at / ${DAY}, 1
      from transition_events e
      join work_items wi on wi.id = e.item_id
      join workflow_snapshots ws on ws.id = wi.workflow_id
      where ${notCountedYet(start, end)} and e.to_status = 'completed' ${workflowFilter(input.workflowId)}
    ),
    done as (
      select ${bucketOf(input.bucket, sql`day * 86400, 'unixepoch'`)} as start, sum(n) as completed
      from completions
      group by 1
    )
    select b.start as start, coalesce(d.completed, 0) as completed
    from buckets b left join done d on d.start = b.start
    order by b.start
  `);
}
