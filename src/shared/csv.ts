/**
 * CSV as spreadsheets read it: RFC 4180 quoting, CRLF rows, and a UTF-8 byte-order mark so
 * Excel opens accents and "°" correctly. Cells that a spreadsheet would run as a formula
 * (starting with = + - @ or a tab/CR) get a leading apostrophe, so an exported title cannot
 * execute anything on the machine that opens the file. Dates are passed in as ISO 8601 text.
 */
export type CsvCell = string | number | boolean | null | undefined;

export const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows as CSV text, without the byte-order mark. */
export function csvRows(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A whole CSV file: byte-order mark, header, rows. */
export const toCsv = (header: readonly string[], rows: readonly (readonly CsvCell[])[]): string => BOM + csvRows(header, rows);
