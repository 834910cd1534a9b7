import { sql } from 'drizzle-orm';
import type { UserActivityRow } from '../contract';
import { isPartialSignoff, rangeMs, workflowFilter, type Read } from './shared';

/** Every transition in the range, counted per actor by kind; most active first. */
export function userActivity(read: Read, input: { from: string; to: string; workflowId?: string | undefined }): Promise<UserActivityRow[]> {
  const { start, end } = rangeMs(input.from, input.to);
  // The item and its snapshot are read only to keep to a template: a look-up per event, most of the cost over a year.
  const byTemplate = input.workflowId
    ? sql`join work_items wi on wi.id = e.item_id join workflow_snapshots ws on ws.id = wi.workflow_id`
    : sql``;
  // actor_name is a bare column beside max(e.at): SQLite takes it from the row holding the
  // max, so a person who changed how their name is written shows under their latest name.
  return read<UserActivityRow>(sql`
    select actorId, actorName, created, submits, approvals, signoffs, rejections, cancels, total
    from (
      select e.actor_id as actorId, e.actor_name as actorName, max(e.at) as lastAt,
             sum(e.action = 'create') as created,
             sum(e.action = 'submit') as submits,
             sum(e.action = 'approve' and not ${isPartialSignoff('e')}) as approvals,
             sum(${isPartialSignoff('e')}) as signoffs,
             sum(e.action = 'reject') as rejections,
             sum(e.action = 'cancel') as cancels,
             count(*) as total
      from transition_events e
      ${byTemplate}
      where e.at >= ${start} and e.at < ${end} ${workflowFilter(input.workflowId)}
      group by e.actor_id
    )
    order by total desc, actorName, actorId
  `);
}
