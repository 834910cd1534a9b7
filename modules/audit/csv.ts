import { toCsv } from '../../src/shared/csv';
import { terminalLabel } from '../../src/shared/terminals';
import type { ListedRow } from './listing';

export const CSV_HEADER = ['Seq', 'At (UTC)', 'Actor ID', 'Actor', 'Entity', 'Entity ID', 'Action', 'Before', 'After', 'Hash', 'Event ID', 'Terminal ID', 'Terminal'] as const;

/**
 * The trail as a CSV file: before/after as their canonical JSON, times as ISO 8601. A work item's
 * event has its own Event ID, and the Seq and Hash of the block entry that seals it (empty until then).
 * The terminal (last, so the columns before keep their places): its id as recorded, and its name.
 */
export const auditCsv = (rows: ListedRow[]): string =>
  toCsv(
    CSV_HEADER,
    rows.map((r) => [
      r.seq,
      new Date(r.at).toISOString(),
      r.actorId,
      r.actorName,
      r.entity,
      r.entityId,
      r.action,
      r.beforeJson,
      r.afterJson,
      r.hash,
      r.eventId,
      r.terminal,
      terminalLabel(r.terminal, r.terminalName),
    ]),
  );
