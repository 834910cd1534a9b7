/**
 * The core's tables on PostgreSQL (issue 17): the same tables, column names, keys, checks and
 * indexes as schema.ts after all of migrations/ (tests/integration/postgresSchema.test.ts holds the
 * two to each other). Migrations: migrations-pg/ (npm run db:generate, plus hand-written ones for
 * the triggers and the search table). Types, and what a read or write needs per dialect:
 * - ids of rows that grow with the work (items, events, snapshots) and every time (ms since the
 *   epoch, as on SQLite — not timestamptz, so values are identical across dialects): bigint, read
 *   as a JS number by drizzle (mode 'number'); raw SQL through pg returns int8 as a string: helper.
 * - step numbers, versions, seqs within an item, counts: integer (int4, returned as a number).
 * - current_target_hours: double precision (SQLite real).
 * - due_at: a STORED generated column (PostgreSQL 15 has no VIRTUAL ones), double precision like
 *   SQLite's value (step_entered_at + hours × 3600000 is real there when the hours are fractional).
 * - JSON columns stay text, byte for byte what was written (jsonb would reorder keys and respace):
 *   SQLite's json_each / json_extract in queries need a per-dialect helper (json / jsonb operators).
 * - AUTOINCREMENT ids: identity BY DEFAULT, so an explicit id still inserts as on SQLite; the
 *   sequence does not move for explicit ids (the adapter must setval after such inserts).
 * The search index (SQLite's FTS5 work_items_search) and the triggers are in migrations-pg/0001.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

/** Rows only ever added: the app role may SELECT and INSERT (roles.ts). None in the core (transition_events has no guard on SQLite either). */
export const APPEND_ONLY_TABLES: readonly string[] = [];

export const workflowSnapshots = pgTable(
  'workflow_snapshots',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    sourceId: text('source_id'),
    sourceLabel: text('source_label'),
    sourceVersion: integer('source_version'),
    stepsJson: text('steps_json').notNull(),
    stepCount: integer('step_count').notNull(),
  },
  (t) => [uniqueIndex('workflow_snapshots_identity').on(t.sourceId, t.sourceVersion, t.stepsJson)],
);

export const workItems = pgTable(
  'work_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    priority: text('priority', { enum: ['normal', 'urgent'] }).notNull(),
    status: text('status', { enum: ['draft', 'active', 'completed', 'cancelled'] }).notNull(),
    currentStep: integer('current_step'),
    currentSignoffsJson: text('current_signoffs_json').notNull().default('[]'),
    workflowId: bigint('workflow_id', { mode: 'number' })
      .notNull()
      .references(() => workflowSnapshots.id),
    metadataJson: text('metadata_json').notNull().default('{}'),
    createdById: text('created_by_id').notNull(),
    createdByName: text('created_by_name').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
    stepEnteredAt: bigint('step_entered_at', { mode: 'number' }).notNull().default(0),
    version: integer('version').notNull(),
    currentStepName: text('current_step_name'),
    currentTargetHours: doublePrecision('current_target_hours'),
    dueAt: doublePrecision('due_at').generatedAlwaysAs(sql`step_entered_at + current_target_hours * 3600000`),
  },
  (t) => [
    index('work_items_status_updated').on(t.status, t.updatedAt),
    index('work_items_updated').on(t.updatedAt),
    // `priority desc` with PostgreSQL's default NULLS FIRST, as drizzle's desc() orders (not .desc(), which adds NULLS LAST).
    index('work_items_queue').on(t.status, t.currentStepName, sql`${t.priority} desc`, t.stepEnteredAt),
    index('work_items_status_due').on(t.status, t.dueAt),
    index('work_items_active_queue').on(sql`${t.priority} desc`, t.stepEnteredAt).where(sql`${t.status} = 'active'`),
    index('work_items_workflow_updated').on(t.workflowId, t.updatedAt),
    check('work_items_priority_known', sql`${t.priority} in ('normal', 'urgent')`),
    check('work_items_status_known', sql`${t.status} in ('draft', 'active', 'completed', 'cancelled')`),
  ],
);

export const transitionEvents = pgTable(
  'transition_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    itemId: bigint('item_id', { mode: 'number' })
      .notNull()
      .references(() => workItems.id),
    seq: integer('seq').notNull(),
    action: text('action').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    fromStep: integer('from_step'),
    toStep: integer('to_step'),
    comment: text('comment'),
    terminal: text('terminal'),
  },
  (t) => [
    uniqueIndex('transition_events_item_seq').on(t.itemId, t.seq),
    index('transition_events_completed_at').on(t.at).where(sql`${t.toStatus} = 'completed'`),
    index('transition_events_at').on(t.at),
  ],
);

/** Kept by triggers on work_items (migrations-pg/0001), as on SQLite. */
export const workItemTallies = pgTable(
  'work_item_tallies',
  {
    status: text('status').notNull(),
    stepName: text('step_name').notNull(),
    priority: text('priority').notNull(),
    workflowId: bigint('workflow_id', { mode: 'number' }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.status, t.stepName, t.priority, t.workflowId] })],
);

export const signInInForce = pgTable('core_sign_in', {
  module: text('module').primaryKey(),
  since: bigint('since', { mode: 'number' }).notNull(),
});

export const commandLog = pgTable(
  'core_commands',
  {
    terminal: text('terminal').notNull(),
    commandId: text('command_id').notNull(),
    channel: text('channel').notNull(),
    result: text('result'),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.terminal, t.commandId] }), index('core_commands_at').on(t.at)],
);

export const siteTerminals = pgTable('site_terminals', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  credentialHash: text('credential_hash').notNull(),
  enrolledAt: bigint('enrolled_at', { mode: 'number' }).notNull(),
  enrolledBy: text('enrolled_by').notNull(),
  lastSeenAt: bigint('last_seen_at', { mode: 'number' }),
  appVersion: text('app_version'),
  address: text('address'),
  revokedAt: bigint('revoked_at', { mode: 'number' }),
  revokedBy: text('revoked_by'),
});

export const siteEnrollmentCodes = pgTable('site_enrollment_codes', {
  codeHash: text('code_hash').primaryKey(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  createdBy: text('created_by').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  usedAt: bigint('used_at', { mode: 'number' }),
  usedBy: text('used_by'),
});

export const siteSessions = pgTable(
  'site_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    terminalId: text('terminal_id')
      .notNull()
      .references(() => siteTerminals.id),
    openedAt: bigint('opened_at', { mode: 'number' }).notNull(),
    lastUsedAt: bigint('last_used_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('site_sessions_terminal').on(t.terminalId)],
);
