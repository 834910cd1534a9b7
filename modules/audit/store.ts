import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { ModuleContext, RecordedChange } from '../../src/core/modules/types';
import { AUDIT_COUNT_CAP, type AuditEntry, type AuditFacets, type AuditPage } from './contract';
import { entryHash, entrySelect, GENESIS_HASH, hashBytes, hashText, storedEntry, storedJson, type EntryContent, type EntryRow, type StoredEntry } from './chain';
import { auditLog } from './schema';

type Db = ModuleContext<unknown>['db'];

export interface AuditFilter {
  actorId?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** SQLite's own table of the highest AUTOINCREMENT value issued per table (read as highestIssuedQuery does; not a migration's). */
const sqliteSequence = sqliteTable('sqlite_sequence', { name: text('name'), seq: integer('seq') });

/** The filter as a WHERE clause on `audit_log a`, the same for a page on screen and for the CSV export. */
export function whereClause(f: AuditFilter): SQL {
  const parts = [
    f.actorId === undefined ? undefined : sql`a.actor_id = ${f.actorId}`,
    f.entity === undefined ? undefined : sql`a.entity = ${f.entity}`,
    f.entityId === undefined ? undefined : sql`a.entity_id = ${f.entityId}`,
    f.action === undefined ? undefined : sql`a.action = ${f.action}`,
    f.from === undefined ? undefined : sql`a.at >= ${Date.parse(f.from)}`,
    f.to === undefined ? undefined : sql`a.at < ${Date.parse(f.to)}`,
  ];
  return and(...parts) ?? sql`1 = 1`;
}

/** Rows for storedEntry. */
export const selectEntries = (f: AuditFilter, order: 'newest' | 'oldest'): SQL =>
  sql`${entrySelect()} where ${whereClause(f)} order by a.seq ${order === 'newest' ? sql`desc` : sql`asc`}`;

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

export const toEntry = (row: StoredEntry): AuditEntry => ({
  seq: row.seq,
  at: new Date(row.at).toISOString(),
  actor: { id: row.actorId, name: row.actorName },
  entity: row.entity,
  entityId: row.entityId,
  action: row.action,
  before: parse(row.beforeJson),
  after: parse(row.afterJson),
  hash: row.hash,
});

/** An entry to append; `eventSeq` for a work item's creation or transition (see appendAll). */
export type NewEntry = Omit<EntryContent, 'seq' | 'eventSeq'> & { eventSeq: number | null };

/** Appends entries to the chain (in the caller's transaction) and reads pages of them. */
export class AuditStore {
  // Prepared once: the events of every transition are appended, a batch at a time.
  private readonly highestIssued;
  private readonly lastEntry;
  private readonly insert;

  constructor(private readonly db: Db) {
    this.highestIssued = db.select({ seq: sqliteSequence.seq }).from(sqliteSequence).where(eq(sqliteSequence.name, 'audit_log')).prepare();
    this.lastEntry = db.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).prepare();
    this.insert = db.$client.prepare(
      `insert into audit_log (seq, at, actor_id, actor_name, entity, entity_id, action, before_json, after_json, event_seq, prev_hash, hash)
       values (@seq, @at, @actorId, @actorName, @entity, @entityId, @action, @beforeJson, @afterJson, @eventSeq, @prevHash, @hash)`,
    );
  }

  /** Appends a change reported by a module or the core (in the caller's transaction). */
  append(change: RecordedChange): void {
    this.appendAll([
      {
        at: change.at,
        actorId: change.actor.id,
        actorName: change.actor.name,
        entity: change.entity,
        entityId: change.entityId,
        action: change.action,
        beforeJson: storedJson(change.before),
        afterJson: storedJson(change.after),
        eventSeq: null,
      },
    ]);
  }

  /**
   * Appends entries in order. An entry with `eventSeq` (a work item's creation or transition:
   * that event of the item entityId) has its before/after hashed but not stored: they are made
   * again from the item's rows when read (eventValues.ts).
   */
  appendAll(entries: NewEntry[]): void {
    if (entries.length === 0) return;
    // The next seq follows the highest ever issued, so entries cut off the end leave a visible gap.
    // Both are read in the caller's transaction, so another process writing to the file cannot interleave.
    const issued = this.highestIssued.get()?.seq ?? 0;
    const last = this.lastEntry.get();
    let seq = Math.max(issued, last?.seq ?? 0);
    let prevHash = last ? hashText(last.hash) : GENESIS_HASH;
    for (const { eventSeq, ...content } of entries) {
      seq += 1;
      const entry = { ...content, seq };
      const hash = entryHash(prevHash, entry);
      const stored = eventSeq === null ? entry : { ...entry, beforeJson: null, afterJson: null };
      this.insert.run({ ...stored, eventSeq, prevHash: hashBytes(prevHash), hash: hashBytes(hash) });
      prevHash = hash;
    }
  }

  page(f: AuditFilter, limit: number, offset: number): AuditPage {
    const rows = this.db.all<EntryRow>(sql`${selectEntries(f, 'newest')} limit ${limit} offset ${offset}`).map(storedEntry);
    // Counted only up to the cap (plus one, to know it was passed): a log of millions would cost every page.
    const counted =
      this.db.get<{ n: number }>(sql`select count(*) as n from (select 1 from audit_log a where ${whereClause(f)} limit ${AUDIT_COUNT_CAP + 1})`)?.n ?? 0;
    return counted > AUDIT_COUNT_CAP ? { rows: rows.map(toEntry), total: AUDIT_COUNT_CAP, totalIsLowerBound: true } : { rows: rows.map(toEntry), total: counted };
  }

  count(): number {
    return this.db.get<{ n: number }>(sql`select count(*) as n from audit_log`)?.n ?? 0;
  }

  facets(): AuditFacets {
    // Each distinct walks an index; the actor's latest name is shown.
    const actors = this.db.all<{ id: string; name: string }>(
      sql`select actor_id as id, actor_name as name from audit_log where seq in (select max(seq) from audit_log group by actor_id) order by actor_name collate nocase`,
    );
    const entities = this.db.all<{ v: string }>(sql`select distinct entity as v from audit_log order by v`).map((r) => r.v);
    const actions = this.db.all<{ v: string }>(sql`select distinct action as v from audit_log order by v`).map((r) => r.v);
    return { actors, entities, actions };
  }
}
