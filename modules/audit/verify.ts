import { sql, type SQL } from 'drizzle-orm';
import {
  BLOCK_ACTOR,
  BLOCK_ENTITY,
  blockSummary,
  EVENT_CELLS,
  eventCells,
  eventRange,
  printedCells,
  sealedEvent,
  sealedIds,
  statedSummary,
  type BlockSummary,
  type EventRow,
} from './blocks';
import { entryHash, GENESIS_HASH, type LogColumns, type StoredEntry } from './chain';
import { VERIFY_PROBLEMS_LISTED, type VerifyProblem, type VerifyReport } from './contract';
import { COVERAGE_ENTITY, FOUND_ACTION, statedCoverage, type Coverage } from './coverage';
import { diagnose, shown, type Cells, type Diagnosis } from './prints';
import { isName, quoted, recordCells, recordDigest, recordRows, RECORDS_ENTITY, sealedKeys, statedRecords, type RecordRow, type RecordSummary } from './records';
import { compareState, findingMessages, runAsync } from './state';

/**
 * The walk that checks every link of the chain, shared by the module and the command-line check
 * (cli.ts): each entry's hash and link; for a block entry, the events or rows it seals, naming the
 * row and field that no longer match; at the end, the tables whose state the chain declares
 * compared, row by row, with the trail's latest record of it. It does not stop at the first
 * problem: it lists them all (the first VERIFY_PROBLEMS_LISTED) and counts them. README.md defines it.
 */

export type BreakKind = 'content-altered' | 'link-broken' | 'missing';

/** A problem of the chain itself (an entry). */
export interface ChainBreak {
  /** The first entry where the chain does not hold (for missing entries: the first one missing). */
  seq: number;
  kind: BreakKind;
  message: string;
}

/** How far the chain seals each table (the command line counts what waits beyond it). */
export interface Reach {
  /** The last work item's event a block seals (null: none). */
  lastEventId: number | null;
  /** Every table the chain seals rows of or declares sealed: the last key its blocks reach, and how many rows they seal. */
  tables: { table: string; key: string; upTo: number; rows: number }[];
}

export type VerifyResult = VerifyReport & { reach: Reach };

/** Where the walk reads from: the module's background reader, or the CLI's connection. */
export interface ChainSource {
  /** Entries with seq > afterSeq, in seq order, at most `limit`. */
  page(afterSeq: number, limit: number): Promise<StoredEntry[]> | StoredEntry[];
  /** The highest seq SQLite ever gave out (sqlite_sequence), to notice entries cut off the end. */
  highestIssued(): Promise<number> | number;
  /** Any read-only query: the events and rows blocks seal, the tables compared. */
  all<T>(query: SQL): Promise<T[]> | T[];
  /** Which later columns the file has (the command line reads an older file as it is); all of them when not said. */
  columns?: LogColumns;
}

export const PAGE_SIZE = 2000;
/** Events or rows read at once for the block entries of a page: blocks are read together up to this span of keys. */
const SPAN = 10_000;

const range = (from: number, to: number) => (from === to ? `Entry #${from} is` : `Entries #${from}–#${to} are`);
const ids = (from: number, to: number) => (from === to ? `#${from}` : `#${from}–#${to}`);

/** Checks one entry against the one before it: a gap, then its hash, then its link. */
export function checkEntry(entry: StoredEntry, previous: { seq: number; hash: string }): ChainBreak[] {
  const out: ChainBreak[] = [];
  const gap = entry.seq !== previous.seq + 1;
  if (gap) {
    const first = previous.seq + 1;
    out.push({ seq: first, kind: 'missing', message: `${range(first, entry.seq - 1)} missing: the log jumps from #${previous.seq} to #${entry.seq}.` });
  }
  if (entryHash(entry.prevHash, entry) !== entry.hash) {
    const what =
      entry.eventSeq == null
        ? 'its content'
        : `its content, or the ${entry.action === 'created' ? 'item and first event' : 'transition'} it records (event #${entry.eventSeq} of item #${entry.entityId} in transition_events),`;
    out.push({ seq: entry.seq, kind: 'content-altered', message: `Entry #${entry.seq} was changed after it was written: ${what} no longer matches its hash.` });
  } else if (!gap && entry.prevHash !== previous.hash) {
    out.push({
      seq: entry.seq,
      kind: 'link-broken',
      message:
        entry.seq === 1
          ? 'Entry #1 does not start the chain: its previous hash should be all zeros.'
          : `Entry #${entry.seq} does not link to entry #${previous.seq}: #${previous.seq} was rewritten (its hash recomputed) or replaced.`,
    });
  }
  return out;
}

