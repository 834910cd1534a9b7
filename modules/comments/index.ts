import { z } from 'zod';
import { defineModule, type Reader, type Tx } from '../../src/core/modules/api';
import { AppError } from '../../src/shared/errors';
import type { Actor } from '../../src/shared/types';
import { audited } from './audited';
import { commentsContract, MAX_LENGTH_LIMIT, type Comment, type CommentRevision, type CommentSettings } from './contract';
import {
  addComment,
  commentOf,
  commentsOf,
  countRevisions,
  itemExists,
  keepRevision,
  replaceText,
  revisionsOf,
  revisionsOnItem,
  type CommentRow,
  type RevisionRow,
} from './store';
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
  setup({ storage, config, clock, recordChange }) {
    const settings: CommentSettings = {
      maxLength: config.maxLength,
      allowEditing: config.allowEditing,
      editWindowMinutes: config.allowEditing ? (config.editWindowMinutes ?? null) : null,
    };
    const windowMs = settings.editWindowMinutes === null ? null : settings.editWindowMinutes * 60_000;

    /** Why `actor` may not edit `row` at `now`, or null if they may. */
    const refusal = (row: CommentRow, actor: Actor, now: number): AppError | null => {
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

    const toComments = (rows: CommentRow[], kept: RevisionRow[], actor: Actor): Comment[] => {
      const revisions = new Map<number, CommentRevision[]>();
      for (const r of kept) {
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

    const requireItem = async (r: Reader, itemId: number) => {
      if (!(await itemExists(r, itemId))) throw new AppError('NOT_FOUND', `Work item #${itemId} does not exist.`, { id: itemId });
    };

    /** Keeps the current wording as the next revision, then puts `clean` in its place; the updated row. */
    const replace = async (tx: Tx, current: CommentRow, clean: string, actor: Actor, now: number): Promise<CommentRow> => {
      const { id } = current;
      const kept = await keepRevision(tx, {
        commentId: id,
        revision: (await countRevisions(tx, id)) + 1,
        text: current.text,
        writtenAt: current.editedAt ?? current.createdAt,
        replacedAt: now,
        replacedById: actor.id,
        replacedByName: actor.name,
      });
      const updated = kept ? await replaceText(tx, { id, before: current.text, text: clean, editedAt: now }) : undefined;
      // On SQLite the write lock is held since the read, so this cannot happen; on PostgreSQL another edit
      // of this comment may have committed meanwhile (its revision number taken, or the text changed): roll back.
      if (!updated) throw new AppError('STALE_VERSION', 'The comment changed while it was being edited; nothing was saved. Try again.', { id });
      const { itemId } = current;
      recordChange({ entity: 'comment', entityId: String(id), action: 'edited', before: { itemId, text: current.text }, after: { itemId, text: clean } }, actor);
      return updated;
    };

    return {
      audited,
      handlers: {
        'comments.settings': () => settings,

        'comments.list': ({ itemId }, { actor }) =>
          storage.read(async (r) => {
            await requireItem(r, itemId);
            return toComments(await commentsOf(r, itemId), await revisionsOnItem(r, itemId), actor);
          }),

        'comments.add': async ({ itemId, text }, { actor }) => {
          const clean = checkLength(text);
          const row = await storage.run(async (tx) => {
            await requireItem(tx, itemId);
            const added = await addComment(tx, { itemId, authorId: actor.id, authorName: actor.name, createdAt: clock(), text: clean });
            recordChange({ entity: 'comment', entityId: String(added.id), action: 'added', after: { itemId, text: clean } }, actor);
            return added;
          });
          return toComments([row], [], actor)[0]!;
        },

        'comments.edit': ({ id, text }, { actor }) =>
          storage.run(async (tx) => {
            const current = await commentOf(tx, id);
            if (!current) throw new AppError('NOT_FOUND', `Comment #${id} does not exist.`, { id });
            const now = clock();
            const refused = refusal(current, actor, now);
            if (refused) throw refused;
            const clean = checkLength(text);
            const row = clean === current.text ? current : await replace(tx, current, clean, actor, now);
            return toComments([row], await revisionsOf(tx, id), actor)[0]!;
          }),
      },
    };
  },
});
