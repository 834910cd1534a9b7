import Database from 'better-sqlite3';

export interface AuditTrailSize {
  /** audit_log, its indexes and the sealed events' facets, in bytes of pages. */
  bytes: number;
  /** Work items' events sealed into the trail (the mark). */
  sealedEvents: number;
  /** Every event in the file. */
  events: number;
}

export interface AuditProjection {
  /** Events the measured writes sealed (the app's and the floor's). */
  measuredEvents: number;
  /** What each of them added to the trail's tables: its share of a block entry and of the facets. */
  bytesPerEvent: number;
  /** A trail that seals every event here (every creation and transition): bytesPerEvent × events. */
  projectedMb: number;
}

/** The audit trail's size now, or null without one (audit module not installed). */
export function auditTrailSize(databasePath: string): AuditTrailSize | null {
  const sqlite = new Database(databasePath, { readonly: true });
  try {
    if (!sqlite.prepare(`select 1 from sqlite_master where name = 'audit_event_mark'`).get()) return null;
    const bytes = sqlite
      .prepare(
        `select sum(pgsize) from dbstat where name in ('audit_log', 'audit_event_facets')
           or name in (select name from sqlite_master where type = 'index' and tbl_name in ('audit_log', 'audit_event_facets'))`,
      )
      .pluck()
      .get() as number;
    const sealedEvents = sqlite.prepare('select last_event_id from audit_event_mark where id = 1').pluck().get() as number;
    const events = sqlite.prepare('select count(*) from transition_events').pluck().get() as number;
    return { bytes, sealedEvents, events };
  } finally {
    sqlite.close();
  }
}

/**
 * The synthetic history is not in the trail (sealing five million events would double the
 * build), so the database size leaves the trail out. What the events the bench's writes sealed
 * added to the trail's tables gives the cost of an event; projected to every event, that is the
 * trail this history would have.
 */
export function auditProjection(before: AuditTrailSize | null, after: AuditTrailSize | null): AuditProjection | null {
  if (!before || !after || after.sealedEvents <= before.sealedEvents) return null;
  const measuredEvents = after.sealedEvents - before.sealedEvents;
  const bytesPerEvent = (after.bytes - before.bytes) / measuredEvents;
  return { measuredEvents, bytesPerEvent, projectedMb: (bytesPerEvent * after.events) / 2 ** 20 };
}