/** The rows a diagnosis names, as problems; `where` says which table and row a cell is in. */
function namedRows(
  seq: number,
  d: Diagnosis,
  fieldName: (field: number) => string,
  where: (cells: Cells, field: number | null) => { table: string; row: string; label: string; eventId?: number },
  deletedLabel: (key: number) => { table: string; row: string; label: string },
): VerifyProblem[] {
  const out: VerifyProblem[] = [];
  const seen = new Set<string>();
  const push = (p: VerifyProblem) => {
    const key = `${p.kind}|${p.table}|${p.row}|${p.field ?? ''}`;
    if (!seen.has(key)) out.push(p);
    seen.add(key);
  };
  const by = `by entry #${seq}`;
  for (const key of d.deleted) {
    const w = deletedLabel(key);
    push({ kind: 'row-deleted', seq, table: w.table, row: w.row, message: `${w.label}: deleted after it was sealed (${by}).` });
  }
  for (const cells of d.added) {
    const w = where(cells, null);
    push({ kind: 'row-added', seq, table: w.table, row: w.row, ...eventOf(w), message: `${w.label}: added inside a range already sealed (${by}), and not sealed itself.` });
  }
  for (const { cells, fields, exact } of d.changed) {
    if (exact && fields && fields.length > 0) {
      for (const f of fields) {
        const w = where(cells, f);
        const column = fieldName(f);
        push({ kind: 'row-changed', seq, table: w.table, row: w.row, field: column, ...eventOf(w), message: `${w.label}: ${column} is not what was sealed (it reads ${shown(cells[f])} now; sealed ${by}).` });
      }
      continue;
    }
    const w = where(cells, null);
    const among = fields?.length ? `among this block's changed rows, these changed: ${fields.map((f) => qualified(where(cells, f).table, w.table, fieldName(f))).join(', ')}; ` : '';
    push({ kind: 'row-changed', seq, table: w.table, row: w.row, ...eventOf(w), message: `${w.label}: not what was sealed (${among}sealed ${by}).` });
  }
  return out;
}

/** SQLite's reason, without the background reader's prefix. */
const why = (error: Error | undefined) => (error?.message ?? 'not read').replace(/^Background query failed: /, '');
const eventOf = (w: { eventId?: number }) => (w.eventId === undefined ? {} : { eventId: w.eventId });
const qualified = (table: string, rowTable: string, column: string) => (table === rowTable ? column : `${table}.${column}`);

/** Where an event's cell is stored: the event itself, its item's row, or the item's workflow snapshot. */
function eventWhere(row: EventRow | undefined, id: number, field: number | null) {
  const cell = field === null ? undefined : EVENT_CELLS[field - 1];
  // An event whose item or seq itself changed is named by its id (what it says now is in the message).
  const moved = cell?.table === 'transition_events' && (cell.column === 'item_id' || cell.column === 'seq');
  const event = row && !moved ? `item ${row.itemId} seq ${row.eventSeq}` : `id ${id}`;
  if (cell?.table === 'work_items' && row) return { table: 'work_items', row: String(row.itemId), label: `work_items row ${row.itemId}`, eventId: id };
  if (cell?.table === 'workflow_snapshots' && row?.workflowId != null) {
    return { table: 'workflow_snapshots', row: String(row.workflowId), label: `workflow_snapshots row ${row.workflowId}`, eventId: id };
  }
  return { table: 'transition_events', row: event, label: `transition_events ${event}`, eventId: id };
}

