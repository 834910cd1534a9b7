import { csvFileName, tableCsv, type ExportColumn, type ExportTable } from '../shared/exportTable';
import { STATUS_LABEL } from '../shared/labels';
import type { WorkItem } from '../shared/types';
import type { ListQuery, WorkItemStore } from './db/workItemStore';

const MAX_ROWS = 100_000;
const PAGE = 2_000;

const COLUMNS: ExportColumn[] = [
  { header: 'No.', kind: 'number' },
  { header: 'Title', kind: 'text' },
  { header: 'Status', kind: 'text' },
  { header: 'Priority', kind: 'text' },
  { header: 'Workflow', kind: 'text' },
  { header: 'Current step', kind: 'text' },
  { header: 'Aircraft registration', kind: 'text' },
  { header: 'ATA chapter', kind: 'text' },
  { header: 'Work order', kind: 'text' },
  { header: 'Created by', kind: 'text' },
  { header: 'Created at', kind: 'date' },
  { header: 'Last changed', kind: 'date' },
  { header: 'At step since', kind: 'date' },
  { header: 'Due at', kind: 'date' },
  { header: 'Overdue', kind: 'text' },
];

function row(item: WorkItem) {
  const step = item.currentStep === null ? '' : (item.steps[item.currentStep]?.name ?? '');
  const workflow = item.workflow ? `${item.workflow.label}${item.workflow.version ? ` v${item.workflow.version}` : ''}` : 'Custom';
  return [
    item.id,
    item.title,
    STATUS_LABEL[item.status],
    item.priority === 'urgent' ? 'Urgent' : 'Normal',
    workflow,
    step,
    item.metadata['aircraftRegistration'] ?? null,
    item.metadata['ataChapter'] ?? null,
    item.metadata['workOrder'] ?? null,
    item.createdBy.name,
    item.createdAt,
    item.updatedAt,
    item.status === 'active' ? item.stepEnteredAt : null,
    item.dueAt,
    item.overdue ? 'yes' : 'no',
  ];
}

/** The item list with the dashboard's filters, as a table to export; read from the database a page at a time. */
export function itemsTable(store: WorkItemStore, filters: Omit<ListQuery, 'offset' | 'limit'>, now: number): ExportTable {
  const total = store.total(filters);
  const rows: ReturnType<typeof row>[] = [];
  for (let offset = 0; offset < Math.min(total, MAX_ROWS); offset += PAGE) {
    rows.push(...store.rows({ ...filters, offset, limit: Math.min(PAGE, MAX_ROWS - offset) }).map(row));
  }
  const stamp = new Date(now).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return {
    title: 'Work items',
    baseName: `work-items-${stamp}`,
    columns: COLUMNS,
    rows,
    ...(total > rows.length ? { truncated: { rows: rows.length, matched: total } } : {}),
  };
}

/** The same table as a CSV file. */
export function exportItemsCsv(store: WorkItemStore, filters: Omit<ListQuery, 'offset' | 'limit'>, now: number) {
  const table = itemsTable(store, filters, now);
  return { fileName: csvFileName(table), content: tableCsv(table), rows: table.rows.length, truncated: table.truncated !== undefined };
}
