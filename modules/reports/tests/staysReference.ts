import type Database from 'better-sqlite3';

/** A stay as the tests compare them: department by name, entered_at derived, how it left from its event. */
export interface StayRow {
  itemId: number;
  stepIndex: number;
  department: string;
  enteredAt: number;
  leftAt: number;
  leftSeq: number;
  how: string;
  workflowId: number;
}

const ORDER = 'order by itemId, leftSeq';

/** What report_stays holds, joined with the department names and the events that ended the stays. */
export function storedStays(db: Database.Database): StayRow[] {
  return db
    .prepare(
      `select s.item_id as itemId, s.step_index as stepIndex, d.name as department, s.left_at - s.ms as enteredAt, s.left_at as leftAt,
              s.left_seq as leftSeq, e.action as how, s.workflow_id as workflowId
       from report_stays s join report_departments d on d.id = s.department_id
       join transition_events e on e.item_id = s.item_id and e.seq = s.left_seq ${ORDER}`,
    )
    .all() as StayRow[];
}

/**
 * The finished stays straight from the event history, the way the reports computed them before
 * report_stays existed (LEAD over each item's events, partial sign-offs left out): the reference.
 */
export function staysFromEvents(db: Database.Database): StayRow[] {
  return db
    .prepare(
      `with step_names as (
         select ws.id as workflow_id, cast(j.key as integer) as step_index, json_extract(j.value, '$.name') as department
         from workflow_snapshots ws, json_each(ws.steps_json) j
       ),
       boundaries as (
         select e.item_id, e.seq, e.at, e.to_status, e.to_step, wi.workflow_id,
                lead(e.at) over w as left_at, lead(e.seq) over w as left_seq, lead(e.action) over w as how
         from transition_events e join work_items wi on wi.id = e.item_id
         where not (e.action = 'approve' and e.to_status = 'active' and e.to_step = e.from_step)
         window w as (partition by e.item_id order by e.seq)
       )
       select b.item_id as itemId, b.to_step as stepIndex, n.department, b.at as enteredAt, b.left_at as leftAt,
              b.left_seq as leftSeq, b.how, b.workflow_id as workflowId
       from boundaries b join step_names n on n.workflow_id = b.workflow_id and n.step_index = b.to_step
       where b.to_status = 'active' and b.to_step is not null and b.left_at is not null ${ORDER}`,
    )
    .all() as StayRow[];
}

/** Cycle time per department over the reference stays ending in [start, end): median (middle one or two) and p90 (nearest rank). */
export function cycleTimeFromEvents(db: Database.Database, start: number, end: number) {
  const byDept = new Map<string, { first: number; ms: number[] }>();
  for (const s of staysFromEvents(db)) {
    if (s.leftAt < start || s.leftAt >= end) continue;
    const d = byDept.get(s.department) ?? { first: s.stepIndex, ms: [] };
    d.first = Math.min(d.first, s.stepIndex);
    d.ms.push(s.leftAt - s.enteredAt);
    byDept.set(s.department, d);
  }
  return [...byDept.entries()]
    .sort(([a, x], [b, y]) => x.first - y.first || Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map(([department, { ms }]) => {
      ms.sort((a, b) => a - b);
      const n = ms.length;
      const at = (rank: number) => ms[rank - 1]!;
      return {
        department,
        stays: n,
        medianHours: (at(Math.floor((n + 1) / 2)) + at(Math.floor((n + 2) / 2))) / 2 / 3_600_000,
        p90Hours: at(Math.floor((9 * n + 9) / 10)) / 3_600_000,
      };
    });
}
