import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tableCsv, type ExportTable } from '../../src/shared/exportTable';
import { tableXlsx, type TimeZone } from '../../src/shared/xlsx';
import { parseCsv } from '../support/parseCsv';

const table: ExportTable = {
  title: 'Work items',
  baseName: 'work-items',
  columns: [
    { header: 'No.', kind: 'number' },
    { header: 'Work order', kind: 'text' },
    { header: 'ATA chapter', kind: 'text' },
    { header: 'Title', kind: 'text' },
    { header: 'Created at', kind: 'date' },
  ],
  rows: [
    [7, '00123', '05', '=HYPERLINK("http://x")', '2026-07-01T08:30:00.000Z'],
    [8, null, '32', 'Plain', null],
  ],
};
/** Berlin in summer: two hours ahead of UTC. */
const berlin: TimeZone = { name: 'Europe/Berlin', offsetMinutes: () => 120 };

async function readBack(bytes: Uint8Array) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes.buffer as ArrayBuffer);
  return book.worksheets[0]!;
}

describe('export table: CSV', () => {
  it('names the zone of its times, keeps ids as typed and defuses formulas', () => {
    const [header, first, second] = parseCsv(tableCsv(table));
    expect(header).toEqual(['No.', 'Work order', 'ATA chapter', 'Title', 'Created at (UTC)']);
    expect(first).toEqual(['7', '00123', '05', `'=HYPERLINK("http://x")`, '2026-07-01T08:30:00.000Z']);
    expect(second).toEqual(['8', '', '32', 'Plain', '']);
  });

  it('says in its last line when it holds only part of what matched', () => {
    const rows = parseCsv(tableCsv({ ...table, truncated: { rows: 2, matched: 150_000 } }));
    expect(rows).toHaveLength(4);
    expect(rows[3]![0]).toBe('Only the first 2 of 150,000 matching rows are in this file: narrow the filters to export the rest.');
  });
});

describe('export table: XLSX', () => {
  it('writes ids as text, times as date cells in the named zone, numbers as numbers', async () => {
    const sheet = await readBack(await tableXlsx(table, berlin));
    expect(sheet.name).toBe('Work items');
    expect(sheet.getRow(1).values).toEqual([undefined, 'No.', 'Work order', 'ATA chapter', 'Title', 'Created at (Europe/Berlin)']);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe(7);
    expect(first.getCell(2).value).toBe('00123');
    expect(first.getCell(3).value).toBe('05');
    // A value, never a formula: the text is stored as it was typed.
    expect(first.getCell(4).type).toBe(ExcelJS.ValueType.String);
    expect(first.getCell(4).value).toBe('=HYPERLINK("http://x")');
    const created = first.getCell(5).value;
    expect(created).toBeInstanceOf(Date);
    // 08:30 UTC is 10:30 on the wall clock in Berlin; a spreadsheet's date has no zone of its own.
    expect((created as Date).toISOString()).toBe('2026-07-01T10:30:00.000Z');
    expect(first.getCell(5).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet.getRow(3).getCell(2).value).toBeNull();
  });

  it('starts with a note when it holds only part of what matched', async () => {
    const sheet = await readBack(await tableXlsx({ ...table, truncated: { rows: 2, matched: 150_000 } }, berlin));
    expect(sheet.getRow(1).getCell(1).value).toBe('Only the first 2 of 150,000 matching rows are in this file: narrow the filters to export the rest.');
    expect(sheet.getRow(2).getCell(2).value).toBe('Work order');
    expect(sheet.getRow(3).getCell(2).value).toBe('00123');
  });
});
