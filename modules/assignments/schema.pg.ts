/**
 * schema.ts on PostgreSQL (issue 17; see src/core/db/schema.pg.ts for the type rules). Item ids,
 * history ids and times are bigint (strings from raw SQL through pg); user ids are integer like
 * users.id. The triggers (append-only history, recorded current rows) are in migrations-pg/0001.
 */
import { bigint, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { workItemsRef } from './coreTables.pg';

/** Rows only ever added (triggers refuse UPDATE, DELETE, TRUNCATE; the app role may only SELECT and INSERT). */
export const APPEND_ONLY_TABLES: readonly string[] = ['assignment_history'];

export const assignments = pgTable(
  'assignments',
  {
    itemId: bigint('item_id', { mode: 'number' })
      .primaryKey()
      .references(() => workItemsRef.id),
    stepIndex: integer('step_index').notNull(),
    stepEnteredAt: bigint('step_entered_at', { mode: 'number' }).notNull(),
    itemVersion: integer('item_version').notNull(),
    userId: integer('user_id').notNull(),
    userName: text('user_name').notNull(),
    userNumber: text('user_number').notNull(),
    assignedAt: bigint('assigned_at', { mode: 'number' }).notNull(),
    assignedById: text('assigned_by_id').notNull(),
    assignedByName: text('assigned_by_name').notNull(),
    reason: text('reason'),
  },
  (t) => [index('assignments_user').on(t.userId)],
);

export const assignmentHistory = pgTable(
  'assignment_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    itemId: bigint('item_id', { mode: 'number' })
      .notNull()
      .references(() => workItemsRef.id),
    action: text('action', { enum: ['assigned', 'reassigned', 'unassigned', 'taken', 'released', 'ended'] }).notNull(),
    stepIndex: integer('step_index').notNull(),
    stepName: text('step_name').notNull(),
    itemVersion: integer('item_version').notNull(),
    fromUserId: integer('from_user_id'),
    fromUserName: text('from_user_name'),
    toUserId: integer('to_user_id'),
    toUserName: text('to_user_name'),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    reason: text('reason'),
  },
  (t) => [index('assignment_history_item').on(t.itemId, t.id)],
);
