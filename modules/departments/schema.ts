import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const departments = sqliteTable(
  'departments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** The name folded for comparison (NFKC, lower case): names are unique regardless of case. */
    nameKey: text('name_key').notNull(),
    /** Fixed once created: work-item steps and templates refer to a department by its code. */
    code: text('code').notNull(),
    position: integer('position').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    deactivatedAt: integer('deactivated_at'),
  },
  (t) => [uniqueIndex('departments_name_key').on(t.nameKey), uniqueIndex('departments_code').on(t.code)],
);

/**
 * Facts about this module's data (one row per key). `defaults_seeded` records that the first-run
 * defaults were applied, so deleting every department later does not bring them back.
 */
export const departmentsMeta = sqliteTable('departments_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
