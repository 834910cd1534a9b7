import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { defineModule } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { Actor } from '../../src/shared/types';
import { audited } from './audited';
import { commentsContract, MAX_LENGTH_LIMIT, type Comment, type CommentRevision, type CommentSettings } from './contract';
import { workItemsRef } from './coreTables';
import { commentRevisions, comments } from './schema';
import { commentLength, normalizeCommentText, tooLongMessage } from './text';

const configSchema = z.strictObject({
  /** Longest comment, in characters. */
  maxLength: z.number().int().min(1).max(MAX_LENGTH_LIMIT).default(2000),
  /** Whether authors may change a comment after posting; earlier text is always kept. */
  allowEditing: z.boolean().default(false),
  /** If editing is allowed: only within this many minutes of posting. Left out: no time limit. */
  editWindowMinutes: z.number().positive().max(525_600).optional(),
});

const iso = (ms: number) => new Date(ms).toISOString();

/** A VALIDATION error on the text field, shaped like the contract's own so screens show it by the field. */
const textError = (message: string) =>
  new AppError('VALIDATION', `text: ${message}`, { issues: [{ path: ['text'], message }] });

export default defineModule({
  name: 'comments',
  version: '0.1.0',
  description: 'A comment thread on every item: who wrote what, when. Earlier text is kept if editing is allowed.',
  hasMigrations: true,
  configSchema,
  contract: commentsContract,
  setup({ db, config, clock, transaction, recordChange }) {
    const settings: CommentSettings = {
      maxLength: config.maxLength,
      allowEditing: config.allowEditing,
      editWindowMinutes: config.allowEditing ? (config.editWindowMinutes ?? null) : null,
    };
    const windowMs = settings.editWindowMinutes === null ? null : settings.editWindowMinutes * 60_000;

    type Row = typeof comments.$inferSelect;

    /** Why `actor` may not edit `row` at `now`, or null if they may. */
    const refusal = (row: Row, actor: Actor, now: number): AppError | null => {
      if (!settings.allowEditing) {
        return new AppError('INVALID_TRANSITION', 'Comments cannot be changed after posting: editing is switched off in the comments settings.', { id: row.id });
      }
      if (row.authorId !== actor.id) {
        return new AppError('FORBIDDEN', `Only the author (${row.authorName}) can edit this comment.`, { id: row.id });
      }
      if (windowMs !== null && now > row.createdAt + windowMs) {
        return new AppError(
          'INVALID_TRANSITION',
          `This comment can no longer be edited: comments can be edited for ${settings.editWindowMinutes} minutes after posting.`,
          { id: row.id },
        );
      }
      return null;
    };

    const checkLength = (text: string) => {
      const length = commentLength(text);
      if (length > settings.maxLength) throw textError(tooLongMessage(settings.maxLength, length));
      return normalizeCommentText(text);
    };

    const toComments = (rows: Row[], actor: Actor): Comment[] => {
      const ids = rows.filter((r) => r.editedAt !== null).map((r) => r.id);
      const revisions = new Map<number, CommentRevision[]>();
      if (ids.length) {
        for (const r of db
          .select()
          .from(commentRevisions)
          .where(inArray(commentRevisions.commentId, ids))
          .orderBy(asc(commentRevisions.commentId), asc(commentRevisions.revision))
          .all()) {
          const list = revisions.get(r.commentId) ?? [];
          list.push({
            revision: r.revision,
            text: r.text,
            writtenAt: iso(r.writtenAt),
            replacedAt: iso(r.replacedAt),
            replacedBy: { id: r.replacedById, name: r.replacedByName },
          });
          revisions.set(r.commentId, list);
        }
      }
      const now = clock();
      return rows.map((row) => ({
        id: row.id,
        itemId: row.itemId,
        author: { id: row.authorId, name: row.authorName },
        createdAt: iso(row.createdAt),
        text: row.text,
        editedAt: row.editedAt === null ? null : iso(row.editedAt),
        revisions: revisions.get(row.id) ?? [],
        canEdit: refusal(row, actor, now) === null,
        editableUntil: settings.allowEditing && windowMs !== null ? iso(row.createdAt + windowMs) : null,
      }));
    };

    const requireItem = (itemId: number) => {
      const found = db.select({ id: workItemsRef.id }).from(workItemsRef).where(eq(workItemsRef.id, itemId)).get();
      if (!found) throw new AppError('NOT_FOUND', `Work item #${itemId} does not exist.`, { id: itemId });
    };

    const byId = (id: number) => db.select().from(comments).where(eq(comments.id, id)).get();

    return {
      audited,
      handlers: {
        'comments.settings': () => settings,

        'comments.list': ({ itemId }, { actor }) => {
          requireItem(itemId);
          const rows = db.select().from(comments).where(eq(comments.itemId, itemId)).orderBy(asc(comments.createdAt), asc(comments.id)).all();
          return toComments(rows, actor);
        },

        'comments.add': ({ itemId, text }, { actor }) => {
          const clean = checkLength(text);
          const row = transaction(() => {
            requireItem(itemId);
            const added = db
              .insert(comments)
              .values({ itemId, authorId: actor.id, authorName: actor.name, createdAt: clock(), text: clean, editedAt: null })
              .returning()
              .get();
            recordChange({ entity: 'comment', entityId: String(added.id), action: 'added', after: { itemId, text: clean } }, actor);
            return added;
          });
          return toComments([row], actor)[0]!;
        },

        'comments.edit': ({ id, text }, { actor }) => {
          const row = transaction(() => {
            const current = byId(id);
            if (!current) throw new AppError('NOT_FOUND', `Comment #${id} does not exist.`, { id });
            const now = clock();
            const refused = refusal(current, actor, now);
            if (refused) throw refused;
            const clean = checkLength(text);
            if (clean === current.text) return current;
            const kept = db.select({ n: count() }).from(commentRevisions).where(eq(commentRevisions.commentId, id)).get()?.n ?? 0;
            db.insert(commentRevisions)
              .values({
                commentId: id,
                revision: kept + 1,
                text: current.text,
                writtenAt: current.editedAt ?? current.createdAt,
                replacedAt: now,
                replacedById: actor.id,
                replacedByName: actor.name,
              })
              .run();
            const updated = db
              .update(comments)
              .set({ text: clean, editedAt: now })
              .where(and(eq(comments.id, id), eq(comments.text, current.text)))
              .returning()
              .get();
            // The write lock is held since the read, so this cannot happen; if it did, roll back.
            if (!updated) throw new AppError('STALE_VERSION', 'The comment changed while it was being edited; nothing was saved. Try again.', { id });
            recordChange({ entity: 'comment', entityId: String(id), action: 'edited', before: { itemId: current.itemId, text: current.text }, after: { itemId: current.itemId, text: clean } }, actor);
            return updated;
          });
          return toComments([row], actor)[0]!;
        },
      },
    };
  },
});
