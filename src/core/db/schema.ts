import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    /**
     * Kept by the store beside current_step, so queues and counts filter on a column instead
     * of reading the step's name out of the snapshot's JSON for every row.
     */
    currentStepName: text('current_step_name'),
    currentTargetHours: real('current_target_hours'),
    /** When the item's stay at its current step runs past the step's target hours (null: no target). */
    dueAt: integer('due_at').generatedAlwaysAs(sql`step_entered_at + current_target_hours * 3600000`, { mode: 'virtual' }),
  },
  (t) => [
    index('work_items_status_updated').on(t.status, t.updatedAt),
    index('work_items_updated').on(t.updatedAt),
    // A department's queue in its order: urgent first ('urgent' > 'normal'), then longest at the step.
    index('work_items_queue').on(t.status, t.currentStepName, sql`${t.priority} desc`, t.stepEnteredAt),
    index('work_items_status_due').on(t.status, t.dueAt),
    // Every department's queue in one order (Approvals widened to all, the overdue list): read a page, not sorted whole.
    // Only active items: a few percent of a large database, so the index stays small.
    index('work_items_active_queue').on(sql`${t.priority} desc`, t.stepEnteredAt).where(sql`${t.status} = 'active'`),
    // A template's items by last change (the dashboard's template filter), one walk per snapshot of it.
    index('work_items_workflow_updated').on(t.workflowId, t.updatedAt),
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
    /**
     * The terminal the transition came from (callScope's terminal: an enrolled terminal's id on a
     * site server, 'local' for the desktop app, 'browser-harness'); null for events written before
     * it was recorded (migration 0007) or outside any call.
     */
    terminal: text('terminal'),
  },
  (t) => [
    uniqueIndex('transition_events_item_seq').on(t.itemId, t.seq),
    // Throughput and "completed this week" read completions by time; the other outcomes are not looked up this way.
    index('transition_events_completed_at').on(t.at).where(sql`${t.toStatus} = 'completed'`),
    index('transition_events_at').on(t.at),
  ],
);

/**
 * How many items are in each status, current step, priority and workflow snapshot: kept by
 * triggers on work_items (migrations 0003 and 0009), so the dashboard's counts and a queue's or a
 * template's total do not count a million rows. step_name is '' for items without a current step.
 */
export const workItemTallies = sqliteTable(
  'work_item_tallies',
  {
    status: text('status').notNull(),
    stepName: text('step_name').notNull(),
    priority: text('priority').notNull(),
    workflowId: integer('workflow_id').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.status, t.stepName, t.priority, t.workflowId] })],
);

/**
 * Sign-in modules this database relies on: a row once a module that decides who signs in
 * (providesIdentity) runs with people in it. While the row is there, the core does not run
 * without that module (it starts locked, see app.ts); only an administrator switching the module
 * off from the app (modules.setEnabled, audited) removes it.
 */
export const signInInForce = sqliteTable('core_sign_in', {
  module: text('module').primaryKey(),
  /** When the core first saw the module with people (ms since the epoch). */
  since: integer('since').notNull(),
});

/**
 * Commands a site terminal sent with its idempotency key, noted in the command's first commit: a
 * retry of a command whose answer was lost is answered from here, never applied twice. Kept a week.
 */
export const commandLog = sqliteTable(
  'core_commands',
  {
    terminal: text('terminal').notNull(),
    commandId: text('command_id').notNull(),
    channel: text('channel').notNull(),
    /** The answer as JSON, once the command finished; null if the server stopped before that. */
    result: text('result'),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.terminal, t.commandId] }), index('core_commands_at').on(t.at)],
);

/** Terminals enrolled with this site server. The credential is kept only as its SHA-256. */
export const siteTerminals = sqliteTable('site_terminals', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  credentialHash: text('credential_hash').notNull(),
  enrolledAt: integer('enrolled_at').notNull(),
  enrolledBy: text('enrolled_by').notNull(),
  lastSeenAt: integer('last_seen_at'),
  appVersion: text('app_version'),
  address: text('address'),
  revokedAt: integer('revoked_at'),
  revokedBy: text('revoked_by'),
});

/** One-time enrollment codes, kept as SHA-256; used or expired ones stay for the record. */
export const siteEnrollmentCodes = sqliteTable('site_enrollment_codes', {
  codeHash: text('code_hash').primaryKey(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  usedBy: text('used_by'),
});

/**
 * Window sessions the site server issued to enrolled terminals (src/server/sessions.ts keeps them
 * in memory and writes them through to here), so a restart of the server does not end them. The
 * id a window holds is kept only as its SHA-256: a copy of the database or a backup names no live
 * session. Ended with their terminal's revocation; a restored backup's are all ended at its start.
 */
export const siteSessions = sqliteTable(
  'site_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    terminalId: text('terminal_id')
      .notNull()
      .references(() => siteTerminals.id),
    openedAt: integer('opened_at').notNull(),
    /** When a window last called with it: written at most every 30 s (and at a stop), for the oldest to make room and for pruning. */
    lastUsedAt: integer('last_used_at').notNull(),
  },
  (t) => [index('site_sessions_terminal').on(t.terminalId)],
);
