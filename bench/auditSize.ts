import Database from 'better-sqlite3';

export interface AuditLogSize {
  entries: number;
  /** audit_log and its indexes, in bytes of pages. */
  bytes: number;
}

export interface AuditProjection {
  /** Entries the measured transitions added (one each). */
  measuredEntries: number;
  /** What each of them added to audit_log and its indexes. */
  bytesPerEntry: number;
  /** A log with an entry for every event here (every creation and transition): bytesPerEntry × events. */
  projectedMb: number;
}

/** The audit log's size now, or null without one (audit module not installed). */
export function auditLogSize(databasePath: string): (AuditLogSize & { events: number }) | null {
  const sqlite = new Database(databasePath, { readonly: true });
  try {
    if (!sqlite.prepare(`select 1 from sqlite_master where name = 'audit_log'`).get()) return null;
    const bytes = sqlite
      .prepare(`select sum(pgsize) from dbstat where name = 'audit_log' or name in (select name from sqlite_master where type = 'index' and tbl_name = 'audit_log')`)
      .pluck()
      .get() as number;
    const entries = sqlite.prepare('select count(*) from audit_log').pluck().get() as number;
    const events = sqlite.prepare('select count(*) from transition_events').pluck().get() as number;
    return { bytes, entries, events };
  } finally {
    sqlite.close();
  }
}

/**
 * The synthetic history has no audit entries (chaining millions of hashes would double the
 * build), so the database size leaves the audit trail out. What the bench's own transitions
 * added to the log (each writes one entry, as every creation and transition does) gives the cost
 * of an entry; projected to one entry per event, that is the trail this history would have.
 */
export function auditProjection(before: AuditLogSize | null, after: (AuditLogSize & { events: number }) | null): AuditProjection | null {
  if (!before || !after || after.entries <= before.entries) return null;
  const measuredEntries = after.entries - before.entries;
  const bytesPerEntry = (after.bytes - before.bytes) / measuredEntries;
  return { measuredEntries, bytesPerEntry, projectedMb: (bytesPerEntry * after.events) / 2 ** 20 };
}
