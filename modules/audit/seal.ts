import { sql } from 'drizzle-orm';
import type { ModuleContext, SealedTable } from '../../src/core/modules/types';
import { BLOCK_ACTION, BLOCK_ACTOR, BLOCK_ENTITY, blockSummary, entryActionOf, eventColumns, eventJoins, SEALED_UP_TO, sealedEvent, type EventRow } from './blocks';
import { canonicalJson } from './chain';
import { quoted, recordCells, recordRows, RECORDS_ACTION, RECORDS_ENTITY, recordSummary, type RecordRow } from './records';
import type { AuditStore } from './store';

type Db = ModuleContext<unknown>['db'];

/** Events sealed per block at most, so sealing one never holds the app for long. */
export const BLOCK_SIZE = 50;

/**
 * Work items' events join the chain after they are committed, many per entry: one block entry
 * hashes a range of transition_events (blocks.ts). The event row is already the durable record of
 * who, when, from, to and why; the block is made wholly from committed rows, the same values
 * verify makes again. Call each of these inside a transaction.
 */
export function eventSealer(db: Db, store: AuditStore, clock: () => number, atStart: TablesAtStart) {
  /** Events up to this id were there when the app started: a block of them says so (foundUpTo). */
  const startedAt = atStart.issued.get('transition_events') ?? 0;
  const sqlite = db.$client;
  const mark = sqlite.prepare(`select ${SEALED_UP_TO}`).pluck();
  const countAfter = sqlite.prepare('select count(*) from (select 1 from transition_events where id > ? limit ?)').pluck();
  const advance = sqlite.prepare('update audit_event_mark set last_event_id = ? where id = 1');
  // The people and actions of the block, for the trail's filters: a few rows per block.
  const noteActors = sqlite.prepare(`
    insert into audit_event_facets (kind, value, name, last_at)
    select 'actor', actor_id, actor_name, max(at) from transition_events where id between @first and @last group by actor_id
    on conflict (kind, value) do update set name = excluded.name, last_at = excluded.last_at where excluded.last_at >= audit_event_facets.last_at`);
  const noteActions = sqlite.prepare(`
    insert into audit_event_facets (kind, value, name, last_at)
    select 'action', ${entryActionOf('action')}, '', max(at) from transition_events where id between @first and @last group by 2
    on conflict (kind, value) do update set last_at = max(last_at, excluded.last_at)`);

  /** How many events are not sealed yet, counting no further than `atMost`. */
  const pending = (atMost = 1): number => countAfter.get(mark.get(), atMost) as number;

  /** Seals the next events (at most `limit`, oldest first) as one block entry; returns how many. */
  const sealBlock = (limit = BLOCK_SIZE): number => {
    const rows = db.all<EventRow>(sql`select ${eventColumns} from transition_events e ${eventJoins}
      where e.id > ${mark.get()} order by e.id limit ${limit}`);
    if (rows.length === 0) return 0;
    const first = rows[0]!.eventId;
    const last = rows.at(-1)!.eventId;
    const summary = blockSummary(first, last, rows.map(sealedEvent), rows, startedAt);
    store.appendEntry({
      at: clock(),
      actorId: BLOCK_ACTOR.id,
      actorName: BLOCK_ACTOR.name,
      entity: BLOCK_ENTITY,
      entityId: `${first}-${last}`,
      action: BLOCK_ACTION,
      beforeJson: null,
      afterJson: canonicalJson(summary),
      eventSeq: null,
      firstEventId: first,
      lastEventId: last,
    });
    noteActors.run({ first, last });
    noteActions.run({ first, last });
    advance.run(last);
    return rows.length;
  };

  return {
    pending,
    sealBlock,
    /** Seals every event not in the chain yet (or at most `maxBlocks` blocks of them); returns how many. */
    sealAll(maxBlocks = Infinity): number {
      let sealed = 0;
      for (let blocks = 0; blocks < maxBlocks; blocks++) {
        const count = sealBlock();
        if (count === 0) break;
        sealed += count;
      }
      return sealed;
    },
  };
}

/** What the database held as the trail started, before the other modules started writing: who existed before sealing. */
export interface TablesAtStart {
  tables: Set<string>;
  /** sqlite_sequence: the highest key an AUTOINCREMENT table ever gave out. */
  issued: Map<string, number>;
  autoincrement: Set<string>;
}

export function tablesAtStart(db: Db): TablesAtStart {
  const sqlite = db.$client;
  const tables = sqlite.prepare(`select name, sql from sqlite_master where type = 'table'`).all() as { name: string; sql: string | null }[];
  // sqlite_sequence exists once any AUTOINCREMENT table does (the core's do).
  const issued = tables.some((t) => t.name === 'sqlite_sequence')
    ? (sqlite.prepare('select name, seq from sqlite_sequence').all() as { name: string; seq: number }[])
    : [];
  return {
    tables: new Set(tables.map((t) => t.name)),
    issued: new Map(issued.map((r) => [r.name, r.seq])),
    autoincrement: new Set(tables.filter((t) => /autoincrement/i.test(t.sql ?? '')).map((t) => t.name)),
  };
}

