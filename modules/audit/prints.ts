import { createHash } from 'node:crypto';
import { canonicalJson } from './chain';

/**
 * Fingerprints that let verify say which row of a block, and which field, no longer match
 * (README.md, "Naming what changed"). A block's digest (full SHA-256) is what detects a change;
 * these only name it, so a few bytes each are enough: a row's print is the first PRINT_BYTES of
 * the SHA-256 of its cells, a field's print the same over that field's values in every row of the
 * block (3 bytes: one chance in 16 million that a changed row keeps its print, and is then named
 * only with its block). One changed row is named with its changed fields exactly; several changed rows are named,
 * with the fields that changed among them.
 */

export const PRINT_BYTES = 3;

/** A row's cells: its key first, then the values of its fields, in the block's field order. */
export type Cells = unknown[];

/** A value read from SQLite as a cell: a blob (a Buffer, or a Uint8Array from the background reader) as `{ blob: hex }`. */
export const cellValue = (value: unknown): unknown =>
  value instanceof Uint8Array ? { blob: Buffer.from(value).toString('hex') } : value === undefined ? null : value;

const print = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest().subarray(0, PRINT_BYTES);

/** Each cell as canonical JSON, once: a row's print and its field's print are made of the same text. */
const cellTexts = (rows: Cells[]): string[][] => rows.map((cells) => cells.map((c) => canonicalJson(c ?? null)));
/** canonicalJson(cells), from the cells' texts. */
export const rowText = (texts: string[]) => `[${texts.join(',')}]`;
const rowPrint = (texts: string[]) => print(rowText(texts));
const fieldPrint = (texts: string[][], field: number) => print(`[${texts.map((t) => t[field] ?? 'null').join(',')}]`);

/** The prints of a block's rows (in key order), then of its fields, as base64; `texts`: the rows' cell texts if already made. */
export function makePrints(rows: Cells[], fields: number, texts = cellTexts(rows)): string {
  const parts = texts.map(rowPrint);
  for (let f = 1; f <= fields; f++) parts.push(fieldPrint(texts, f));
  return Buffer.concat(parts).toString('base64');
}

export { cellTexts };

interface Prints {
  rows: Buffer[];
  fields: Buffer[];
}

/** The stated prints, or null when they are not what a block of `rows` rows and `fields` fields has. */
function readPrints(text: string, rows: number, fields: number): Prints | null {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== (rows + fields) * PRINT_BYTES) return null;
  const at = (i: number) => bytes.subarray(i * PRINT_BYTES, (i + 1) * PRINT_BYTES);
  return { rows: Array.from({ length: rows }, (_, i) => at(i)), fields: Array.from({ length: fields }, (_, i) => at(rows + i)) };
}

/** A sealed row that is still there but no longer matches its print. */
export interface ChangedRow {
  cells: Cells;
  /** The fields (1-based cell indexes) that changed, or null when they cannot be told (rows of the block were deleted). */
  fields: number[] | null;
  /** `fields` are exactly this row's changes (one changed row in the block, or one changed field among them all). */
  exact: boolean;
}

export interface Diagnosis {
  /** Keys sealed that are gone. */
  deleted: number[];
  /** Rows there now that the block did not seal. */
  added: Cells[];
  changed: ChangedRow[];
}

/**
 * What differs between a block's sealed rows (their keys and prints) and the rows there now
 * (cells, key first), or null when the prints are not readable (a block sealed without them).
 */
export function diagnose(keys: number[], printsText: string | undefined, fields: number, now: Cells[]): Diagnosis | null {
  if (printsText === undefined) return null;
  const prints = readPrints(printsText, keys.length, fields);
  if (!prints) return null;
  const byKey = new Map(now.map((cells) => [cells[0], cells]));
  const textOf = new Map(now.map((cells) => [cells[0], cells.map((c) => canonicalJson(c ?? null))]));
  const sealed = new Set<unknown>(keys);
  const deleted = keys.filter((k) => !byKey.has(k));
  const added = now.filter((cells) => !sealed.has(cells[0]));
  const changedRows = keys.flatMap((k, i) => {
    const cells = byKey.get(k);
    return cells && !rowPrint(textOf.get(k)!).equals(prints.rows[i]!) ? [cells] : [];
  });
  let changedFields: number[] | null = null;
  if (deleted.length === 0) {
    const inOrder = keys.map((k) => textOf.get(k)!);
    changedFields = [];
    for (let f = 1; f <= fields; f++) if (!fieldPrint(inOrder, f).equals(prints.fields[f - 1]!)) changedFields.push(f);
  }
  const exact = changedFields !== null && (changedRows.length === 1 || changedFields.length === 1);
  return { deleted, added, changed: changedRows.map((cells) => ({ cells, fields: changedFields, exact })) };
}

/** Whether `count` keys after `afterKey` up to `lastKey` are every key in between (then a block need not list them). */
export const contiguous = (afterKey: number, lastKey: number, count: number) => lastKey - afterKey === count;

/** Keys from `from` to `to`. */
export const keyRange = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** A value in a message: text quoted (and cut), anything else as JSON. */
export function shown(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? `'${value}'` : value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 2)}…${typeof value === 'string' ? "'" : ''}` : text;
}
