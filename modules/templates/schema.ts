import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const templates = sqliteTable(
  'templates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    currentVersion: integer('current_version').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('templates_key').on(t.key)],
);

/** Each edit of a template adds a version; items keep the version they started with. */
export const templateVersions = sqliteTable(
  'template_versions',
  {
    templateId: integer('template_id')
      .notNull()
      .references(() => templates.id),
    version: integer('version').notNull(),
    /** Department codes in order. */
    stepsJson: text('steps_json').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);
