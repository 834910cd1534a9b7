import { z } from 'zod';
import { command, query } from '../../src/shared/channel';
import { isCleanText, UNCLEAN_TEXT_MESSAGE } from '../../src/shared/text';
import type { Actor } from '../../src/shared/types';

/** The largest maxLength the config accepts; the wire limit below leaves room for multi-unit characters. */
export const MAX_LENGTH_LIMIT = 20_000;

/** What the screens need to know about the configured rules. */
export interface CommentSettings {
  maxLength: number;
  allowEditing: boolean;
  /** Minutes after posting during which the author may edit; null means no time limit. */
  editWindowMinutes: number | null;
}

/** An earlier wording of a comment, kept when it was edited. */
export interface CommentRevision {
  /** 1 is the text as first posted. */
  revision: number;
  text: string;
  writtenAt: string;
  replacedAt: string;
  replacedBy: Actor;
}

export interface Comment {
  id: number;
  itemId: number;
  author: Actor;
  createdAt: string;
  text: string;
  /** When the text last changed; null if never edited. */
  editedAt: string | null;
  /** Earlier wordings, oldest first (empty if never edited). */
  revisions: CommentRevision[];
  /** Whether the person at this terminal may edit it now (the edit channel still checks). */
  canEdit: boolean;
  /** Until when the author may edit, if editing is on and time-limited. */
  editableUntil: string | null;
}

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/**
 * Empty and absurd input is refused here; the configured maximum (counted in characters, see
 * text.ts) is checked by the handler, which knows the config, and names the limit.
 */
const text = z
  .string()
  .max(MAX_LENGTH_LIMIT * 2, `A comment can be at most ${MAX_LENGTH_LIMIT.toLocaleString('en-GB')} characters`)
  .trim()
  .min(1, 'A comment cannot be empty')
  .refine((s) => isCleanText(s, true), UNCLEAN_TEXT_MESSAGE);

export const commentsContract = {
  'comments.settings': query<CommentSettings>()(z.strictObject({})),
  /** The item's thread, oldest first. */
  'comments.list': query<Comment[]>()(z.strictObject({ itemId: id })),
  'comments.add': command<Comment>()(z.strictObject({ itemId: id, text })),
  /** Only when the config allows editing, by the author, within the edit window; keeps the old text. */
  'comments.edit': command<Comment>()(z.strictObject({ id, text })),
} as const;
