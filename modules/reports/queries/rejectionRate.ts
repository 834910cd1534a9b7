import { sql } from 'drizzle-orm';
import type { RejectionReport } from '../contract';
import { departmentFilter, rangeMs, stepNamesCte, workflowFilter, type Filters, type Read } from './shared';

/**
 * Decisions at a step: rejections there, and approvals that moved the item on (to the next
 * step or to completed). A partial sign-off of a multi-sign-off step is not a decision of
 * its own; the step's last sign-off is.
 */
export async function rejectionRate(read: Read, input: { from: string; to: string } & Filters): Promise<RejectionReport> {
  const { start, end } = rangeMs(input.from, input.to);
  const rows = await read<{ grouping: 'dept' | 'tmpl'; department: string; templateId: string | null; templateLabel: string | null; approvals: number; rejections: number }>(sql`
    with ${stepNamesCte},
    counted as (
      select wi.workflow_id, e.from_step as step_index,
             sum(e.action = 'approve') as approvals, sum(e.action = 'reject') as rejections
      from transition_events e
      join work_items wi on wi.id = e.item_id
      join workflow_snapshots ws on ws.id = wi.workflow_id
      where e.from_status = 'active' and e.from_step is not null
        and (e.action = 'reject' or (e.action = 'approve' and (e.to_step is null or e.to_step <> e.from_step)))
        and e.at >= ${start} and e.at < ${end} ${workflowFilter(input.workflowId)}
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
