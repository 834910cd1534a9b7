import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';

/**
 * The one core column this module's tables point at: work_items.id (the foreign keys' target).
 * Declared here rather than imported, so the module depends only on the core's table name and
 * id column; not exported from schema.ts, so drizzle-kit never generates it into our migrations.
 */
export const workItemsRef = sqliteTable('work_items', {
  id: integer('id').primaryKey(),
});