/** Checks that a block entry's events are still what it sealed, naming the event and field when it can. */
export function checkBlock(entry: StoredEntry, stated: BlockSummary | null, rows: EventRow[]): VerifyProblem[] {
  const altered = (message: string): VerifyProblem[] => [{ kind: 'content-altered', seq: entry.seq, message }];
  if (!stated) return altered(`Entry #${entry.seq} is a block entry whose after_json does not say which events it seals: it was forged.`);
  const { firstEventId: first, lastEventId: last } = stated;
  if (entry.firstEventId !== first || entry.lastEventId !== last) {
    return altered(`Entry #${entry.seq} seals events #${first}–#${last}, but its first/last event columns were changed to say otherwise.`);
  }
  const now = blockSummary(first, last, rows.map(sealedEvent));
  if (now.count === stated.count && now.digest === stated.digest) return [];
  const sealed = sealedIds(stated);
  const byId = new Map(rows.map((r) => [r.eventId, r]));
  // Blocks sealed before terminals were recorded have prints of the other cells (or none, before prints).
  const printed = printedCells(stated);
  const cells = printed ?? EVENT_CELLS.length;
  const d = sealed && diagnose(sealed, stated.prints, cells, rows.map((r) => eventCells(r).slice(0, cells + 1)));
  const named = d
    ? namedRows(
        entry.seq,
        d,
        (f) => EVENT_CELLS[f - 1]!.column,
        (c, f) => eventWhere(byId.get(c[0] as number), c[0] as number, f),
        (id) => ({ table: 'transition_events', row: `id ${id}`, label: `transition_events id ${id}` }),
      )
    : [];
  // A block sealed before terminals were recorded sealed every event of it without one: a terminal there now was written in since.
  if (printed !== EVENT_CELLS.length) {
    const field = EVENT_CELLS.length;
    for (const r of rows) {
      if (r.terminal === null || (sealed && !sealed.includes(r.eventId))) continue;
      const w = eventWhere(r, r.eventId, field);
      named.push({ kind: 'row-changed', seq: entry.seq, table: w.table, row: w.row, field: 'terminal', eventId: r.eventId, message: `${w.label}: terminal is not what was sealed (it reads ${shown(r.terminal)} now; sealed by entry #${entry.seq}).` });
    }
  }
  if (named.length) return named;
  const unnamed = stated.prints === undefined ? ' (it was sealed before events were fingerprinted one by one, so the event cannot be named)' : '';
  if (now.count !== stated.count) {
    return altered(
      `Entry #${entry.seq} sealed ${stated.count} events, #${first}–#${last} of transition_events; ${now.count} are there now: events were ${now.count < stated.count ? 'deleted' : 'added'}${unnamed}.`,
    );
  }
  return altered(`Entry #${entry.seq} seals events #${first}–#${last} of transition_events: one of them, or the item it belongs to, was changed after it was sealed${unnamed}.`);
}

/** Checks that a record block's rows are still what it sealed, naming the row and column. */
export function checkRecords(entry: StoredEntry, s: RecordSummary, rows: RecordRow[]): VerifyProblem[] {
  const cells = rows.map((r) => recordCells(r, s.columns.length));
  if (cells.length === s.count && recordDigest(cells) === s.digest) return [];
  const d = diagnose(sealedKeys(s), s.prints, s.columns.length, cells);
  const label = (key: unknown) => ({ table: s.table, row: String(key), label: `${s.table} row ${key}` });
  const named = d ? namedRows(entry.seq, d, (f) => s.columns[f - 1]!, (c) => label(c[0]), label) : [];
  if (named.length) return named;
  return [{ kind: 'content-altered', seq: entry.seq, table: s.table, message: `Entry #${entry.seq} seals ${s.table} rows ${ids(s.afterKey + 1, s.lastKey)}: one of them was changed after it was sealed.` }];
}

