import { sql } from 'drizzle-orm';
import type { BottleneckReport } from '../contract';
import { departmentFilter, HOUR, workflowFilter, type Filters, type Read } from './shared';

/**
 * Active items by the step they are at now: how many, how long they have been there
 * (now − step_entered_at) and how many are overdue. Overdue is the core's rule
 * (workItemStore isOverdue): the step has target hours and step_entered_at + target < now.
 */
export async function bottlenecks(read: Read, now: number, filters: Filters): Promise<BottleneckReport> {
  const rows = await read<{ department: string; waiting: number; medianMs: number; maxMs: number; withTarget: number; overdue: number }>(sql`
    with at_step as (
      select json_extract(ws.steps_json, '$[' || wi.current_step || '].name') as department,
             json_extract(ws.steps_json, '$[' || wi.current_step || '].targetHours') as target_hours,
             wi.current_step as step_index, wi.step_entered_at,
             -- an arrival stamped after "now" (a clock set back) waits for no time, not negative time
             max(${now} - wi.step_entered_at, 0) as age_ms
      from work_items wi
      join workflow_snapshots ws on ws.id = wi.workflow_id
      where wi.status = 'active' and wi.current_step is not null ${workflowFilter(filters.workflowId)}
    ),
    ranked as (
      select *, row_number() over (partition by department order by age_ms) as rn, count(*) over (partition by department) as n
      from at_step
      where 1 ${departmentFilter(sql`department`, filters.department)}
    )
    select department,
           max(n) as waiting,
           avg(case when rn in ((n + 1) / 2, (n + 2) / 2) then age_ms end) as medianMs,
           max(age_ms) as maxMs,
           sum(target_hours is not null) as withTarget,
           sum(target_hours is not null and step_entered_at + target_hours * ${HOUR} < ${now}) as overdue
    from ranked
    group by department
    order by maxMs desc, medianMs desc, department
  `);
  return {
    asOf: new Date(now).toISOString(),
    steps: rows.map((r) => ({
      department: r.department,
      waiting: r.waiting,
      medianHours: r.medianMs / HOUR,
      maxHours: r.maxMs / HOUR,
      withTarget: r.withTarget,
      overdue: r.overdue,
    })),
  };
}
