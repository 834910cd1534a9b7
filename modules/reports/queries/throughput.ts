import { sql } from 'drizzle-orm';
import type { ThroughputBucket } from '../contract';
import { bucketOf, bucketsCte, rangeMs, workflowFilter, type Read } from './shared';

/** Items completed per bucket: an item counts at the `at` of its event with to_status 'completed'. */
export function throughput(read: Read, input: { from: string; to: string; bucket: 'day' | 'week'; workflowId?: string | undefined }): Promise<ThroughputBucket[]> {
  const { start, end } = rangeMs(input.from, input.to);
  return read<ThroughputBucket>(sql`
    with recursive ${bucketsCte(input)},
    done as (
      select ${bucketOf(input.bucket, sql`e.at / 1000, 'unixepoch'`)} as start, count(*) as completed
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
