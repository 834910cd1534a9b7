import { toCsv } from '../../src/shared/csv';
import type { ListedRow } from './listing';

export const CSV_HEADER = ['Seq', 'At (UTC)', 'Actor ID', 'Actor', 'Entity', 'Entity ID', 'Action', 'Before', 'After', 'Hash', 'Event ID'] as const;

/**
 * The trail as a CSV file: before/after as their canonical JSON, times as ISO 8601. A work item's
 * event has its own Event ID, and the Seq and Hash of the block entry that seals it (empty until then).
 */
export const auditCsv = (rows: ListedRow[]): string =>
  toCsv(
    CSV_HEADER,
    rows.map((r) => [r.seq, new Date(r.at).toISOString(), r.actorId, r.actorName, r.entity, r.entityId, r.action, r.beforeJson, r.afterJson, r.hash, r.eventId]),
  );
