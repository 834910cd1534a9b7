/**
 * schema.ts on PostgreSQL (issue 17; see src/core/db/schema.pg.ts for the type rules). Ids and
 * times are bigint (strings from raw SQL through pg). The triggers are in migrations-pg/0001.
 */
import { bigint, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { workItemsRef } from './coreTables.pg';

/** Rows only ever added (triggers refuse UPDATE, DELETE, TRUNCATE; the app role may only SELECT and INSERT). */
export const APPEND_ONLY_TABLES: readonly string[] = ['comment_revisions'];
/** Rows changed (an edit, its old wording kept first) but never removed: the app role has no DELETE, triggers refuse DELETE and TRUNCATE. */
export const UNDELETABLE_TABLES: readonly string[] = ['comments'];

export const comments = pgTable(
  'comments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    itemId: bigint('item_id', { mode: 'number' })
      .notNull()
      .references(() => workItemsRef.id),
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    text: text('text').notNull(),
    editedAt: bigint('edited_at', { mode: 'number' }),
  },
  (t) => [index('comments_item').on(t.itemId, t.createdAt, t.id)],
);

export const commentRevisions = pgTable(
  'comment_revisions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    commentId: bigint('comment_id', { mode: 'number' })
      .notNull()
      .references(() => comments.id),
    revision: integer('revision').notNull(),
    text: text('text').notNull(),
    writtenAt: bigint('written_at', { mode: 'number' }).notNull(),
    replacedAt: bigint('replaced_at', { mode: 'number' }).notNull(),
    replacedById: text('replaced_by_id').notNull(),
    replacedByName: text('replaced_by_name').notNull(),
  },
  (t) => [uniqueIndex('comment_revisions_comment_revision').on(t.commentId, t.revision)],
);
