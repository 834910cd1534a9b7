/**
 * The comments module's SQL, on the storage port (SQLite and PostgreSQL alike): comments, their
 * earlier wordings, and whether an item exists. Times are ms numbers on both.
 */
import { sql } from 'drizzle-orm';
import { query, type Reader, type Tx } from '../../src/core/modules/api';
import { workItemsRef } from './coreTables';
import { commentRevisions, comments } from './schema';

export interface CommentRow {
  id: number;
  itemId: number;
  authorId: string;
  authorName: string;
  createdAt: number;
  text: string;
  /** Null if never edited. */
  editedAt: number | null;
}

/** A type, not an interface: it is also a query's named values. */
export type RevisionRow = {
  commentId: number;
  revision: number;
  text: string;
  writtenAt: number;
  replacedAt: number;
  replacedById: string;
  replacedByName: string;
};

export type NewComment = Omit<CommentRow, 'id' | 'editedAt'>;
export type NewRevision = RevisionRow;

const commentColumns = sql`${comments.id} as "id", ${comments.itemId} as "itemId", ${comments.authorId} as "authorId",
  ${comments.authorName} as "authorName", ${comments.createdAt} as "createdAt", ${comments.text} as "text", ${comments.editedAt} as "editedAt"`;

const revisionColumns = sql`${commentRevisions.commentId} as "commentId", ${commentRevisions.revision} as "revision",
  ${commentRevisions.text} as "text", ${commentRevisions.writtenAt} as "writtenAt", ${commentRevisions.replacedAt} as "replacedAt",
  ${commentRevisions.replacedById} as "replacedById", ${commentRevisions.replacedByName} as "replacedByName"`;

const itemById = query<{ id: number }, { itemId: number }>((p) => sql`select ${workItemsRef.id} as "id" from ${workItemsRef} where ${workItemsRef.id} = ${p.itemId}`);

const commentById = query<CommentRow, { id: number }>((p) => sql`select ${commentColumns} from ${comments} where ${comments.id} = ${p.id}`);

/** Oldest first; comments posted in the same millisecond in the order they were posted. */
const commentsOfItem = query<CommentRow, { itemId: number }>(
  (p) => sql`select ${commentColumns} from ${comments} where ${comments.itemId} = ${p.itemId} order by ${comments.createdAt}, ${comments.id}`,
);

const revisionsOfItem = query<RevisionRow, { itemId: number }>(
  (p) => sql`select ${revisionColumns} from ${commentRevisions}
    join ${comments} on ${comments.id} = ${commentRevisions.commentId}
    where ${comments.itemId} = ${p.itemId}
    order by ${commentRevisions.commentId}, ${commentRevisions.revision}`,
);

const revisionsOfComment = query<RevisionRow, { commentId: number }>(
  (p) => sql`select ${revisionColumns} from ${commentRevisions} where ${commentRevisions.commentId} = ${p.commentId} order by ${commentRevisions.revision}`,
);

const revisionCount = query<{ n: number }, { commentId: number }>(
  (p) => sql`select count(*) as "n" from ${commentRevisions} where ${commentRevisions.commentId} = ${p.commentId}`,
);

const insertComment = query<CommentRow, NewComment>(
  (p) => sql`insert into ${comments} (item_id, author_id, author_name, created_at, "text", edited_at)
    values (${p.itemId}, ${p.authorId}, ${p.authorName}, ${p.createdAt}, ${p.text}, null)
    returning ${commentColumns}`,
);

/** Does nothing when the revision number is taken (an edit of the same comment committed meanwhile). */
const insertRevision = query<never, NewRevision>(
  (p) => sql`insert into ${commentRevisions} (comment_id, revision, "text", written_at, replaced_at, replaced_by_id, replaced_by_name)
    values (${p.commentId}, ${p.revision}, ${p.text}, ${p.writtenAt}, ${p.replacedAt}, ${p.replacedById}, ${p.replacedByName})
    on conflict (comment_id, revision) do nothing`,
);

const updateText = query<CommentRow, { id: number; before: string; text: string; editedAt: number }>(
  (p) => sql`update ${comments} set "text" = ${p.text}, edited_at = ${p.editedAt}
    where ${comments.id} = ${p.id} and ${comments.text} = ${p.before}
    returning ${commentColumns}`,
);

export const itemExists = async (r: Reader, itemId: number): Promise<boolean> => (await r.get(itemById, { itemId })) !== undefined;

export const commentOf = (r: Reader, id: number): Promise<CommentRow | undefined> => r.get(commentById, { id });

export const commentsOf = (r: Reader, itemId: number): Promise<CommentRow[]> => r.all(commentsOfItem, { itemId });

/** The earlier wordings of every comment on the item, by comment, oldest first. */
export const revisionsOnItem = (r: Reader, itemId: number): Promise<RevisionRow[]> => r.all(revisionsOfItem, { itemId });

/** The earlier wordings of one comment, oldest first. */
export const revisionsOf = (r: Reader, commentId: number): Promise<RevisionRow[]> => r.all(revisionsOfComment, { commentId });

export const countRevisions = async (r: Reader, commentId: number): Promise<number> => (await r.get(revisionCount, { commentId }))?.n ?? 0;

export const addComment = async (tx: Tx, comment: NewComment): Promise<CommentRow> => (await tx.get(insertComment, comment))!;

/** Keeps an earlier wording; false (nothing written) when its revision number is already taken. */
export const keepRevision = async (tx: Tx, revision: NewRevision): Promise<boolean> => (await tx.run(insertRevision, revision)).changes === 1;

/** Replaces the text if it is still `before`; the updated row, or undefined when it changed meanwhile. */
export const replaceText = (tx: Tx, change: { id: number; before: string; text: string; editedAt: number }): Promise<CommentRow | undefined> =>
  tx.get(updateText, change);
