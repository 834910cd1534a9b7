import { downloadText } from '../../../src/renderer/src/download';
import { csvFile, type CsvValue } from '../csv';

/** Saves a table as a CSV file. */
export const downloadCsv = (fileName: string, header: readonly string[], rows: readonly (readonly CsvValue[])[]): void =>
  downloadText(fileName, csvFile(header, rows));
