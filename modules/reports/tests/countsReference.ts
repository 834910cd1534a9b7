import { sql } from 'drizzle-orm';
import type { RejectionReport, ThroughputBucket, UserActivityRow } from '../contract';
import { isDecision, isPartialSignoff } from '../counts';
import { rejectionReport } from '../queries/rejectionRate';
import { bucketOf, bucketsCte, rangeMs, workflowFilter, type Filters, type Read } from '../queries/shared';

/**
 * The throughput, rejection-rate and per-person activity figures straight from every event in the range,
 * as the reports computed them before they were counted (report_decision_days,
 * report_activity_periods): the reference the counted figures must equal, rows and order.
 * (The rejection report's naming and grouping of the decisions is shared: rejectionReport.)
 */

export function userActivityFromEvents(read: Read, input: { from: string; to: string; workflowId?: string }): Promise<UserActivityRow[]> {
  const { start, end } = rangeMs(input.from, input.to);
  const partial = sql.raw(isPartialSignoff('e'));
  return read<UserActivityRow>(sql`
    select actorId, actorName, created, submits, approvals, signoffs, rejections, cancels, total
    from (
      select e.actor_id as actorId, e.actor_name as actorName, max(e.at) as lastAt,
             sum(e.action = 'create') as created, sum(e.action = 'submit') as submits,
             sum(e.action = 'approve' and not ${partial}) as approvals, sum(${partial}) as signoffs,
             sum(e.action = 'reject') as rejections, sum(e.action = 'cancel') as cancels, count(*) as total
      from transition_events e
      join work_items wi on wi.id = e.item_id join workflow_snapshots ws on ws.id = wi.workflow_id
      where e.at >= ${start} and e.at < ${end} ${workflowFilter(input.workflowId)}
      group by e.actor_id
    )
    order by total desc, actorName, actorId`);
}

/** reports.rejectionRate from the events: the decisions of the range counted from each one. */
export function rejectionRateFromEvents(read: Read, input: { from: string; to: string } & Filters): Promise<RejectionReport> {
  const { start, end } = rangeMs(input.from, input.to);
  return rejectionReport(
    read,
    sql`
      select wi.workflow_id, e.from_step as step_index, sum(e.action = 'approve') as approvals, sum(e.action = 'reject') as rejections
      from transition_events e
      join work_items wi on wi.id = e.item_id
      join workflow_snapshots ws on ws.id = wi.workflow_id
      where ${sql.raw(isDecision('e'))} and e.at >= ${start} and e.at < ${end} ${workflowFilter(input.workflowId)}
      group by wi.workflow_id, e.from_step`,
    input.department,
  );
}

/** reports.throughput from the events: items completed per bucket, each at its completing event. */
export function throughputFromEvents(read: Read, input: { from: string; to: string; bucket: 'day' | 'week'; workflowId?: string }): Promise<ThroughputBucket[]> {
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
    order by b.start`);
}
