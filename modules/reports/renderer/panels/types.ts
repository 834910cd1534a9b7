import type { QueryState } from '../../../../src/renderer/src/hooks/useQuery';
import type { ExportFormat } from '../../../../src/renderer/src/components/TableExport';
import type { ReportTable } from '../csvTables';

/** What every report panel gets from the Analytics screen. */
export interface PanelProps<T> {
  query: QueryState<T>;
  /** Why the report cannot run (a bad date range), or null. */
  blocked: string | null;
  /** Saves a CSV or XLSX file named after the report and the filters. */
  save: (report: string, table: ReportTable, format: ExportFormat) => void;
}
