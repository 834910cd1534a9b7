import { toCsv } from '../../src/shared/csv';
import type { StoredEntry } from './chain';

export const CSV_HEADER = ['Seq', 'At (UTC)', 'Actor ID', 'Actor', 'Entity', 'Entity ID', 'Action', 'Before', 'After', 'Hash'] as const;

/** The entries as a CSV file: before/after as their stored JSON, times as ISO 8601. */
export const auditCsv = (rows: StoredEntry[]): string =>
  toCsv(
    CSV_HEADER,
    rows.map((r) => [r.seq, new Date(r.at).toISOString(), r.actorId, r.actorName, r.entity, r.entityId, r.action, r.beforeJson, r.afterJson, r.hash]),
  );