/**
 * Rows of the tables the other modules declare sealed (ModuleParts.audited.sealed) join the chain
 * the same way as work items' events: after they are committed, up to BLOCK_SIZE rows of one
 * table per block entry (records.ts), from the key after the table's mark in audit_record_mark.
 * A table's first block says up to which key its rows were already there when the trail began
 * sealing it (`found`): history from before sealing, sealed as found. Call these inside a transaction.
 */
export function recordSealer(db: Db, store: AuditStore, clock: () => number, tables: () => SealedTable[], atStart: TablesAtStart) {
  const sqlite = db.$client;
  const markOf = sqlite.prepare('select last_key from audit_record_mark where table_name = ?').pluck();
  const setMark = sqlite.prepare(
    'insert into audit_record_mark (table_name, last_key) values (?, ?) on conflict (table_name) do update set last_key = excluded.last_key',
  );
  const counts = new Map<string, { get(...params: unknown[]): unknown }>();
  const countAfter = (t: SealedTable) => {
    let statement = counts.get(t.table);
    if (!statement) {
      statement = sqlite.prepare(`select count(*) from (select 1 from ${quoted(t.table)} where ${quoted(t.key)} > ? limit ?)`).pluck();
      counts.set(t.table, statement);
    }
    return statement;
  };
  /** Tables that could not be read (dropped, renamed): left alone until the next start, which tries again. */
  const broken = new Set<string>();

  const mark = (t: SealedTable) => (markOf.get(t.table) as number | undefined) ?? 0;

  /** The highest key of `t` there when the app started (0 for a table created since); rows up to it are sealed as found. */
  const found = new Map<string, number>();
  const foundUpTo = (t: SealedTable): number => {
    let key = found.get(t.table);
    if (key === undefined) {
      const issued = atStart.issued.get(t.table);
      key = !atStart.tables.has(t.table)
        ? 0
        : issued !== undefined
          ? issued
          : atStart.autoincrement.has(t.table)
            ? 0 // never had a row
            : // Not AUTOINCREMENT: the highest key when first sealed in this run (rows of this run's first moments count as found).
              ((sqlite.prepare(`select coalesce(max(${quoted(t.key)}), 0) from ${quoted(t.table)}`).pluck().get() as number) ?? 0);
      found.set(t.table, key);
    }
    return key;
  };

  const pending = (t: SealedTable, atMost: number): number => {
    if (broken.has(t.table)) return 0;
    try {
      return countAfter(t).get(mark(t), atMost) as number;
    } catch {
      broken.add(t.table);
      return 0;
    }
  };

  /** Seals the next rows of `t` (at most `limit`, in key order) as one block entry; returns how many. */
  const sealBlock = (t: SealedTable, limit = BLOCK_SIZE): number => {
    const stored = markOf.get(t.table) as number | undefined;
    const afterKey = stored ?? 0;
    let rows: RecordRow[];
    try {
      rows = db.all<RecordRow>(recordRows(t.table, t.key, t.columns, afterKey, Number.MAX_SAFE_INTEGER, limit));
      if (!rows.every((r) => Number.isSafeInteger(r.k))) throw new Error(`${t.table}.${t.key} is not an integer key`);
    } catch (error) {
      broken.add(t.table);
      throw new Error(`Could not seal rows of ${t.table} (left until the next start): ${(error as Error).message}`);
    }
    if (rows.length === 0) return 0;
    const cells = rows.map((r) => recordCells(r, t.columns.length));
    const lastKey = rows.at(-1)!.k;
    const summary = recordSummary(t, afterKey, lastKey, cells, foundUpTo(t));
    store.appendEntry({
      at: clock(),
      actorId: BLOCK_ACTOR.id,
      actorName: BLOCK_ACTOR.name,
      entity: RECORDS_ENTITY,
      entityId: `${t.table}:${rows[0]!.k}-${lastKey}`,
      action: RECORDS_ACTION,
      beforeJson: null,
      afterJson: canonicalJson(summary),
      eventSeq: null,
    });
    setMark.run(t.table, lastKey);
    return rows.length;
  };

  return {
    /** A table with at least `atLeast` rows waiting, or null. */
    waiting(atLeast = 1): SealedTable | null {
      return tables().find((t) => pending(t, atLeast) >= atLeast) ?? null;
    },
    sealBlock,
    /** Seals every waiting row of every table (or at most `maxBlocks` blocks); returns how many rows. */
    sealAll(maxBlocks = Infinity): number {
      let sealed = 0;
      for (let blocks = 0; blocks < maxBlocks; blocks++) {
        const t = this.waiting();
        if (!t) break;
        sealed += sealBlock(t);
      }
      return sealed;
    },
  };
}
