/**
 * schema.ts on PostgreSQL (issue 17; see src/core/db/schema.pg.ts for the type rules). The flags
 * are booleans (SQLite stores 1/0: drizzle reads both as a boolean, raw SQL needs a helper); times
 * are bigint. The immutability triggers are in migrations-pg/0001.
 */
import { bigint, boolean, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

/** Rows only ever added (triggers refuse UPDATE, DELETE, TRUNCATE; the app role may only SELECT and INSERT). */
export const APPEND_ONLY_TABLES: readonly string[] = ['template_versions'];

export const templates = pgTable(
  'templates',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    key: text('key').notNull(),
    active: boolean('active').notNull().default(true),
    currentVersion: integer('current_version').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('templates_key').on(t.key)],
);

export const templateVersions = pgTable(
  'template_versions',
  {
    templateId: integer('template_id')
      .notNull()
      .references(() => templates.id),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    stepsJson: text('steps_json').notNull(),
    commentOnReject: boolean('comment_on_reject').notNull(),
    commentOnEveryAction: boolean('comment_on_every_action').notNull(),
    noSelfApproval: boolean('no_self_approval').notNull(),
    eSignature: boolean('e_signature').notNull().default(false),
    origin: text('origin').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    createdById: text('created_by_id').notNull(),
    createdByName: text('created_by_name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);
