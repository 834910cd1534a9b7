/**
 * schema.ts on PostgreSQL (issue 17; see src/core/db/schema.pg.ts for the type rules). `active`
 * and `locked` are booleans (SQLite stores 1/0: drizzle reads both as a boolean, raw SQL needs a
 * helper); signature ids, item ids and times are bigint (strings from raw SQL through pg); user ids
 * are integer. The append-only triggers are in migrations-pg/0001.
 */
import { bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

/** Rows only ever added (triggers refuse UPDATE, DELETE, TRUNCATE; the app role may only SELECT and INSERT). */
export const APPEND_ONLY_TABLES: readonly string[] = ['user_signatures'];

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    number: text('number').notNull(),
    role: text('role', { enum: ['staff', 'lead', 'admin'] }).notNull(),
    departmentsJson: text('departments_json').notNull().default('[]'),
    active: boolean('active').notNull().default(true),
    secretHash: text('secret_hash').notNull(),
    recoveryHash: text('recovery_hash'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('users_number').on(t.number)],
);

export const signatures = pgTable(
  'user_signatures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    itemId: bigint('item_id', { mode: 'number' }).notNull(),
    eventSeq: integer('event_seq').notNull(),
    action: text('action', { enum: ['submit', 'approve', 'reject', 'cancel'] }).notNull(),
    meaning: text('meaning').notNull(),
    signerId: text('signer_id').notNull(),
    signerName: text('signer_name').notNull(),
    signerNumber: text('signer_number').notNull(),
    signerRole: text('signer_role').notNull(),
    department: text('department').notNull(),
    signedAt: bigint('signed_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('user_signatures_item_seq').on(t.itemId, t.eventSeq), index('user_signatures_signer').on(t.signerId)],
);

export const attemptLimits = pgTable(
  'user_attempt_limits',
  {
    scope: text('scope', { enum: ['person-terminal', 'person', 'terminal'] }).notNull(),
    key: text('key').notNull(),
    failures: integer('failures').notNull().default(0),
    pending: integer('pending').notNull().default(0),
    lockedUntil: bigint('locked_until', { mode: 'number' }),
    lastAttemptAt: bigint('last_attempt_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

export const sessions = pgTable(
  'user_sessions',
  {
    sessionHash: text('session_hash').primaryKey(),
    userId: integer('user_id').notNull(),
    signedInAt: bigint('signed_in_at', { mode: 'number' }).notNull(),
    lastActivity: bigint('last_activity', { mode: 'number' }).notNull(),
    locked: boolean('locked').notNull().default(false),
  },
  (t) => [index('user_sessions_user').on(t.userId), index('user_sessions_last_activity').on(t.lastActivity)],
);
