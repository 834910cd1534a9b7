import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * A template: its stable key (kept with every item started from it, as "template:<key>"),
 * whether it is offered for new items, and which version is current. Everything that
 * describes the workflow lives in template_versions.
 */
export const templates = sqliteTable(
  'templates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    currentVersion: integer('current_version').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('templates_key').on(t.key)],
);

/**
 * One saved version of a template. Rows are never updated or deleted: an edit adds version
 * N+1, and items keep the version they started with (their steps are copied into the item;
 * the rules are read back from here by version).
 */
export const templateVersions = sqliteTable(
  'template_versions',
  {
    templateId: integer('template_id')
      .notNull()
      .references(() => templates.id),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** JSON: [{ "department": "QC", "minSignoffs": 2, "targetHours": 24 }, …] — department codes, in order. */
    stepsJson: text('steps_json').notNull(),
    commentOnReject: integer('comment_on_reject', { mode: 'boolean' }).notNull(),
    commentOnEveryAction: integer('comment_on_every_action', { mode: 'boolean' }).notNull(),
    noSelfApproval: integer('no_self_approval', { mode: 'boolean' }).notNull(),
    eSignature: integer('e_signature', { mode: 'boolean' }).notNull().default(false),
    /** How this version came about: default (first run), created, edited, imported. */
    origin: text('origin').notNull(),
    createdAt: integer('created_at').notNull(),
    createdById: text('created_by_id').notNull(),
    createdByName: text('created_by_name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);
