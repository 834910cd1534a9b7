import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Department (step) names by a small number, so the stays below carry one byte instead of
 * the name on each of millions of rows. A name never changes its number.
 */
export const reportDepartments = sqliteTable('report_departments', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
});

/**
 * The finished stays: one row per time an item spent at a step, from the event that brought
 * it there (active) to the next event that changed its step or status (approved on, rejected
 * back, cancelled, completed). Partial sign-offs neither start nor end one. Written in the
 * transition's transaction (and caught up from transition_events at start, see sync.ts).
 * The stay an item is in now is not here: it is the item's current step and step_entered_at
 * in work_items, which the core keeps.
 *
 * WITHOUT ROWID, ordered by department and duration (migration 0000), so the cycle-time
 * report reads each department's stays already sorted, with no index beside the table.
 */
export const reportStays = sqliteTable(
  'report_stays',
  {
    departmentId: integer('department_id').notNull(),
    /** left_at − entered_at. */
    ms: integer('ms').notNull(),
    itemId: integer('item_id').notNull(),
    /**
     * The event that ended the stay (transition_events item_id + seq): how it left (approve,
     * reject, cancel), who and why are there, not copied here.
     */
    leftSeq: integer('left_seq').notNull(),
    leftAt: integer('left_at').notNull(),
    stepIndex: integer('step_index').notNull(),
    /** The item's workflow snapshot (workflow_snapshots.id), for the template filter and target hours. */
    workflowId: integer('workflow_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.ms, t.itemId, t.leftSeq] })],
);

const countColumns = {
  departmentId: integer('department_id').notNull(),
  /** floor(ms / 1 h). */
  hour: integer('hour').notNull(),
  stepIndex: integer('step_index').notNull(),
  n: integer('n').notNull(),
};

/**
 * The stays counted by the UTC day they ended on (left_at / 1 day), department, whole hour
 * of duration and step; kept by triggers on report_stays. With the 32-day periods below, the
 * cycle-time report finds which hour holds each percentile from a few thousand rows, then
 * reads only that hour's stays.
 */
export const reportStayDays = sqliteTable(
  'report_stay_days',
  { leftDay: integer('left_day').notNull(), ...countColumns },
  (t) => [primaryKey({ columns: [t.leftDay, t.departmentId, t.hour, t.stepIndex] })],
);

/** The same counts by 32-day period (left_day / 32), for the whole periods inside a range. */
export const reportStayPeriods = sqliteTable(
  'report_stay_periods',
  { leftPeriod: integer('left_period').notNull(), ...countColumns },
  (t) => [primaryKey({ columns: [t.leftPeriod, t.departmentId, t.hour, t.stepIndex] })],
);

/** How far transition_events has been turned into stays: the highest event id looked at. */
export const reportStaysSync = sqliteTable('report_stays_sync', {
  id: integer('id').primaryKey(),
  lastEventId: integer('last_event_id').notNull(),
});

/**
 * Decisions (see queries/rejectionRate.ts) counted by the UTC day they were made on
 * (at / 1 day), workflow snapshot and the step they were made at: the rejection-rate and
 * throughput reports add up the days of their range instead of reading every event (counts.ts).
 */
export const reportDecisionDays = sqliteTable(
  'report_decision_days',
  {
    day: integer('day').notNull(),
    workflowId: integer('workflow_id').notNull(),
    stepIndex: integer('step_index').notNull(),
    approvals: integer('approvals').notNull(),
    rejections: integer('rejections').notNull(),
    /** The approvals among them that completed the item (its last step): the throughput report's count. */
    completed: integer('completed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.workflowId, t.stepIndex] })],
);

/**
 * Every event counted by 32-day period (at / 1 day / 32), person and workflow snapshot, by
 * kind: the per-person activity report adds up the whole periods inside its range and reads
 * only the events at its ends (a day row per person would be as many rows as a tenth of the
 * events). actor_name is the one on the period's latest event (last_at). Kept with the stays.
 */
export const reportActivityPeriods = sqliteTable(
  'report_activity_periods',
  {
    period: integer('period').notNull(),
    actorId: text('actor_id').notNull(),
    workflowId: integer('workflow_id').notNull(),
    actorName: text('actor_name').notNull(),
    lastAt: integer('last_at').notNull(),
    created: integer('created').notNull(),
    submits: integer('submits').notNull(),
    approvals: integer('approvals').notNull(),
    signoffs: integer('signoffs').notNull(),
    rejections: integer('rejections').notNull(),
    cancels: integer('cancels').notNull(),
    total: integer('total').notNull(),
  },
  (t) => [primaryKey({ columns: [t.period, t.actorId, t.workflowId] })],
);

/** How far transition_events has been counted into the two tables above: the highest event id counted. */
export const reportCountsSync = sqliteTable('report_counts_sync', {
  id: integer('id').primaryKey(),
  lastEventId: integer('last_event_id').notNull(),
});

/**
 * The finished stays that were ever overdue (at a step with target hours, due before they
 * ended), counted for the overdue-over-time report by the day boundary (day × 1 day, UTC) from
 * which they count as overdue (`due`: the first after their due time) and from which they no
 * longer do (`ended`: the first at or after they ended). Kept by triggers on report_stays.
 */
export const reportOverdueDays = sqliteTable(
  'report_overdue_days',
  {
    day: integer('day').notNull(),
    workflowId: integer('workflow_id').notNull(),
    stepIndex: integer('step_index').notNull(),
    due: integer('due').notNull(),
    ended: integer('ended').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.workflowId, t.stepIndex] })],
);
