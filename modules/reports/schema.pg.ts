/**
 * schema.ts on PostgreSQL (issue 17; see src/core/db/schema.pg.ts for the type rules). Durations
 * (ms), times, item and workflow ids and event ids are bigint (strings from raw SQL through pg);
 * day and period numbers, hours, steps and counts are integer. SQLite's WITHOUT ROWID tables are
 * plain tables here (the primary key is their index). The count triggers are in migrations-pg/0001;
 * SQLite's integer division of ms is the same on bigint (both truncate toward zero).
 */
import { bigint, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const APPEND_ONLY_TABLES: readonly string[] = [];

export const reportDepartments = pgTable('report_departments', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull().unique(),
});

export const reportStays = pgTable(
  'report_stays',
  {
    departmentId: integer('department_id').notNull(),
    ms: bigint('ms', { mode: 'number' }).notNull(),
    itemId: bigint('item_id', { mode: 'number' }).notNull(),
    leftSeq: integer('left_seq').notNull(),
    leftAt: bigint('left_at', { mode: 'number' }).notNull(),
    stepIndex: integer('step_index').notNull(),
    workflowId: bigint('workflow_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.ms, t.itemId, t.leftSeq] })],
);

const countColumns = () => ({
  departmentId: integer('department_id').notNull(),
  hour: integer('hour').notNull(),
  stepIndex: integer('step_index').notNull(),
  n: integer('n').notNull(),
});

export const reportStayDays = pgTable(
  'report_stay_days',
  { leftDay: integer('left_day').notNull(), ...countColumns() },
  (t) => [primaryKey({ columns: [t.leftDay, t.departmentId, t.hour, t.stepIndex] })],
);

export const reportStayPeriods = pgTable(
  'report_stay_periods',
  { leftPeriod: integer('left_period').notNull(), ...countColumns() },
  (t) => [primaryKey({ columns: [t.leftPeriod, t.departmentId, t.hour, t.stepIndex] })],
);

export const reportStaysSync = pgTable('report_stays_sync', {
  id: integer('id').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
});

export const reportDecisionDays = pgTable(
  'report_decision_days',
  {
    day: integer('day').notNull(),
    workflowId: bigint('workflow_id', { mode: 'number' }).notNull(),
    stepIndex: integer('step_index').notNull(),
    approvals: integer('approvals').notNull(),
    rejections: integer('rejections').notNull(),
    completed: integer('completed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.workflowId, t.stepIndex] })],
);

export const reportActivityPeriods = pgTable(
  'report_activity_periods',
  {
    period: integer('period').notNull(),
    actorId: text('actor_id').notNull(),
    workflowId: bigint('workflow_id', { mode: 'number' }).notNull(),
    actorName: text('actor_name').notNull(),
    lastAt: bigint('last_at', { mode: 'number' }).notNull(),
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

export const reportCountsSync = pgTable('report_counts_sync', {
  id: integer('id').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
});

export const reportOverdueDays = pgTable(
  'report_overdue_days',
  {
    day: integer('day').notNull(),
    workflowId: bigint('workflow_id', { mode: 'number' }).notNull(),
    stepIndex: integer('step_index').notNull(),
    due: integer('due').notNull(),
    ended: integer('ended').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.workflowId, t.stepIndex] })],
);