/** Groups blocks of increasing ranges into spans read with one query each: [from, to] keys and the blocks in it. */
function spans<B>(blocks: B[], lo: (b: B) => number, hi: (b: B) => number, sameSpan: (a: B, b: B) => boolean = () => true) {
  const out: { from: number; to: number; blocks: B[] }[] = [];
  for (let i = 0; i < blocks.length; ) {
    const from = lo(blocks[i]!);
    let j = i + 1;
    while (j < blocks.length && hi(blocks[j]!) - from < SPAN && lo(blocks[j]!) >= lo(blocks[j - 1]!) && sameSpan(blocks[i]!, blocks[j]!)) j++;
    const span = blocks.slice(i, j);
    out.push({ from, to: Math.max(...span.map(hi)), blocks: span });
    i = j;
  }
  return out;
}

/** Rows (in key order) split among blocks, each taking those in [lo, hi]. */
function splitRows<B, R>(rows: R[], key: (r: R) => number, blocks: B[], lo: (b: B) => number, hi: (b: B) => number, into: Map<B, R[]>) {
  let from = 0;
  for (const b of blocks) {
    while (from < rows.length && key(rows[from]!) < lo(b)) from++;
    let to = from;
    while (to < rows.length && key(rows[to]!) <= hi(b)) to++;
    into.set(b, rows.slice(from, to));
  }
}

/** The events of the page's block entries, read in a few spans rather than a block at a time. */
async function blockEvents(source: ChainSource, blocks: BlockSummary[]): Promise<Map<BlockSummary, EventRow[]>> {
  const out = new Map<BlockSummary, EventRow[]>();
  for (const span of spans(blocks, (b) => b.firstEventId, (b) => b.lastEventId)) {
    const rows = await source.all<EventRow>(eventRange(span.from, span.to, source.columns));
    splitRows(rows, (r) => r.eventId, span.blocks, (b) => b.firstEventId, (b) => b.lastEventId, out);
  }
  return out;
}

/** The rows of the page's record blocks, a few spans per table; a table that cannot be read gives its error. */
async function blockRecords(source: ChainSource, blocks: RecordSummary[]): Promise<Map<RecordSummary, RecordRow[] | Error>> {
  const out = new Map<RecordSummary, RecordRow[] | Error>();
  const tables = new Map<string, RecordSummary[]>();
  for (const b of blocks) tables.set(b.table, [...(tables.get(b.table) ?? []), b]);
  const same = (a: RecordSummary, b: RecordSummary) => a.key === b.key && a.columns.join() === b.columns.join();
  for (const list of tables.values()) {
    for (const span of spans(list, (b) => b.afterKey + 1, (b) => b.lastKey, same)) {
      const { table, key, columns } = span.blocks[0]!;
      try {
        const rows = await source.all<RecordRow>(recordRows(table, key, columns, span.from - 1, span.to));
        splitRows(rows, (r) => r.k, span.blocks, (b) => b.afterKey + 1, (b) => b.lastKey, out as Map<RecordSummary, RecordRow[]>);
      } catch (error) {
        for (const b of span.blocks) out.set(b, error as Error);
      }
    }
  }
  return out;
}

/** First listed event: those before it were made before the trail, or have an entry each (0 when the log has no mark). */
const FIRST_LISTED = sql`coalesce((select first_listed_event_id from audit_event_mark where id = 1), 1)`;

/**
 * Walks the whole chain in pages and returns every problem (the first VERIFY_PROBLEMS_LISTED), or
 * the count and the last hash (which an auditor can note down: a later check must reach it).
 * `onProgress` gets the count of entries so far.
 */
