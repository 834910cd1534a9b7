import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The workflow an item runs, frozen when the item is created. Identical step lists share a
 * row, so a million items on the standard template store its steps once.
 */
export const workflowSnapshots = sqliteTable(
  'workflow_snapshots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: text('source_id'),
    sourceLabel: text('source_label'),
    sourceVersion: integer('source_version'),
    stepsJson: text('steps_json').notNull(),
    stepCount: integer('step_count').notNull(),
  },
  (t) => [uniqueIndex('workflow_snapshots_identity').on(t.sourceId, t.sourceVersion, t.stepsJson)],
);

export const workItems = sqliteTable(
  'work_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    priority: text('priority', { enum: ['normal', 'urgent'] }).notNull(),
    status: text('status', { enum: ['draft', 'active', 'completed', 'cancelled'] }).notNull(),
    currentStep: integer('current_step'),
    /** Actors (JSON) who approved the current step while it waits for more sign-offs. */
    currentSignoffsJson: text('current_signoffs_json').notNull().default('[]'),
    workflowId: integer('workflow_id')
      .notNull()
      .references(() => workflowSnapshots.id),
    metadataJson: text('metadata_json').notNull().default('{}'),
    createdById: text('created_by_id').notNull(),
    createdByName: text('created_by_name').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** When the item arrived at its current step (partial sign-offs do not move it). For SLA. */
    stepEnteredAt: integer('step_entered_at').notNull().default(0),
    version: integer('version').notNull(),
  },
  (t) => [
    index('work_items_status_updated').on(t.status, t.updatedAt),
    index('work_items_updated').on(t.updatedAt),
    index('work_items_status_step_entered').on(t.status, t.stepEnteredAt),
    check('work_items_priority_known', sql`${t.priority} in ('normal', 'urgent')`),
    check('work_items_status_known', sql`${t.status} in ('draft', 'active', 'completed', 'cancelled')`),
  ],
);

/** Append-only: one row per transition, written in the same transaction as the state change. */
export const transitionEvents = sqliteTable(
  'transition_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => workItems.id),
    seq: integer('seq').notNull(),
    action: text('action').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    at: integer('at').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    fromStep: integer('from_step'),
    toStep: integer('to_step'),
    comment: text('comment'),
  },
  (t) => [
    uniqueIndex('transition_events_item_seq').on(t.itemId, t.seq),
    // Reports and "completed this week" read events by outcome and time.
    index('transition_events_to_status_at').on(t.toStatus, t.at),
    index('transition_events_at').on(t.at),
  ],
);
