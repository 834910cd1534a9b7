import { Alert, Button, Group, type MantineSize } from '@mantine/core';
import { IconDownload, IconFileSpreadsheet } from '@tabler/icons-react';
import { useState } from 'react';
import { csvFileName, tableCsv, truncationNote, type ExportTable } from '../../../shared/exportTable';
import { downloadText } from '../download';
import { ErrorAlert } from './QueryView';

export type ExportFormat = 'csv' | 'xlsx';
type Format = ExportFormat;

/** Saves the table as a CSV or XLSX file (exceljs is its own chunk, fetched the first time someone asks for a spreadsheet). */
export async function saveTable(table: ExportTable, format: ExportFormat): Promise<void> {
  if (format === 'csv') return downloadText(csvFileName(table), tableCsv(table));
  const { tableXlsx, xlsxFileName, XLSX_TYPE } = await import('../../../shared/xlsx');
  downloadText(xlsxFileName(table), await tableXlsx(table), XLSX_TYPE);
}

/** Saves a table (fetched or built when asked) as CSV or XLSX, and remembers what to tell the person. */
export function useTableExport(load: () => Promise<ExportTable> | ExportTable) {
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const save = async (format: Format) => {
    setBusy(format);
    setError(null);
    setNote(null);
    try {
      const table = await load();
      await saveTable(table, format);
      if (table.truncated) setNote(truncationNote(table.truncated));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, note, save };
}

export type TableExporter = ReturnType<typeof useTableExport>;

/** "Export CSV" and "Export XLSX" side by side; `what` names the table for screen readers ("the item list"). */
export function ExportButtons({ exporter, what, size = 'sm', disabled }: { exporter: TableExporter; what: string; size?: MantineSize; disabled?: boolean }) {
  const button = (format: Format, label: string, icon: typeof IconDownload) => {
    const Icon = icon;
    return (
      <Button
        variant="default"
        size={size}
        leftSection={<Icon size={size === 'xs' ? 14 : 16} />}
        loading={exporter.busy === format}
        disabled={disabled || (exporter.busy !== null && exporter.busy !== format)}
        onClick={() => void exporter.save(format)}
        aria-label={`${label} of ${what}`}
      >
        {label}
      </Button>
    );
  };
  return (
    <Group gap="xs" wrap="nowrap">
      {button('csv', 'Export CSV', IconDownload)}
      {button('xlsx', 'Export XLSX', IconFileSpreadsheet)}
    </Group>
  );
}

/** What the last export needs said: it failed, or the file holds only part of what matched. */
export function ExportNotes({ exporter }: { exporter: TableExporter }) {
  return (
    <>
      {exporter.error && <ErrorAlert title="Export failed" message={exporter.error} />}
      {exporter.note && (
        <Alert color="yellow" variant="light" role="status" title="The exported file is incomplete">
          {exporter.note}
        </Alert>
      )}
    </>
  );
}
