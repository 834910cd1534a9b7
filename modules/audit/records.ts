import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { canonicalJson } from './chain';
import { cellTexts, cellValue, contiguous, makePrints, rowText, type Cells } from './prints';

/**
 * Rows of other modules' append-only tables (e-signatures, comments' fixed columns, earlier
 * wordings), sealed into the chain in blocks, as a module declares them (ModuleParts.audited.sealed).
 * A block entry says everything needed to check it again, with nothing but the database: which
 * table, key and columns, which keys, their digest and prints. README.md, "Records".
 */

/** The entity of a record block entry; its entity id is "<table>:<first key>-<last key>". Not listed: its rows are the record. */
export const RECORDS_ENTITY = 'sealed-records';
export const RECORDS_ACTION = 'sealed';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Whether a table or column name is a plain identifier (names come from declarations and from the log: never spliced in otherwise). */
export const isName = (name: unknown): name is string => typeof name === 'string' && NAME.test(name);
/** A plain identifier, quoted for SQL. */
export const quoted = (name: string): string => {
  if (!isName(name)) throw new Error(`not a plain table or column name: ${JSON.stringify(name)}`);
  return `"${name}"`;
};

/** A record block entry's after_json. */
export interface RecordSummary {
  table: string;
  key: string;
  columns: string[];
  /** The block seals every row with key > afterKey and ≤ lastKey (the previous block of the table ended at afterKey). */
  afterKey: number;
  lastKey: number;
  count: number;
  /** Lowercase hex SHA-256 of the rows' lines (recordLine), in key order, joined by "\n". */
  digest: string;
  /** Row and column prints (prints.ts). */
  prints: string;
  /** The keys sealed, when they are not every key from afterKey + 1 to lastKey. */
  keys?: number[];
  /**
   * Rows of this block up to this key were already there when the app (and so the trail) started:
   * in the table's first block, history from before sealing; later, rows written while no app with
   * the trail was running (before a crash, or outside the app). Sealed as they were found.
   */
  foundUpTo?: number;
}

/** A row as the rows query returns it: its key as `k`, its columns as v0, v1, … */
export type RecordRow = Record<string, unknown> & { k: number };

/** Rows of a table with afterKey < key ≤ lastKey (at most `limit`), in key order. */
export function recordRows(table: string, key: string, columns: string[], afterKey: number, lastKey: number, limit?: number): SQL {
  const select = [`${quoted(key)} as k`, ...columns.map((c, i) => `${quoted(c)} as v${i}`)].join(', ');
  const k = quoted(key);
  return sql`select ${sql.raw(select)} from ${sql.raw(quoted(table))} where ${sql.raw(k)} > ${afterKey} and ${sql.raw(k)} <= ${lastKey}
    order by ${sql.raw(k)}${limit === undefined ? sql`` : sql` limit ${limit}`}`;
}

/** A row's cells: its key, then its columns' values. */
export const recordCells = (row: RecordRow, columns: number): Cells => [row.k, ...Array.from({ length: columns }, (_, i) => cellValue(row[`v${i}`]))];

/** What a record block hashes of one row: canonical JSON of its cells. */
export const recordLine = (cells: Cells): string => canonicalJson(cells);

/** `lines`: the rows' lines if already made. */
export function recordDigest(rows: Cells[], lines = rows.map(recordLine)): string {
  const hash = createHash('sha256');
  lines.forEach((line, i) => hash.update(i === 0 ? line : `\n${line}`, 'utf8'));
  return hash.digest('hex');
}

export function recordSummary(
  declared: { table: string; key: string; columns: string[] },
  afterKey: number,
  lastKey: number,
  rows: Cells[],
  /** The highest key that was there when the app started (0: none). */
  atStart: number,
): RecordSummary {
  const keys = rows.map((cells) => cells[0] as number);
  // Each cell serialized once: the lines (digest) and the prints are made of the same text.
  const texts = cellTexts(rows);
  return {
    table: declared.table,
    key: declared.key,
    columns: declared.columns,
    afterKey,
    lastKey,
    count: rows.length,
    digest: recordDigest(rows, texts.map(rowText)),
    prints: makePrints(rows, declared.columns.length, texts),
    ...(contiguous(afterKey, lastKey, rows.length) ? {} : { keys }),
    ...(afterKey < atStart ? { foundUpTo: Math.min(lastKey, atStart) } : {}),
  };
}

const whole = (n: unknown): n is number => Number.isSafeInteger(n);

/** A record block entry's stated summary, or null when its after_json is not one (a forged or edited entry). */
export function statedRecords(afterJson: string | null): RecordSummary | null {
  try {
    const s = JSON.parse(afterJson ?? 'null') as Partial<RecordSummary> | null;
    if (
      s &&
      isName(s.table) &&
      isName(s.key) &&
      Array.isArray(s.columns) &&
      s.columns.every(isName) &&
      whole(s.afterKey) &&
      whole(s.lastKey) &&
      whole(s.count) &&
      typeof s.digest === 'string' &&
      typeof s.prints === 'string' &&
      (s.keys === undefined ? s.lastKey - s.afterKey === s.count : Array.isArray(s.keys) && s.keys.every(whole) && s.keys.length === s.count) &&
      (s.foundUpTo === undefined || whole(s.foundUpTo))
    ) {
      return s as RecordSummary;
    }
  } catch {
    // not JSON: not a summary
  }
  return null;
}

/** The keys a record block sealed. */
export const sealedKeys = (s: RecordSummary): number[] => s.keys ?? Array.from({ length: s.count }, (_, i) => s.afterKey + 1 + i);
