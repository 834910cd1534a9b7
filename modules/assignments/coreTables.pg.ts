import { bigint, pgTable } from 'drizzle-orm/pg-core';

/** coreTables.ts on PostgreSQL: work_items.id, the foreign keys' target (not exported from schema.pg.ts, so never generated here). */
export const workItemsRef = pgTable('work_items', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
});
