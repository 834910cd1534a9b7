import type { ExportColumn, ExportTable } from '../../src/shared/exportTable';
import type { AuditEntry } from './contract';
import { changesText } from './readable';

const COLUMNS: ExportColumn[] = [
  { header: 'Seq', kind: 'number' },
  { header: 'When', kind: 'date' },
  { header: 'Who', kind: 'text' },
  { header: 'Terminal', kind: 'text' },
  { header: 'What', kind: 'text' },
  { header: 'Action', kind: 'text' },
  { header: 'Changes', kind: 'text' },
  { header: 'Event ID', kind: 'number' },
  { header: 'Hash', kind: 'text' },
];

/**
 * Audit entries as a table to export, in the words the screen uses (readable.ts). A work item's
 * event has its own Event ID, and the Seq and Hash of the block entry that seals it (empty until then).
 */
export const auditTable = (entries: AuditEntry[], title: string, baseName: string): ExportTable => ({
  title,
  baseName,
  columns: COLUMNS,
  rows: entries.map((e) => [
    e.seq,
    e.at,
    e.actor.name,
    e.terminal?.name ?? null,
    e.readable.subject,
    e.readable.action,
    changesText(e.readable.changes),
    e.eventId ?? null,
    e.hash,
  ]),
});
