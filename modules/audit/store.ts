import { eq, sql, type SQL } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { ModuleContext, RecordedChange } from '../../src/core/modules/types';
import { terminalLabel } from '../../src/shared/terminals';
import { AUDIT_COUNT_CAP, type AuditEntry, type AuditFacets, type AuditPage } from './contract';
import { BLOCK_ACTOR, BLOCK_ENTITY, entryActionOf, SEALED_UP_TO, WORK_ITEM } from './blocks';
import { entryHash, GENESIS_HASH, hashBytes, hashText, storedJson, type EntryContent } from './chain';
import { eventsMayMatch, listedEntry, listing, listingCount, type AuditFilter, type ListedRow } from './listing';
import { readableEntry, type DepartmentNames } from './readable';
import { RECORDS_ENTITY } from './records';

type Db = ModuleContext<unknown>['db'];

/** SQLite's own table of the highest AUTOINCREMENT value issued per table (read as highestIssuedQuery does; not a migration's). */
const sqliteSequence = sqliteTable('sqlite_sequence', { name: text('name'), seq: integer('seq') });

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

export function toEntry(row: ListedRow, names: DepartmentNames): AuditEntry {
  const entry = {
    key: row.eventId === null ? `entry:${row.seq}` : `event:${row.eventId}`,
    seq: row.seq,
    ...(row.eventId === null ? {} : { eventId: row.eventId }),
    at: new Date(row.at).toISOString(),
    actor: { id: row.actorId, name: row.actorName },
    entity: row.entity,
    entityId: row.entityId,
    action: row.action,
    before: parse(row.beforeJson),
    after: parse(row.afterJson),
    hash: row.hash,
    terminal: row.terminal === null || row.terminal === undefined ? null : { id: row.terminal, name: terminalLabel(row.terminal, row.terminalName)! },
  };
  return { ...entry, readable: readableEntry(entry, names) };
}

/** An entry to append; `eventSeq` for an entry of one work item's event (from before blocks), the event ids for a block. */
export type NewEntry = Omit<EntryContent, 'seq' | 'eventSeq' | 'firstEventId' | 'lastEventId'> & {
  eventSeq: number | null;
  firstEventId?: number;
  lastEventId?: number;
};

type Read = <T>(query: SQL) => Promise<T[]>;

/**
 * The newest entry: the last row by rowid. NOT INDEXED because with planner statistics from when
 * the log was small, SQLite sorted the whole log by another index instead (14 ms at 35,000 entries).
 */
export const LAST_ENTRY = 'select seq, hash from audit_log not indexed order by seq desc limit 1';

/** Appends entries to the chain (in the caller's transaction) and reads the trail (on the background reader). */
export class AuditStore {
  // Prepared once: a block is appended every few dozen transitions.
  private readonly highestIssued;
  private readonly lastEntry;
  private readonly insert;
  private readonly firstListed;

  constructor(
    private readonly db: Db,
    private readonly read: Read,
  ) {
    this.firstListed = db.$client.prepare('select first_listed_event_id from audit_event_mark where id = 1').pluck();
    this.highestIssued = db.select({ seq: sqliteSequence.seq }).from(sqliteSequence).where(eq(sqliteSequence.name, 'audit_log')).prepare();
    this.lastEntry = db.$client.prepare(LAST_ENTRY);
    this.insert = db.$client.prepare(
      `insert into audit_log (seq, at, actor_id, actor_name, entity, entity_id, action, before_json, after_json, event_seq, first_event_id, last_event_id, terminal, prev_hash, hash)
       values (@seq, @at, @actorId, @actorName, @entity, @entityId, @action, @beforeJson, @afterJson, @eventSeq, @firstEventId, @lastEventId, @terminal, @prevHash, @hash)`,
    );
  }

  /** Appends a change reported by a module or the core (in the caller's transaction). */
  append(change: RecordedChange): void {
    this.appendEntry({
      at: change.at,
      actorId: change.actor.id,
      actorName: change.actor.name,
      entity: change.entity,
      entityId: change.entityId,
      action: change.action,
      beforeJson: storedJson(change.before),
      afterJson: storedJson(change.after),
      eventSeq: null,
      terminal: change.terminal ?? null,
    });
  }

  /**
   * Appends one entry. An entry with `eventSeq` (a work item's creation or transition: that event
   * of the item entityId, as written before blocks) has its before/after hashed but not stored:
   * they are made again from the item's rows when read (eventValues.ts).
   */
  appendEntry({ eventSeq, firstEventId, lastEventId, ...content }: NewEntry): void {
    // The next seq follows the highest ever issued, so entries cut off the end leave a visible gap.
    // Both are read in the caller's transaction, so another process writing to the file cannot interleave.
    const issued = this.highestIssued.get()?.seq ?? 0;
    const last = this.lastEntry.get() as { seq: number; hash: Buffer } | undefined;
    const prevHash = last ? hashText(last.hash) : GENESIS_HASH;
    const entry = { ...content, terminal: content.terminal ?? null, seq: Math.max(issued, last?.seq ?? 0) + 1 };
    const hash = entryHash(prevHash, entry);
    const stored = eventSeq === null ? entry : { ...entry, beforeJson: null, afterJson: null };
    this.insert.run({ ...stored, eventSeq, firstEventId: firstEventId ?? null, lastEventId: lastEventId ?? null, prevHash: hashBytes(prevHash), hash: hashBytes(hash) });
  }

