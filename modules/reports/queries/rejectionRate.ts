import { sql, type SQL } from 'drizzle-orm';
import type { RejectionReport } from '../contract';
import { isDecision, notCountedYet } from '../counts';
import { DAY, departmentFilter, rangeMs, stepNamesCte, workflowFilter, type Filters, type Read } from './shared';

/**
 * Decisions at a step: rejections there, and approvals that moved the item on (to the next
 * step or to completed). A partial sign-off of a multi-sign-off step is not a decision of
 * its own; the step's last sign-off is. Read from the decisions counted per day
 * (report_decision_days), so a year is a few thousand rows, not every event.
 */
export function rejectionRate(read: Read, input: { from: string; to: string } & Filters): Promise<RejectionReport> {
  const { start, end } = rangeMs(input.from, input.to);
  // The counted days of the range, and the events of the range not counted yet (after the mark).
  const counted = sql`
    select c.workflow_id, c.step_index, sum(c.approvals) as approvals, sum(c.rejections) as rejections
    from (
      select d.workflow_id, d.step_index, d.approvals, d.rejections
      from report_decision_days d
      where d.day >= ${start / DAY} and d.day < ${end / DAY}
      union all
      select wi.workflow_id, e.from_step, e.action = 'approve', e.action = 'reject'
      from transition_events e
      join work_items wi on wi.id = e.item_id
      where ${notCountedYet(start, end)} and ${sql.raw(isDecision('e'))}
    ) c
    join workflow_snapshots ws on ws.id = c.workflow_id
    where 1 ${workflowFilter(input.workflowId)}
    group by c.workflow_id, c.step_index`;
  return rejectionReport(read, counted, input.department);
}

/**
 * The report from `counted`: rows (workflow_id, step_index, approvals, rejections) of the
 * decisions to report, per workflow snapshot and step, named by their department and template.
 */
export async function rejectionReport(read: Read, counted: SQL, department: string | undefined): Promise<RejectionReport> {
  const rows = await read<{ grouping: 'dept' | 'tmpl'; department: string; templateId: string | null; templateLabel: string | null; approvals: number; rejections: number }>(sql`
    with ${stepNamesCte},
    counted as (${counted}),
    decisions as (
      select n.department, n.step_index, n.template_id, n.template_label, c.approvals, c.rejections
      from counted c join step_names n on n.workflow_id = c.workflow_id and n.step_index = c.step_index
      where 1 ${departmentFilter(sql`n.department`, department)}
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
