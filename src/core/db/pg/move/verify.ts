import { createHash } from 'node:crypto';
import { checkSignal, quoted, rowName, type CopyContext } from './copy';
import type { MovedTable } from './tables';
import { canonical } from './values';

/** Differences described per table (the rest are counted). */
const LISTED = 5;
const FETCH_ROWS = 5000;

export interface TableCheck {
  table: string;
  sqliteRows: number;
  pgRows: number;
  /** SHA-256 over every row's values in key order, in the form both sides share (values.ts canonical): the SQLite side's. */
  digest: string;
  /** The same over the PostgreSQL side's rows: equal to digest when the tables are. */
  pgDigest: string;
  /** Rows that differ (or are on one side only). */
  differing: number;
  /** The first few, in words. */
  differences: string[];
}

export const tableEqual = (c: TableCheck): boolean => c.differing === 0 && c.sqliteRows === c.pgRows && c.digest === c.pgDigest;

/**
 * Reads a table back from PostgreSQL (a cursor, inside the move's transaction) beside the same table
 * from SQLite, both in key order, and compares them row by row in one form (values.ts canonical): the
 * row counts, every value of every column (generated ones too: due_at computed by each database), and
 * a digest of each side. Counts alone would miss a corrupted column. Text keys are ordered by bytes on
 * both sides (COLLATE "C" is SQLite's BINARY), whatever the cluster's locale.
 */
export async function compareTable(ctx: CopyContext, table: MovedTable, expectedRows: number): Promise<TableCheck> {
  const { sqlite, client, progress, signal } = ctx;
  const names = table.columns.map((c) => c.name);
  const kinds = table.columns.map((c) => c.kind);
  const textKey = (name: string) => table.columns.find((c) => c.name === name)?.kind === 'text';
  const sqliteRows = sqlite
    .prepare(`select ${names.map(quoted).join(', ')} from ${quoted(table.name)} order by ${table.key.map(quoted).join(', ')}`)
    .raw(true)
    .safeIntegers(true)
    .iterate() as IterableIterator<unknown[]>;
  const pgOrder = table.key.map((k) => `${quoted(k)}${textKey(k) ? ' collate "C"' : ''}`).join(', ');
  await client.query(`declare move_compare no scroll cursor for select ${names.map(quoted).join(', ')} from ${quoted(table.name)} order by ${pgOrder}`);

  const form = (row: unknown[]) => JSON.stringify(row.map((v, i) => canonical(kinds[i]!, v)));
  const hashes = { sqlite: createHash('sha256'), pg: createHash('sha256') };
  const check: TableCheck = { table: table.name, sqliteRows: 0, pgRows: 0, digest: '', pgDigest: '', differing: 0, differences: [] };
  const differ = (text: () => string) => {
    check.differing++;
    if (check.differences.length < LISTED) check.differences.push(`${table.name}: ${text()}`);
  };
  const compare = (s: unknown[] | undefined, p: unknown[] | undefined) => {
    const sForm = s && form(s);
    const pForm = p && form(p);
    if (sForm !== undefined) {
      hashes.sqlite.update(`${sForm}\n`);
      check.sqliteRows++;
    }
    if (pForm !== undefined) {
      hashes.pg.update(`${pForm}\n`);
      check.pgRows++;
    }
    if (sForm === pForm) return;
    if (!p) return differ(() => `row ${rowName(table, s!, names)} is missing on PostgreSQL`);
    if (!s) return differ(() => `row ${rowName(table, p, names)} is on PostgreSQL only`);
    differ(() => {
      const columns = names.filter((_, i) => canonical(kinds[i]!, s[i]) !== canonical(kinds[i]!, p[i]));
      const shown = (row: unknown[], name: string) => JSON.stringify(canonical(kinds[names.indexOf(name)]!, row[names.indexOf(name)]))?.slice(0, 60);
      return `row ${rowName(table, s, names)}: ${columns.map((c) => `${c} is ${shown(s, c)} on SQLite, ${shown(p, c)} on PostgreSQL`).join('; ')}`;
    });
  };

  progress.start(`comparing ${table.name}`, expectedRows);
  try {
    for (;;) {
      checkSignal(signal);
      const { rows } = await client.query<unknown[]>({ text: `fetch forward ${FETCH_ROWS} from move_compare`, rowMode: 'array' });
      if (rows.length === 0) break;
      for (const p of rows) {
        const s = sqliteRows.next();
        compare(s.done ? undefined : s.value, p);
      }
      progress.update(check.pgRows);
    }
    for (let s = sqliteRows.next(); !s.done; s = sqliteRows.next()) compare(s.value, undefined);
  } finally {
    sqliteRows.return?.();
    await client.query('close move_compare').catch(() => {});
  }
  return { ...check, digest: hashes.sqlite.digest('hex'), pgDigest: hashes.pg.digest('hex') };
}
