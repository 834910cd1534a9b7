import { dateHeader, truncationNote, type ExportTable } from './exportTable';

/** The time zone an XLSX file's times are written in (a spreadsheet's dates have none of their own). */
export interface TimeZone {
  name: string;
  /** Minutes ahead of UTC at that instant (for Berlin in summer, 120). */
  offsetMinutes(at: number): number;
}

/** The zone of the machine the app runs on, e.g. "Europe/Berlin". */
export const localZone = (): TimeZone => ({
  name: Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time',
  offsetMinutes: (at) => -new Date(at).getTimezoneOffset(),
});

const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/**
 * The table as an XLSX workbook (bytes). Text cells are strings (leading zeros kept; never a
 * formula), numbers numbers, and times real date cells showing the wall-clock time in `zone`,
 * which each date column's header names. A truncated table starts with a line saying so.
 * exceljs is loaded on first use, so it stays out of the first paint's bundle.
 */
export async function tableXlsx(table: ExportTable, zone: TimeZone = localZone()): Promise<Uint8Array<ArrayBuffer>> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(table.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: table.truncated ? 2 : 1 }] });
  if (table.truncated) {
    const note = sheet.addRow([truncationNote(table.truncated)]);
    note.font = { bold: true, color: { argb: 'FFB3261E' } };
  }
  const header = sheet.addRow(table.columns.map((c) => (c.kind === 'date' ? dateHeader(c.header, zone.name) : c.header)));
  header.font = { bold: true };
  table.columns.forEach((column, i) => {
    const sheetColumn = sheet.getColumn(i + 1);
    sheetColumn.width = column.kind === 'date' ? 20 : Math.min(50, Math.max(10, column.header.length + 4));
    if (column.kind === 'date') sheetColumn.numFmt = DATE_FORMAT;
    if (column.kind === 'text') sheetColumn.numFmt = '@';
  });
  for (const row of table.rows) {
    sheet.addRow(
      row.map((cell, i) => {
        if (cell === null || cell === '') return null;
        const kind = table.columns[i]?.kind ?? 'text';
        if (kind === 'date') {
          const at = Date.parse(String(cell));
          // exceljs writes a Date's UTC fields: shift it so they are the wall-clock time in the zone.
          return Number.isNaN(at) ? String(cell) : new Date(at + zone.offsetMinutes(at) * 60_000);
        }
        if (kind === 'number') return typeof cell === 'number' ? cell : Number(cell);
        return String(cell);
      }),
    );
  }
  return new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer);
}

export const xlsxFileName = (table: ExportTable) => `${table.baseName}.xlsx`;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
