import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workItemsRef } from './coreTables';

/**
 * Who holds each item at its current step: at most one row per item. The row belongs to the
 * step the item was at when it was written (step index, when the item arrived there, the item's
 * version); it is removed — with a history row — when the item moves, and a row whose step the
 * item has left (moved while this module was off) is never shown as current.
 */
export const assignments = sqliteTable(
  'assignments',
  {
    itemId: integer('item_id')
      .primaryKey()
      .references(() => workItemsRef.id),
    stepIndex: integer('step_index').notNull(),
    /** The item's step_entered_at when assigned: a later stay at the same step is another stint. */
    stepEnteredAt: integer('step_entered_at').notNull(),
    /** The item's version the assignment was made against. */
    itemVersion: integer('item_version').notNull(),
    userId: integer('user_id').notNull(),
    userName: text('user_name').notNull(),
    userNumber: text('user_number').notNull(),
    assignedAt: integer('assigned_at').notNull(),
    assignedById: text('assigned_by_id').notNull(),
    assignedByName: text('assigned_by_name').notNull(),
    reason: text('reason'),
  },
  (t) => [index('assignments_user').on(t.userId)],
);

/**
 * Every assignment change, append-only (triggers in migration 0001): who changed it, from whom,
 * to whom, at which step and item version, when and why. Names are kept as they were then.
 */
export const assignmentHistory = sqliteTable(
  'assignment_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => workItemsRef.id),
    /** assigned | reassigned | unassigned | taken | released | ended (the item moved on). */
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
    at: integer('at').notNull(),
    reason: text('reason'),
  },
  (t) => [index('assignment_history_item').on(t.itemId, t.id)],
);
