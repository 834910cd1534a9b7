import { csvFile, type CsvValue } from '../csv';

/** Saves a table as a CSV file through the browser's download (a Blob and an <a download>). */
export function downloadCsv(fileName: string, header: readonly string[], rows: readonly (readonly CsvValue[])[]): void {
  const blob = new Blob([csvFile(header, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
