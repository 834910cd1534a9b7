import { sql, type SQL } from 'drizzle-orm';
import { activitySums, notCountedYet, PERIOD_DAYS } from '../counts';
import type { UserActivityRow } from '../contract';
import { DAY, rangeMs, workflowFilter, type Read } from './shared';

const PERIOD_MS = PERIOD_DAYS * DAY;

/**
 * Every transition in the range, counted per actor by kind; most active first. The whole
 * 32-day periods inside the range come from report_activity_periods; the events before the
 * first and after the last of them (under a period at each end), and any not counted yet, are
 * counted here. A range shorter than a period is all events.
 */
export function userActivity(read: Read, input: { from: string; to: string; workflowId?: string | undefined }): Promise<UserActivityRow[]> {
  const { start, end } = rangeMs(input.from, input.to);
  // Periods wholeFrom … wholeTo − 1 lie inside the range, from fromMs to toMs; with none, the first end is all of it.
  const wholeFrom = Math.ceil(start / PERIOD_MS);
  const wholeTo = Math.floor(end / PERIOD_MS);
  const [fromMs, toMs] = wholeTo > wholeFrom ? [wholeFrom * PERIOD_MS, wholeTo * PERIOD_MS] : [end, end];
  const filter = workflowFilter(input.workflowId);
  // The item and its snapshot are read only to keep to a template: a look-up per event.
  const byTemplate = input.workflowId ? sql`join work_items wi on wi.id = e.item_id join workflow_snapshots ws on ws.id = wi.workflow_id` : sql``;
  const events = (where: SQL) => sql`
    select e.actor_id, e.actor_name, max(e.at), ${sql.raw(activitySums('e'))}
    from transition_events e ${byTemplate}
    where ${where} ${filter}
    group by e.actor_id`;
  // actor_name is a bare column beside max(last_at): SQLite takes it from the row holding the
  // max, so a person who changed how their name is written shows under their latest name.
  return read<UserActivityRow>(sql`
    select actorId, actorName, created, submits, approvals, signoffs, rejections, cancels, total
    from (
      select actor_id as actorId, actor_name as actorName, max(last_at) as lastAt,
             sum(created) as created, sum(submits) as submits, sum(approvals) as approvals, sum(signoffs) as signoffs,
             sum(rejections) as rejections, sum(cancels) as cancels, sum(total) as total
      from (
        select p.actor_id, p.actor_name, p.last_at, p.created, p.submits, p.approvals, p.signoffs, p.rejections, p.cancels, p.total
        from report_activity_periods p
        join workflow_snapshots ws on ws.id = p.workflow_id
        where p.period >= ${wholeFrom} and p.period < ${wholeTo} ${filter}
        union all ${events(sql`e.at >= ${start} and e.at < ${fromMs}`)}
        union all ${events(sql`e.at >= ${toMs} and e.at < ${end}`)}
        union all ${events(notCountedYet(fromMs, toMs))}
      )
      group by actor_id
    )
    order by total desc, actorName, actorId
  `);
}
