import Database from 'better-sqlite3';

export interface AuditSize {
  /** Entries in the log now (the bench's history is bulk-inserted without entries; only the app's writes made these). */
  entries: number;
  /** Bytes of audit_log and its indexes per entry, measured on this log. */
  bytesPerEntry: number;
  /** What a log with an entry for every item's creation and every transition here would take: bytesPerEntry × events. */
  projectedMb: number;
}

/**
 * The synthetic history has no audit entries (chaining millions of hashes would double the
 * build), so the database size leaves the audit trail out. This measures what an entry costs on
 * the log the app wrote (first run, plus every transition the bench made) and projects it to
 * one entry per event, which is what the audit module writes for a work item.
 */
export function auditSize(databasePath: string): AuditSize | null {
  const sqlite = new Database(databasePath, { readonly: true });
  try {
    if (!sqlite.prepare(`select 1 from sqlite_master where name = 'audit_log'`).get()) return null;
    const bytes = sqlite
      .prepare(`select sum(pgsize) from dbstat where name = 'audit_log' or name in (select name from sqlite_master where type = 'index' and tbl_name = 'audit_log')`)
      .pluck()
      .get() as number;
    const entries = sqlite.prepare('select count(*) from audit_log').pluck().get() as number;
    const events = sqlite.prepare('select count(*) from transition_events').pluck().get() as number;
    const bytesPerEntry = entries ? bytes / entries : 0;
    return { entries, bytesPerEntry, projectedMb: (bytesPerEntry * events) / 2 ** 20 };
  } finally {
    sqlite.close();
  }
}
