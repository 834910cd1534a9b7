import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { workItemsRef } from './coreTables';

/** One row per comment. `text` is the current wording; earlier wordings are in comment_revisions. */
export const comments = sqliteTable(
  'comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => workItemsRef.id),
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    createdAt: integer('created_at').notNull(),
    text: text('text').notNull(),
    /** When the text was last changed; null if never edited. */
    editedAt: integer('edited_at'),
  },
  (t) => [index('comments_item').on(t.itemId, t.createdAt, t.id)],
);

/**
 * Append-only: each edit first copies the wording it replaces here, in the same transaction,
 * so nothing that was said is lost. Revision 1 is the text as first posted.
 */
export const commentRevisions = sqliteTable(
  'comment_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id),
    revision: integer('revision').notNull(),
    text: text('text').notNull(),
    /** When this wording was written (posted, or an earlier edit). */
    writtenAt: integer('written_at').notNull(),
    /** When it was replaced, and by whom. */
    replacedAt: integer('replaced_at').notNull(),
    replacedById: text('replaced_by_id').notNull(),
    replacedByName: text('replaced_by_name').notNull(),
  },
  (t) => [uniqueIndex('comment_revisions_comment_revision').on(t.commentId, t.revision)],
);
