/**
 * schema.ts on PostgreSQL (issue 17; see src/core/db/schema.pg.ts for the type rules). `active` is
 * a boolean (SQLite stores 1/0: drizzle reads both as a boolean, raw SQL needs a helper); times are bigint.
 */
import { bigint, boolean, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const APPEND_ONLY_TABLES: readonly string[] = [];

export const departments = pgTable(
  'departments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    code: text('code').notNull(),
    position: integer('position').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    deactivatedAt: bigint('deactivated_at', { mode: 'number' }),
  },
  (t) => [uniqueIndex('departments_name_key').on(t.nameKey), uniqueIndex('departments_code').on(t.code)],
);

export const departmentsMeta = pgTable('departments_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
