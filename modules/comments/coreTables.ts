import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';

/**
 * The one core column this module reads: work_items.id (to check an item exists, and as the
 * target of the foreign key). Declared here rather than imported, so the module depends on the
 * core's table name and id column only. Not exported from schema.ts, so drizzle-kit never
 * generates it into this module's migrations.
 */
export const workItemsRef = sqliteTable('work_items', {
  id: integer('id').primaryKey(),
});
