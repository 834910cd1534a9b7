import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The sign-off record: one row per approval or rejection, naming the core's transition event
 * it belongs to (item_id + event_seq), which holds who signed (actor id and name), when, the
 * action, the steps and the comment. Only what the event does not hold is kept here: the
 * record's number and what the signature meant, in words ("Approved at Quality Control
 * (sign-off 1 of 2)"), by its number in approval_meanings. The departments are the names of those steps on the item's workflow
 * snapshot, which never changes. Append-only. WITHOUT ROWID (migration 0001): the key is the
 * table, so an item's records are read in order with no index beside it.
 *
 * `id`: records written before migration 0001 keep theirs; a new record takes its event's id
 * (transition_events.id), which is larger than every earlier record's, so ids stay unique and
 * grow.
 */
export const approvalRecords = sqliteTable(
  'approval_records',
  {
    itemId: integer('item_id').notNull(),
    /** The transition event this record belongs to (work item's event seq). */
    eventSeq: integer('event_seq').notNull(),
    id: integer('id').notNull(),
    /** What the signature means, in words (approval_meanings.text), e.g. "Approved at Quality Control (sign-off 1 of 2)". */
    meaningId: integer('meaning_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.eventSeq] })],
);

/**
 * Every wording a signature has meant, stored once: a few dozen texts ("Approved at
 * Engineering", "Rejected at Quality Control, returned to Engineering"…) shared by millions of
 * records. A record points at the exact text written when it was signed; a text never changes.
 */
export const approvalMeanings = sqliteTable('approval_meanings', {
  id: integer('id').primaryKey(),
  text: text('text').notNull().unique(),
});

/**
 * Records from before migration 0001 that their event does not reproduce exactly (a column
 * differs from the event or the snapshot, or the event is missing), kept whole as they were
 * written. Normally empty.
 */
export const approvalRecordsOriginal = sqliteTable(
  'approval_records_original',
  {
    id: integer('id').primaryKey(),
    itemId: integer('item_id').notNull(),
    eventSeq: integer('event_seq').notNull(),
    action: text('action', { enum: ['approve', 'reject'] }).notNull(),
    signerId: text('signer_id').notNull(),
    signerName: text('signer_name').notNull(),
    at: integer('at').notNull(),
    fromStep: integer('from_step').notNull(),
    fromDepartment: text('from_department').notNull(),
    toStep: integer('to_step'),
    toDepartment: text('to_department'),
    meaning: text('meaning').notNull(),
    comment: text('comment'),
  },
  (t) => [index('approval_records_original_item').on(t.itemId, t.eventSeq)],
);
