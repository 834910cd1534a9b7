import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { canonicalJson, CURRENT, eventBeforeAfter, eventFacts, type EventFactsRow, type LogColumns } from './chain';
import { cellValue, contiguous, makePrints, PRINT_BYTES, type Cells } from './prints';

/**
 * Work items' events are sealed into the chain in blocks: one entry hashes a range of
 * transition_events (README.md, "Blocks"). The events themselves are the record, listed from
 * their own table; this file says what a block hashes, for sealing and for verifying alike.
 */

/** The entity of a block entry; its entity id is "<first event id>-<last event id>". */
export const BLOCK_ENTITY = 'work-item-events';
export const BLOCK_ACTION = 'sealed';
/** A block is written by the trail itself; the events in it name their own people. */
export const BLOCK_ACTOR = { id: 'system:audit', name: 'Audit trail' } as const;

/** The last event sealed into a block (as SQL): every event after it waits to be sealed. */
export const SEALED_UP_TO = '(select last_event_id from audit_event_mark where id = 1)';

export const WORK_ITEM = 'work-item';
/** The trail's name for an event's action: the core's `create` is shown as `created`, like other creations. */
export const entryAction = (eventAction: string): string => (eventAction === 'create' ? 'created' : eventAction);
export const coreAction = (action: string): string => (action === 'created' ? 'create' : action);
/** entryAction in SQL, for a column of transition_events. */
export const entryActionOf = (column: string): string => `case ${column} when 'create' then 'created' else ${column} end`;

/** A transition_events row, with what its before/after are made of. */
export interface EventRow extends EventFactsRow {
  eventId: number;
  itemId: number;
  eventSeq: number;
  eventAction: string;
  actorId: string;
  actorName: string;
  at: number;
  /** The item's workflow snapshot (null when the item is gone): named when its steps no longer match. */
  workflowId: number | null;
  /** The terminal it came from (null for events from before terminals were recorded). */
  terminal: string | null;
}

/** A work item's event as the trail shows and hashes it. */
export interface SealedEvent {
  eventId: number;
  entityId: string;
  eventSeq: number;
  action: string;
  actorId: string;
  actorName: string;
  at: number;
  beforeJson: string | null;
  afterJson: string | null;
  terminal: string | null;
}

/** An event's columns; `hasEventTerminal` false for a file from before transition_events.terminal (the command line opens it as it is). */
export const eventColumnsOf = ({ hasEventTerminal = true }: Pick<LogColumns, 'hasEventTerminal'> = CURRENT): SQL => sql`e.id as eventId, e.item_id as itemId, e.seq as eventSeq, e.action as eventAction,
         e.actor_id as actorId, e.actor_name as actorName, e.at, wi.workflow_id as workflowId,
         ${hasEventTerminal ? sql`e.terminal` : sql`null`} as terminal, ${eventFacts}`;
export const eventColumns = eventColumnsOf();

/** Left joins: an event whose item someone removed from the file is still read (and then fails its block). */
export const eventJoins = sql`left join work_items wi on wi.id = e.item_id
  left join workflow_snapshots ws on ws.id = wi.workflow_id`;

/** Events with ids from `first` to `last`, in id order. */
export const eventRange = (first: number, last: number, columns?: Pick<LogColumns, 'hasEventTerminal'>): SQL =>
  sql`select ${eventColumnsOf(columns)} from transition_events e ${eventJoins} where e.id between ${first} and ${last} order by e.id`;

export function sealedEvent(row: EventRow): SealedEvent {
  const { eventId, itemId, eventSeq, eventAction, actorId, actorName, at, workflowId: _snapshot, terminal, ...facts } = row;
  const action = entryAction(eventAction);
  return { eventId, entityId: String(itemId), eventSeq, action, actorId, actorName, at, ...eventBeforeAfter(facts, action, eventSeq), terminal: terminal ?? null };
}

/**
 * One event as its block hashes it: canonical JSON of what the trail shows for it. The terminal is
 * in the line only when the event has one, so an event from before terminals hashes as it did.
 */
export const eventLine = (e: SealedEvent): string =>
  canonicalJson({
    action: e.action,
    actorId: e.actorId,
    actorName: e.actorName,
    afterJson: e.afterJson,
    at: e.at,
    beforeJson: e.beforeJson,
    entity: WORK_ITEM,
    entityId: e.entityId,
    eventId: e.eventId,
    eventSeq: e.eventSeq,
    terminal: e.terminal ?? undefined,
  });

/**
 * What a block fingerprints of each event, one print per cell (prints.ts), and where each is
 * stored: everything the event's line is made of, so that an edit is named by its table, row and
 * column. The item's own columns are cells of its creation only, as only its line shows them.
 */
export interface EventCell {
  table: 'transition_events' | 'work_items' | 'workflow_snapshots';
  column: string;
  /** Only the item's creation (its first event) shows it. */
  creation?: true;
  value(row: EventRow): unknown;
}

