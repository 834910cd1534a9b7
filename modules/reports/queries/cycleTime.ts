import { sql, type SQL } from 'drizzle-orm';
import type { CycleTimeRow } from '../contract';
import { DAY, HOUR, rangeMs, type Filters, type Read } from './shared';

/** The length of report_stay_periods' periods (migration 0000): left_period = floor(left_day / 32). */
const PERIOD_DAYS = 32;

/** SQLite's BINARY order (UTF-8 bytes), which the report's `order by department` used. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Median and p90 of the finished stays per department (report_stays; the stay an item is in
 * now is not finished and not counted); a stay belongs to the range its end falls in. Median =
 * mean of the middle one or two; p90 = nearest rank, the stay at position ceil(0.9 n).
 */
export async function cycleTime(read: Read, input: { from: string; to: string } & Filters): Promise<CycleTimeRow[]> {
  if (input.workflowId) return withWindows(read, input);
  const { start, end } = rangeMs(input.from, input.to);
  const department = input.department ? sql`and department_id = (select id from report_departments where name = ${input.department})` : sql``;
  // 1. How many stays of each department ended in the range, per whole hour of duration: the
  // 32-day periods wholly inside the range, and the days at its ends (report_stay_periods and
  // report_stay_days hold a row per period or day, department, hour and step).
  const d0 = Math.floor(start / DAY);
  const d1 = Math.floor(end / DAY);
  const p0 = Math.ceil(d0 / PERIOD_DAYS);
  const p1 = Math.max(p0, Math.floor(d1 / PERIOD_DAYS));
  const days =
    p0 < p1
      ? sql`(left_day >= ${d0} and left_day < ${p0 * PERIOD_DAYS}) or (left_day >= ${p1 * PERIOD_DAYS} and left_day < ${d1})`
      : sql`left_day >= ${d0} and left_day < ${d1}`;
  // 2. Which hour holds each rank wanted (1-based: the one or two in the middle, and the 90th
  // percentile's), worked out in the background: a department's stays can spread over
  // thousands of hours, and shipping every hour to this thread would stall it.
  const ranks = await read<{ departmentId: number; name: string; total: number; firstStep: number; rank: number; hour: number; before: number }>(sql`
    with counted as (
      select department_id, hour, step_index, n from report_stay_periods
      where left_period >= ${p0} and left_period < ${p1} and n > 0 ${department}
      union all
      select department_id, hour, step_index, n from report_stay_days
      where (${days}) and n > 0 ${department}
    ),
    per_hour as (
      select department_id, hour, sum(n) as n, min(step_index) as first_step from counted group by department_id, hour
    ),
    running as (
      select department_id, hour, n, sum(n) over (partition by department_id order by hour rows unbounded preceding) as upto
      from per_hour
    ),
    totals as (
      select department_id, sum(n) as total, min(first_step) as first_step from per_hour group by department_id
    ),
    wanted as (
      select department_id, total, first_step, (total + 1) / 2 as rank from totals
      union select department_id, total, first_step, (total + 2) / 2 from totals
      union select department_id, total, first_step, (9 * total + 9) / 10 from totals
    )
    select w.department_id as departmentId, d.name as name, w.total as total, w.first_step as firstStep, w.rank as rank,
           r.hour as hour, r.upto - r.n as before
    from wanted w
    join running r on r.department_id = w.department_id and r.upto >= w.rank and r.upto - r.n < w.rank
    join report_departments d on d.id = w.department_id
  `);
  if (ranks.length === 0) return [];
  // 3. The stay at each of those ranks, read from the one hour that holds it: the department's
  // stays are stored in duration order, so that is a short range of rows.
  const picks: SQL[] = ranks.map(
    (r, i) => sql`select ${i} as k, (select ms from report_stays
      where department_id = ${r.departmentId} and ms >= ${r.hour * HOUR} and ms < ${(r.hour + 1) * HOUR} and left_at >= ${start} and left_at < ${end}
      order by ms limit 1 offset ${r.rank - r.before - 1}) as ms`,
  );
  const found = await read<{ k: number; ms: number | null }>(sql.join(picks, sql` union all `));
  const ms = new Map(found.map((r) => [r.k, r.ms]));
  // The counts and the stays disagree only if the count tables were changed by hand: then count the slow way.
  if (ranks.some((_, i) => ms.get(i) == null)) return withWindows(read, input);
  interface Dept { id: number; name: string; n: number; firstStep: number; at: Map<number, number> }
  const depts = new Map<number, Dept>();
  ranks.forEach((r, i) => {
    let d = depts.get(r.departmentId);
    if (!d) depts.set(r.departmentId, (d = { id: r.departmentId, name: r.name, n: r.total, firstStep: r.firstStep, at: new Map() }));
    d.at.set(r.rank, ms.get(i)!);
  });
  return [...depts.values()]
    .sort((a, b) => a.firstStep - b.firstStep || byBytes(a.name, b.name))
    .map((d) => {
      const at = (rank: number) => d.at.get(rank)!;
      const median = (at(Math.floor((d.n + 1) / 2)) + at(Math.floor((d.n + 2) / 2))) / 2;
      return { department: d.name, stays: d.n, medianHours: median / HOUR, p90Hours: at(Math.floor((9 * d.n + 9) / 10)) / HOUR };
    });
}

/** The same figures with window functions over the matching stays: for a template filter, which the counts do not carry. */
async function withWindows(read: Read, input: { from: string; to: string } & Filters): Promise<CycleTimeRow[]> {
  const { start, end } = rangeMs(input.from, input.to);
  const rows = await read<{ department: string; stays: number; medianMs: number; p90Ms: number }>(sql`
    with ranked as (
      select s.department_id, s.step_index, s.ms,
             row_number() over (partition by s.department_id order by s.ms) as rn,
             count(*) over (partition by s.department_id) as n
      from report_stays s
      where s.left_at >= ${start} and s.left_at < ${end}
        ${input.workflowId ? sql`and s.workflow_id in (select id from workflow_snapshots where source_id = ${input.workflowId})` : sql``}
        ${input.department ? sql`and s.department_id = (select id from report_departments where name = ${input.department})` : sql``}
    )
    select d.name as department,
           max(n) as stays,
           avg(case when rn in ((n + 1) / 2, (n + 2) / 2) then ms end) as medianMs,
           max(case when rn = (9 * n + 9) / 10 then ms end) as p90Ms
    from ranked join report_departments d on d.id = ranked.department_id
    group by ranked.department_id
    order by min(ranked.step_index), d.name
  `);
  return rows.map((r) => ({ department: r.department, stays: r.stays, medianHours: r.medianMs / HOUR, p90Hours: r.p90Ms / HOUR }));
}