export async function verifyChain(
  source: ChainSource,
  options: { onProgress?: (checked: number) => void; listed?: number } = {},
): Promise<VerifyResult> {
  const listed = options.listed ?? VERIFY_PROBLEMS_LISTED;
  const problems: VerifyProblem[] = [];
  let problemCount = 0;
  let entriesBeforeFirst: number | null = null;
  const notes: string[] = [];
  let previous = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  let events = 0;
  let records = 0;
  let lastEventId: number | null = null;
  const reach = new Map<string, { key: string; upTo: number; rows: number }>();
  const unreadable = new Set<string>();
  const coverage = new Map<string, { seq: number; coverage: Coverage }>();
  /** The entry from which each state table (entity and table) was compared: its entries after it must each continue the last. */
  const comparedSince = new Map<string, number>();
  const stateId = (d: { entity: string; table: string }) => `${d.entity}|${d.table}`;
  /** The last time the trail was switched off in the app, and the coverage entries that resumed comparing after it. */
  let auditOff = 0;
  const resumedAt = new Set<number>();
  /** 'found' entries, by the coverage entry that began comparing their table. */
  const found = new Map<string, { table: string; declaredAt: number; count: number; first: number; last: number }>();

  /** Rows sealed as found at a start (not a table's first): runs of keys per table, with the entries that sealed them. */
  const foundAtStart = new Map<string, { from: number; to: number; seqs: number[] }[]>();
  /** Per table: rows up to this key were there before the trail sealed the table (its first block says so). */
  const history = new Map<string, number>();
  const noteFoundAtStart = (table: string, keys: number[], seq: number) => {
    const runs = foundAtStart.get(table) ?? [];
    for (const k of keys) {
      const last = runs.at(-1);
      if (last && k === last.to + 1) {
        last.to = k;
        if (last.seqs.at(-1) !== seq) last.seqs.push(seq);
      } else runs.push({ from: k, to: k, seqs: [seq] });
    }
    foundAtStart.set(table, runs);
  };

  /** `inChain`: found walking the chain (an entry, or rows a block seals); a table's state differing is not (every entry may check out). */
  const add = (p: VerifyProblem, inChain = true) => {
    if (inChain) entriesBeforeFirst ??= entries;
    problemCount++;
    if (problems.length < listed) problems.push(p);
  };
  const none = { n: 0, lo: null, hi: null };
  /** A query that may fail on an older or damaged file (a table or column missing): null then. */
  const tryAll = async <T,>(query: SQL): Promise<T[] | null> => {
    try {
      return await source.all<T>(query);
    } catch {
      return null;
    }
  };
  const count = async (query: SQL) => (await tryAll<typeof none>(query))?.[0] ?? none;

  /** Events in (after, before) never sealed though later ones were: the sealing mark was moved past them. */
  const eventsSkipped = async (seq: number, after: number, before: number) => {
    const gap = await count(sql`select count(*) as n, min(id) as lo, max(id) as hi from transition_events where id > ${after} and id < ${before} and id >= ${FIRST_LISTED}`);
    if (gap.n > 0) {
      add({ kind: 'missing', seq, table: 'transition_events', message: `transition_events ids ${ids(gap.lo!, gap.hi!)} (${gap.n}) were never sealed: entry #${seq} seals events from #${before} on, and the blocks before it end at #${after} (the sealing mark was moved).` });
    }
  };

  const eventBlock = async (entry: StoredEntry, stated: BlockSummary | null, rows: EventRow[]) => {
    if (stated && entry.firstEventId === stated.firstEventId) {
      if (lastEventId !== null && stated.firstEventId <= lastEventId) {
        add({ kind: 'content-altered', seq: entry.seq, message: `Entry #${entry.seq} seals events #${stated.firstEventId}–#${stated.lastEventId} again: the blocks before it sealed up to #${lastEventId} (the sealing mark was moved back).` });
      } else if (stated.firstEventId > (lastEventId ?? 0) + 1) {
        await eventsSkipped(entry.seq, lastEventId ?? 0, stated.firstEventId);
      }
      lastEventId = Math.max(lastEventId ?? 0, stated.lastEventId);
    }
    for (const p of checkBlock(entry, stated, rows)) add(p);
    if (stated) events += stated.count;
    if (stated?.foundUpTo !== undefined) noteFoundAtStart('transition_events', (sealedIds(stated) ?? []).filter((id) => id <= stated.foundUpTo!), entry.seq);
  };

  const recordBlock = async (entry: StoredEntry, s: RecordSummary | null, rows: RecordRow[] | Error | undefined) => {
    if (!s) {
      add({ kind: 'content-altered', seq: entry.seq, message: `Entry #${entry.seq} is a record block whose after_json does not say which rows it seals: it was forged.` });
      return;
    }
    const before = reach.get(s.table);
    const expected = before?.upTo ?? 0;
    if (s.afterKey < expected) {
      add({ kind: 'content-altered', seq: entry.seq, table: s.table, message: `Entry #${entry.seq} seals ${s.table} rows after #${s.afterKey} again: the blocks before it sealed them up to #${expected} (the sealing mark was moved back).` });
    } else if (s.afterKey > expected) {
      const gap = await count(sql`select count(*) as n, min(${sql.raw(quoted(s.key))}) as lo, max(${sql.raw(quoted(s.key))}) as hi from ${sql.raw(quoted(s.table))}
        where ${sql.raw(quoted(s.key))} > ${expected} and ${sql.raw(quoted(s.key))} <= ${s.afterKey}`);
      const which = gap.n > 0 ? `rows ${ids(gap.lo!, gap.hi!)} were never sealed` : `rows after #${expected} up to #${s.afterKey} were never sealed (none are there now)`;
      add({ kind: 'missing', seq: entry.seq, table: s.table, message: `${s.table} ${which}: entry #${entry.seq} seals rows after #${s.afterKey}, and the blocks before it end at #${expected} (the sealing mark was moved).` });
    }
    reach.set(s.table, { key: s.key, upTo: Math.max(expected, s.lastKey), rows: (before?.rows ?? 0) + s.count });
    records += s.count;
    if (s.foundUpTo !== undefined) {
      // The table's first block: rows from before sealing (history), which its next blocks may go on sealing.
      if (s.afterKey === 0) {
        history.set(s.table, s.foundUpTo);
        notes.push(`${s.table} rows up to #${s.foundUpTo} were written before the audit trail sealed them: they are sealed as they were found.`);
      } else {
        const past = history.get(s.table) ?? 0;
        noteFoundAtStart(s.table, sealedKeys(s).filter((k) => k > past && k <= s.foundUpTo!), entry.seq);
      }
    }
    if (rows instanceof Error || rows === undefined) {
      if (!unreadable.has(s.table)) add({ kind: 'row-deleted', seq: entry.seq, table: s.table, message: `${s.table}: the rows entry #${entry.seq} seals cannot be read (${why(rows)}): the table or its columns were removed.` });
      unreadable.add(s.table);
      return;
    }
    for (const p of checkRecords(entry, s, rows)) add(p);
  };

  const noteFound = (entry: StoredEntry) => {
    let declaredAt = 0;
    let table: string | null = null;
    for (const { seq, coverage: c } of coverage.values()) {
      const d = c.state.find((s) => s.entity === entry.entity);
      if (d && seq > declaredAt) [declaredAt, table] = [seq, d.table];
    }
    if (table === null) return;
    const key = `${declaredAt}|${table}`;
    const n = found.get(key) ?? { table, declaredAt, count: 0, first: entry.seq, last: entry.seq };
    found.set(key, { ...n, count: n.count + 1, last: entry.seq });
  };

  /** Reads and checks the entries after `previous` until the end of the log; returns the highest seq issued. */
  const walk = async (): Promise<number> => {
    for (;;) {
      const page = await source.page(previous.seq, PAGE_SIZE);
      const eventBlocks = new Map(page.filter((e) => e.entity === BLOCK_ENTITY).map((e) => [e, statedSummary(e.afterJson)] as const));
      const recordBlocks = new Map(page.filter((e) => e.entity === RECORDS_ENTITY).map((e) => [e, statedRecords(e.afterJson)] as const));
      const sealedEvents = await blockEvents(source, [...eventBlocks.values()].filter((s): s is BlockSummary => s !== null));
      const sealedRows = await blockRecords(source, [...recordBlocks.values()].filter((s): s is RecordSummary => s !== null));
      for (const entry of page) {
        const broken = checkEntry(entry, previous);
        for (const b of broken) add(b);
        // An entry whose own content no longer matches its hash says nothing trustworthy about what it seals or declares.
        const intact = !broken.some((b) => b.seq === entry.seq && b.kind === 'content-altered');
        if (!intact) {
          // Still where the next block of its kind starts, so that one is not reported as well.
          const s = eventBlocks.get(entry) ?? recordBlocks.get(entry);
          if (s && 'lastEventId' in s) lastEventId = Math.max(lastEventId ?? 0, s.lastEventId);
          if (s && 'table' in s) reach.set(s.table, { key: s.key, upTo: Math.max(reach.get(s.table)?.upTo ?? 0, s.lastKey), rows: (reach.get(s.table)?.rows ?? 0) + s.count });
        } else if (eventBlocks.has(entry)) {
          const stated = eventBlocks.get(entry) ?? null;
          await eventBlock(entry, stated, (stated && sealedEvents.get(stated)) ?? []);
        } else if (recordBlocks.has(entry)) {
          const s = recordBlocks.get(entry) ?? null;
          await recordBlock(entry, s, s ? sealedRows.get(s) : undefined);
        } else if (entry.entity === COVERAGE_ENTITY) {
          const c = statedCoverage(entry.afterJson);
          if (c) {
            if (coverage.has(entry.entityId) && auditOff > coverage.get(entry.entityId)!.seq) resumedAt.add(entry.seq);
            coverage.set(entry.entityId, { seq: entry.seq, coverage: c });
            for (const d of c.state) if (!comparedSince.has(stateId(d))) comparedSince.set(stateId(d), entry.seq);
          }
          else add({ kind: 'content-altered', seq: entry.seq, message: `Entry #${entry.seq} declares what the trail covers, but its after_json does not say it: it was forged.` });
        } else if (entry.action === FOUND_ACTION && entry.actorId === BLOCK_ACTOR.id) {
          noteFound(entry);
        } else if (entry.entity === 'module' && entry.entityId === 'audit' && entry.action === 'switched-off') {
          auditOff = entry.seq;
        }
        previous = { seq: entry.seq, hash: entry.hash };
        entries++;
      }
      options.onProgress?.(entries);
      if (page.length < PAGE_SIZE) {
        const issued = await source.highestIssued();
        // Entries written while we walked are read in the next round; only a real gap ends here.
        if (issued <= previous.seq || (await source.page(previous.seq, 1)).length === 0) return issued;
      }
    }
  };

  /** The tables whose state the chain declares compared with it, row by row. */
  const compareDeclared = async () => {
    const compared = new Set<string>();
    for (const { seq, coverage: c } of coverage.values()) {
      for (const d of c.state) {
        const id = stateId(d);
        if (compared.has(id)) continue;
        compared.add(id);
        try {
          await runAsync(
            compareState(d, (f) => {
              for (const m of findingMessages(d, f)) add({ kind: 'state-differs', seq: m.seq, table: d.table, row: f.key, ...(m.field ? { field: m.field } : {}), message: m.message }, false);
            }, { since: comparedSince.get(id) ?? seq }),
            (q) => source.all(q),
          );
        } catch (error) {
          add({ kind: 'state-differs', seq, table: d.table, message: `${d.table}: cannot be compared with the audit trail (${why(error as Error)}): the table or its columns were removed.` }, false);
        }
      }
    }
  };

  /** Rows the side tables say were sealed that no block seals: the marks were moved forward. */
  const marksMoved = async (): Promise<VerifyProblem[]> => {
    const out: VerifyProblem[] = [];
    const mark = (await tryAll<{ last: number }>(sql`select last_event_id as last from audit_event_mark where id = 1`))?.[0]?.last ?? null;
    if (mark !== null && mark > (lastEventId ?? 0)) {
      const gap = await count(sql`select count(*) as n, min(id) as lo, max(id) as hi from transition_events where id > ${lastEventId ?? 0} and id <= ${mark} and id >= ${FIRST_LISTED}`);
      if (gap.n > 0) {
        out.push({ kind: 'missing', seq: null, table: 'transition_events', message: `transition_events ids ${ids(gap.lo!, gap.hi!)} (${gap.n}) were never sealed, though audit_event_mark says events up to #${mark} were (the sealing mark was moved).` });
      }
    }
    const marks = (await tryAll<{ t: string; last: number }>(sql`select table_name as t, last_key as last from audit_record_mark`)) ?? [];
    for (const { t, last } of marks) {
      const at = reach.get(t);
      const declared = [...coverage.values()].flatMap((c) => c.coverage.sealed).find((s) => s.table === t);
      const key = at?.key ?? declared?.key;
      if (!key || last <= (at?.upTo ?? 0)) continue;
      if (!isName(t)) continue;
      const gap = await count(sql`select count(*) as n, min(${sql.raw(quoted(key))}) as lo, max(${sql.raw(quoted(key))}) as hi from ${sql.raw(quoted(t))}
        where ${sql.raw(quoted(key))} > ${at?.upTo ?? 0} and ${sql.raw(quoted(key))} <= ${last}`);
      if (gap.n > 0) out.push({ kind: 'missing', seq: null, table: t, message: `${t} rows ${ids(gap.lo!, gap.hi!)} were never sealed, though audit_record_mark says rows up to #${last} were (the sealing mark was moved).` });
    }
    return out;
  };

  let endCut = false;
  /** Entries cut off the end: SQLite issued seqs the log no longer has. */
  const cutOff = (issued: number) => {
    if (issued <= previous.seq || endCut) return;
    endCut = true;
    const first = previous.seq + 1;
    add({ kind: 'missing', seq: first, message: `${range(first, issued)} missing from the end of the log.` });
  };

  cutOff(await walk());
  await compareDeclared();
  // Entries written meanwhile (a change is recorded with its entry; the app seals blocks as it goes)
  // are checked too; the marks are compared once the log stands still (a block sealed while they
  // are read would look like a moved mark).
  for (let round = 0; ; round++) {
    const issued = await walk();
    const moved = await marksMoved();
    if (round < 3 && (await source.page(previous.seq, 1)).length > 0) continue;
    cutOff(issued);
    for (const p of moved) add(p, false);
    break;
  }

  for (const [table, runs] of foundAtStart) {
    const shownRuns = runs.slice(0, 5).map((r) => `#${r.from === r.to ? r.from : `${r.from}–#${r.to}`} (entry #${r.seqs.join(', #')})`);
    const more = runs.length > 5 ? ` and ${runs.length - 5} more runs` : '';
    const what = table === 'transition_events' ? 'transition_events ids' : `${table} rows`;
    notes.push(
      `${what} ${shownRuns.join(', ')}${more} were already there when the app started, not written while it ran: written before a crash, while the audit trail was switched off, or outside the app. They are sealed as they were found.`,
    );
  }
  for (const f of found.values()) {
    notes.push(
      `When the audit trail ${resumedAt.has(f.declaredAt) ? 'was switched on again and resumed' : 'began'} comparing ${f.table} rows (entry #${f.declaredAt}), ${f.count} differed from its entries or had none: recorded as found (${f.first === f.last ? `entry #${f.first}` : `entries #${f.first}–#${f.last}`}).`,
    );
  }
  const tables = [...reach].map(([table, r]) => ({ table, ...r }));
  for (const s of [...coverage.values()].flatMap((c) => c.coverage.sealed)) {
    if (!tables.some((t) => t.table === s.table)) tables.push({ table: s.table, key: s.key, upTo: 0, rows: 0 });
  }
  const result = { reach: { lastEventId, tables }, notes };
  if (problemCount === 0) return { ok: true, entries, events, records, lastSeq: previous.seq, lastHash: previous.hash, ...result };
  return { ok: false, entries: entriesBeforeFirst ?? entries, broken: problems[0]!, problems, problemCount, ...result };
}
