/**
 * CSV for spreadsheets (RFC 4180): comma-separated, CRLF line ends, a field quoted when it
 * holds a comma, quote, CR or LF (quotes doubled), and a UTF-8 byte-order mark so Excel reads
 * non-ASCII names correctly. Dates are passed in already as ISO 8601 text. Text that a
 * spreadsheet would run as a formula (starting with = + - @ or a tab) gets a leading
 * apostrophe, so a department named "=HYPERLINK(…)" stays text.
 */
export type CsvValue = string | number | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const BOM = '\uFEFF';

/** The file's full text, BOM first. */
export const csvFile = (header: readonly string[], rows: readonly (readonly CsvValue[])[]) => BOM + toCsv(header, rows);
