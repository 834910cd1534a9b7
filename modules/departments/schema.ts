import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const departments = sqliteTable(
  'departments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    code: text('code').notNull(),
    position: integer('position').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('departments_name').on(t.name), uniqueIndex('departments_code').on(t.code)],
);
