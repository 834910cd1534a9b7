import { downloadText } from '../../../src/renderer/src/download';
import { csvFile } from '../csv';
import type { CsvTable } from './csvTables';

/** Saves a table as a CSV file. */
export const downloadCsv = (fileName: string, table: CsvTable): void => downloadText(fileName, csvFile(table.header, table.rows));
