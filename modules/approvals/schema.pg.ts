/**
 * schema.ts on PostgreSQL (issue 17; see src/core/db/schema.pg.ts for the type rules). item_id and
 * id (a transition event's id) are bigint, read as strings by raw SQL through pg; approval_meanings.id
 * is an identity, since `insert or ignore into approval_meanings (text)` leaves it to the database.
 * SQLite's WITHOUT ROWID approval_records is a plain table here: its primary key is its index.
 */
import { bigint, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/** The sign-off records are append-only on SQLite by convention only (no triggers there), so none here either. */
export const APPEND_ONLY_TABLES: readonly string[] = [];

export const approvalRecords = pgTable(
  'approval_records',
  {
    itemId: bigint('item_id', { mode: 'number' }).notNull(),
    eventSeq: integer('event_seq').notNull(),
    id: bigint('id', { mode: 'number' }).notNull(),
    meaningId: integer('meaning_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.eventSeq] })],
);

export const approvalMeanings = pgTable('approval_meanings', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  text: text('text').notNull().unique(),
});

export const approvalRecordsOriginal = pgTable(
  'approval_records_original',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    itemId: bigint('item_id', { mode: 'number' }).notNull(),
    eventSeq: integer('event_seq').notNull(),
    action: text('action', { enum: ['approve', 'reject'] }).notNull(),
    signerId: text('signer_id').notNull(),
    signerName: text('signer_name').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    fromStep: integer('from_step').notNull(),
    fromDepartment: text('from_department').notNull(),
    toStep: integer('to_step'),
    toDepartment: text('to_department'),
    meaning: text('meaning').notNull(),
    comment: text('comment'),
  },
  (t) => [index('approval_records_original_item').on(t.itemId, t.eventSeq)],
);
