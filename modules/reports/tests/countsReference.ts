import { sql } from 'drizzle-orm';
import type { RejectionReport, UserActivityRow } from '../contract';
import { isDecision, isPartialSignoff } from '../counts';
import { departmentFilter, rangeMs, stepNamesCte, workflowFilter, type Filters, type Read } from '../queries/shared';

/**
 * The rejection-rate and per-person activity figures straight from every event in the range,
 * as the reports computed them before they were counted (report_decision_days,
 * report_activity_periods): the reference the counted figures must equal, rows and order.
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

/** reports.rejectionRate from the events: per department, then per template and department. */
export async function rejectionRateFromEvents(read: Read, input: { from: string; to: string } & Filters): Promise<RejectionReport> {
  const { start, end } = rangeMs(input.from, input.to);
  type Row = { grouping: string; department: string; templateId: string | null; templateLabel: string | null; approvals: number; rejections: number };
  const rows = await read<Row>(sql`
    with ${stepNamesCte},
    counted as (
      select wi.workflow_id, e.from_step as step_index, sum(e.action = 'approve') as approvals, sum(e.action = 'reject') as rejections
      from transition_events e
      join work_items wi on wi.id = e.item_id
      join workflow_snapshots ws on ws.id = wi.workflow_id
      where ${sql.raw(isDecision('e'))} and e.at >= ${start} and e.at < ${end} ${workflowFilter(input.workflowId)}
      group by wi.workflow_id, e.from_step
    ),
    decisions as (
      select n.department, n.step_index, n.template_id, n.template_label, c.approvals, c.rejections
      from counted c join step_names n on n.workflow_id = c.workflow_id and n.step_index = c.step_index
      where 1 ${departmentFilter(sql`n.department`, input.department)}
    )
    select 'dept' as grouping, department, null as templateId, null as templateLabel,
           sum(approvals) as approvals, sum(rejections) as rejections, min(step_index) as stepIndex
    from decisions group by department
    union all
    select 'tmpl', department, template_id, max(template_label), sum(approvals), sum(rejections), min(step_index)
    from decisions group by template_id, department
    order by grouping, templateId, stepIndex, department`);
  const rate = (a: number, r: number) => (a + r === 0 ? 0 : r / (a + r));
  const shaped = ({ department, approvals, rejections }: Row) => ({ department, approvals, rejections, rate: rate(approvals, rejections) });
  return {
    byDepartment: rows.filter((r) => r.grouping === 'dept').map(shaped),
    byTemplate: rows
      .filter((r) => r.grouping === 'tmpl')
      .map((r) => ({ ...shaped(r), templateId: r.templateId, templateLabel: r.templateLabel ?? 'Custom steps' })),
  };
}
