import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The sign-off record: one row per approval or rejection, with the departments by name as
 * they were at the time and what the signature meant. Append-only.
 */
export const approvalRecords = sqliteTable(
  'approval_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id').notNull(),
    /** The transition event this record belongs to (work item's event seq). */
    eventSeq: integer('event_seq').notNull(),
    action: text('action', { enum: ['approve', 'reject'] }).notNull(),
    signerId: text('signer_id').notNull(),
    signerName: text('signer_name').notNull(),
    at: integer('at').notNull(),
    fromStep: integer('from_step').notNull(),
    fromDepartment: text('from_department').notNull(),
    toStep: integer('to_step'),
    toDepartment: text('to_department'),
    /** What the signature means, in words: "Approved at Quality Control (sign-off 1 of 2)". */
    meaning: text('meaning').notNull(),
    comment: text('comment'),
  },
  (t) => [index('approval_records_item').on(t.itemId, t.eventSeq)],
);