export const EVENT_CELLS: EventCell[] = [
  { table: 'transition_events', column: 'item_id', value: (r) => r.itemId },
  { table: 'transition_events', column: 'seq', value: (r) => r.eventSeq },
  { table: 'transition_events', column: 'action', value: (r) => r.eventAction },
  { table: 'transition_events', column: 'actor_id', value: (r) => r.actorId },
  { table: 'transition_events', column: 'actor_name', value: (r) => r.actorName },
  { table: 'transition_events', column: 'at', value: (r) => r.at },
  { table: 'transition_events', column: 'from_status', value: (r) => r.fromStatus },
  { table: 'transition_events', column: 'to_status', value: (r) => r.toStatus },
  { table: 'transition_events', column: 'from_step', value: (r) => r.fromStep },
  { table: 'transition_events', column: 'to_step', value: (r) => r.toStep },
  { table: 'transition_events', column: 'comment', value: (r) => r.comment },
  // Step names come from the item's snapshot, for every event.
  { table: 'work_items', column: 'workflow_id', value: (r) => r.workflowId },
  { table: 'workflow_snapshots', column: 'steps_json', value: (r) => r.stepsJson },
  { table: 'work_items', column: 'title', creation: true, value: (r) => r.title },
  { table: 'work_items', column: 'description', creation: true, value: (r) => r.description },
  { table: 'work_items', column: 'priority', creation: true, value: (r) => r.priority },
  { table: 'work_items', column: 'metadata_json', creation: true, value: (r) => r.metadataJson },
  { table: 'workflow_snapshots', column: 'source_id', creation: true, value: (r) => r.sourceId },
  { table: 'workflow_snapshots', column: 'source_label', creation: true, value: (r) => r.sourceLabel },
  { table: 'workflow_snapshots', column: 'source_version', creation: true, value: (r) => r.sourceVersion },
  // Last, so a block sealed before terminals were recorded (its prints have the cells above only) is still read.
  { table: 'transition_events', column: 'terminal', value: (r) => r.terminal },
];

/** The cells of blocks sealed before terminals were recorded: EVENT_CELLS without `terminal`. */
export const CELLS_BEFORE_TERMINAL = EVENT_CELLS.length - 1;

/** An event's cells for its prints: its id, then EVENT_CELLS. */
export const eventCells = (row: EventRow): Cells => [
  row.eventId,
  ...EVENT_CELLS.map((c) => (c.creation && row.eventAction !== 'create' ? null : cellValue(c.value(row)))),
];

/** A block entry's after_json: the range it seals, how many events were in it, and their digest. */
export interface BlockSummary {
  firstEventId: number;
  lastEventId: number;
  count: number;
  /** Lowercase hex SHA-256 of the events' lines (eventLine), in id order, joined by "\n". */
  digest: string;
  /** The events' and their cells' prints (EVENT_CELLS); blocks sealed before prints have none. */
  prints?: string;
  /** The event ids sealed, when they are not every id from first to last. */
  ids?: number[];
  /** Events of this block up to this id were already there when the app started: written while no app with the trail ran. */
  foundUpTo?: number;
}

/** A block's count and digest (what verify recomputes); with `rows`, its prints too (what the sealer writes). */
export function blockSummary(firstEventId: number, lastEventId: number, events: SealedEvent[], rows?: EventRow[], atStart = 0): BlockSummary {
  const hash = createHash('sha256');
  events.forEach((e, i) => hash.update(i === 0 ? eventLine(e) : `\n${eventLine(e)}`, 'utf8'));
  const summary: BlockSummary = { firstEventId, lastEventId, count: events.length, digest: hash.digest('hex') };
  if (!rows) return summary;
  return {
    ...summary,
    prints: makePrints(rows.map(eventCells), EVENT_CELLS.length),
    ...(contiguous(firstEventId - 1, lastEventId, rows.length) ? {} : { ids: rows.map((r) => r.eventId) }),
    ...(firstEventId <= atStart ? { foundUpTo: Math.min(lastEventId, atStart) } : {}),
  };
}

/** The event ids a block sealed, or null when it does not say (a block from before prints with ids missing). */
export const sealedIds = (s: BlockSummary): number[] | null =>
  s.ids ?? (contiguous(s.firstEventId - 1, s.lastEventId, s.count) ? Array.from({ length: s.count }, (_, i) => s.firstEventId + i) : null);

/**
 * How many cells of each event a block's prints cover: EVENT_CELLS, or CELLS_BEFORE_TERMINAL for a
 * block sealed before terminals were recorded (told by the prints' length); null without prints.
 */
export function printedCells(s: BlockSummary): number | null {
  if (s.prints === undefined) return null;
  const rows = sealedIds(s)?.length ?? s.count;
  return Buffer.from(s.prints, 'base64').length / PRINT_BYTES - rows === CELLS_BEFORE_TERMINAL ? CELLS_BEFORE_TERMINAL : EVENT_CELLS.length;
}

/** A block entry's stated summary, or null when its after_json is not one (a forged entry). */
export function statedSummary(afterJson: string | null): BlockSummary | null {
  try {
    const s = JSON.parse(afterJson ?? 'null') as Partial<BlockSummary> | null;
    const whole = (n: unknown): n is number => Number.isSafeInteger(n);
    if (
      s &&
      whole(s.firstEventId) &&
      whole(s.lastEventId) &&
      whole(s.count) &&
      typeof s.digest === 'string' &&
      (s.prints === undefined || typeof s.prints === 'string') &&
      (s.ids === undefined || (Array.isArray(s.ids) && s.ids.length === s.count && s.ids.every(whole))) &&
      (s.foundUpTo === undefined || whole(s.foundUpTo))
    ) {
      return s as BlockSummary;
    }
  } catch {
    // not JSON: not a summary
  }
  return null;
}