  /** The first event listed from transition_events, or null when the filter can match none (eventsMayMatch). */
  private async listedFrom(f: AuditFilter): Promise<number | null> {
    const firstListed = this.firstListed.get() as number;
    const gate = eventsMayMatch(f);
    return gate === null || (await this.read<{ yes: number }>(gate))[0]?.yes ? firstListed : null;
  }

  /** One page of the trail, newest first, with its total (counted up to AUDIT_COUNT_CAP). */
  async page(f: AuditFilter, limit: number, offset: number): Promise<AuditPage> {
    const firstListed = await this.listedFrom(f);
    const rows = (await this.read<ListedRow>(sql`${listing(f, firstListed, 'newest')} limit ${limit} offset ${offset}`)).map(listedEntry);
    // A short page is the end: its total needs no count (which, for a filter the events have no index for, walks them all).
    const counted =
      rows.length < limit && (rows.length > 0 || offset === 0)
        ? offset + rows.length
        : ((await this.read<{ n: number }>(listingCount(f, firstListed, AUDIT_COUNT_CAP)))[0]?.n ?? 0);
    const names = await this.departmentNames();
    const entries = rows.map((row) => toEntry(row, names));
    return counted > AUDIT_COUNT_CAP ? { rows: entries, total: AUDIT_COUNT_CAP, totalIsLowerBound: true } : { rows: entries, total: counted };
  }

  /** Every department's name by its code, as the trail last recorded it (departments are few). */
  async departmentNames(): Promise<DepartmentNames> {
    const rows = await this.read<{ code: string; name: string | null }>(
      sql`select entity_id as code, json_extract(after_json, '$.name') as name from audit_log where entity = 'department' and after_json is not null order by seq`,
    );
    const names = new Map<string, string>();
    for (const row of rows) if (typeof row.name === 'string') names.set(row.code, row.name);
    return names;
  }

  /** Every entry matching the filter as people read it, oldest first (for the exports). */
  async readable(f: AuditFilter): Promise<AuditEntry[]> {
    const [rows, names] = await Promise.all([this.everything(f), this.departmentNames()]);
    return rows.map((row) => toEntry(row, names));
  }

  /** A work item's creation, transitions and the entries of its comments, oldest first. */
  async itemHistory(itemId: number): Promise<AuditEntry[]> {
    const comments = await this.read<{ id: string }>(
      sql`select distinct entity_id as id from audit_log where entity = 'comment' and json_extract(after_json, '$.itemId') = ${itemId}`,
    );
    const parts = await Promise.all([
      this.readable({ entity: WORK_ITEM, entityId: String(itemId) }),
      ...comments.map((c) => this.readable({ entity: 'comment', entityId: c.id })),
    ]);
    return parts.flat().sort((a, b) => a.at.localeCompare(b.at) || (a.seq ?? Infinity) - (b.seq ?? Infinity));
  }

  /** Every row matching the filter, oldest first (for the CSV export). */
  async everything(f: AuditFilter): Promise<ListedRow[]> {
    return (await this.read<ListedRow>(listing(f, await this.listedFrom(f), 'oldest'))).map(listedEntry);
  }

  count(): number {
    return this.db.get<{ n: number }>(sql`select count(*) as n from audit_log`)?.n ?? 0;
  }

  /** The people, kinds of thing and actions in the trail, for its filters: from the entries, the sealed events' facets and the events waiting. */
  async facets(): Promise<AuditFacets> {
    const [actors, entities, actions, events] = await Promise.all([
      this.read<{ id: string; name: string; at: number }>(sql`
        select actor_id as id, actor_name as name, at from audit_log where seq in (select max(seq) from audit_log group by actor_id)
        union all select value, name, last_at from audit_event_facets where kind = 'actor'
        union all select actor_id, actor_name, max(at) from transition_events
          where id > ${sql.raw(SEALED_UP_TO)} group by actor_id`),
      this.read<{ v: string }>(sql`select distinct entity as v from audit_log`),
      this.read<{ v: string }>(sql`
        select distinct action as v from audit_log where entity not in (${BLOCK_ENTITY}, ${RECORDS_ENTITY})
        union select value from audit_event_facets where kind = 'action'
        union select ${sql.raw(entryActionOf('action'))} from transition_events
          where id > ${sql.raw(SEALED_UP_TO)}`),
      this.read<{ yes: number }>(sql`select exists(select 1 from transition_events where id >= (select first_listed_event_id from audit_event_mark where id = 1)) as yes`),
    ]);
    // Each person once, by the name they last acted under; the trail's own block entries are not a person's.
    const latest = new Map<string, { id: string; name: string; at: number }>();
    for (const a of actors) if (a.id !== BLOCK_ACTOR.id && (latest.get(a.id)?.at ?? -Infinity) <= a.at) latest.set(a.id, a);
    const kinds = new Set(entities.map((e) => e.v).filter((e) => e !== BLOCK_ENTITY && e !== RECORDS_ENTITY));
    if (events[0]?.yes) kinds.add(WORK_ITEM);
    return {
      actors: [...latest.values()].map(({ id, name }) => ({ id, name })).sort((x, y) => x.name.localeCompare(y.name, undefined, { sensitivity: 'base' })),
      entities: [...kinds].sort(),
      actions: actions.map((a) => a.v).sort(),
    };
  }
}
