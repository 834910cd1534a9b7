import { toCsv, type CsvCell } from './csv';

/**
 * One description of an exported table, written as CSV (csv.ts) or XLSX (xlsx.ts): the columns
 * say what their cells are, so each writer gives every kind its proper form. Identifiers (work
 * orders like 00123, ATA 05, registrations) are `text` and stay exactly as typed; `date` cells
 * are ISO 8601 instants.
 */
export type ColumnKind = 'text' | 'date' | 'number';

export interface ExportColumn {
  header: string;
  kind: ColumnKind;
}

export type ExportCell = string | number | null;

export interface ExportTable {
  /** What the table is, e.g. "Work items" (the sheet's name). */
  title: string;
  /** The file's name without its extension. */
  baseName: string;
  columns: ExportColumn[];
  rows: ExportCell[][];
  /** Set when the table holds only the first `rows` of `matched`: the files and the screen say so. */
  truncated?: { rows: number; matched: number };
}

/** "Only the first 100,000 of 123,456 matching rows are in this file." */
export const truncationNote = ({ rows, matched }: { rows: number; matched: number }): string =>
  `Only the first ${rows.toLocaleString('en-US')} of ${matched.toLocaleString('en-US')} matching rows are in this file: narrow the filters to export the rest.`;

/** A date column's header, naming the time zone its cells are in: "Created at (UTC)". */
export const dateHeader = (header: string, zone: string) => `${header} (${zone})`;

/**
 * The table as a CSV file: times as ISO 8601 UTC (the header says so), the formula guard of
 * csv.ts on every text cell, and a truncated table's note as its last line.
 */
export function tableCsv(table: ExportTable): string {
  const header = table.columns.map((c) => (c.kind === 'date' ? dateHeader(c.header, 'UTC') : c.header));
  const rows: CsvCell[][] = table.rows;
  return toCsv(header, table.truncated ? [...rows, [truncationNote(table.truncated)]] : rows);
}

export const csvFileName = (table: ExportTable) => `${table.baseName}.csv`;
