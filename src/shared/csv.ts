/**
 * CSV as spreadsheets read it: RFC 4180 quoting, CRLF rows, and a UTF-8 byte-order mark so
 * Excel opens accents and "°" correctly. Cells that a spreadsheet would run as a formula
 * (starting with = + - @ or a tab/CR) get a leading apostrophe, so an exported title cannot
 * execute anything on the machine that opens the file.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return '\uFEFF' + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
