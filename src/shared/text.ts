import { z } from 'zod';

/*
 * Characters that have no place in a maintenance record: C0 and C1 control characters (tab and
 * line breaks are allowed in multi-line text), the bidirectional embeddings and overrides
 * U+202A–U+202E (they make "Approved by evil‮lana" display reversed, a way to spoof names),
 * and lone UTF-16 surrogates (not text at all; they break exports).
 */
// eslint-disable-next-line no-control-regex
const CONTROL_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]/;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isCleanText = (s: string, multiline = false) => !(multiline ? CONTROL_MULTILINE : CONTROL_LINE).test(s) && !LONE_SURROGATE.test(s);

export const UNCLEAN_TEXT_MESSAGE = 'Remove the control or direction-override characters from this text';

/** Trimmed text of at most `max` characters without unsafe characters; `multiline` allows tabs and line breaks. */
export const cleanText = (max: number, multiline = false) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => isCleanText(s, multiline), UNCLEAN_TEXT_MESSAGE);
