import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { creationValues, transitionValues, type TransitionFacts } from './eventValues';

/**
 * The hash chain, shared by the module and the command-line check (cli.ts): how an entry's
 * hash is made, and the walk that checks every link. README.md defines it for auditors.
 */

/**
 * Hashes are stored as their 32 bytes (migration 0003) and used as lowercase hex. A log from
 * before it, or a hash someone wrote by hand, holds text: read as it is.
 */
export const hashBytes = (hex: string): Buffer => Buffer.from(hex, 'hex');
export const hashText = (stored: Buffer | Uint8Array | string): string => (typeof stored === 'string' ? stored : Buffer.from(stored).toString('hex'));
export const hexOf = (column: SQL): SQL => sql`(case typeof(${column}) when 'blob' then lower(hex(${column})) else ${column} end)`;

/** The prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** An entry as stored: exactly the columns the hash covers, plus the two hashes. */
export interface StoredEntry {
  seq: number;
  at: number;
  actorId: string;
  actorName: string;
  entity: string;
  entityId: string;
  action: string;
  beforeJson: string | null;
  afterJson: string | null;
  prevHash: string;
  hash: string;
  /** A work item's creation or transition: the seq of the event its before/after are made from (eventValues.ts). Not hashed itself. */
  eventSeq?: number | null;
  /** A block entry: the columns that find its events (its hashed after_json says the same, or verify fails). */
  firstEventId?: number | null;
  lastEventId?: number | null;
  /** The terminal the change came from (audit_log.terminal): hashed when not null, left out of the hash when null (entries from before it). */
  terminal?: string | null;
}

export type EntryContent = Omit<StoredEntry, 'prevHash' | 'hash'>;

/**
 * JSON with object keys sorted (by UTF-16 code units, as Array.prototype.sort does), no
 * white space, and JSON.stringify's string and number forms: RFC 8785 (JCS) for the values
 * stored here. Properties whose value is undefined are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no form for NaN or Infinity');
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error(`canonical JSON has no form for a ${typeof value}`);
  return text;
}

/** A value (before/after) as stored: canonical JSON of its JSON form, or null when absent. */
export const storedJson = (value: unknown): string | null =>
  value === undefined || value === null ? null : canonicalJson(JSON.parse(JSON.stringify(value)));

/**
 * hash = lowercase hex SHA-256 of the UTF-8 bytes of prevHash followed by the content's canonical JSON.
 * The terminal is part of the content only when the entry has one, so an entry without (every entry
 * written before terminals were recorded) hashes as it always did.
 */
export function entryHash(prevHash: string, content: EntryContent): string {
  const { seq, at, actorId, actorName, entity, entityId, action, beforeJson, afterJson, terminal } = content;
  const canonical = canonicalJson({ seq, at, actorId, actorName, entity, entityId, action, beforeJson, afterJson, terminal: terminal ?? undefined });
  return createHash('sha256').update(prevHash + canonical, 'utf8').digest('hex');
}


/** A row as the entry queries return it: the stored columns, and the facts of a work-item entry's event (null when gone). */
export interface EntryRow extends StoredEntry, Omit<TransitionFacts, 'seq'> {
  eventFound: number | null;
  title: string | null;
  description: string | null;
  priority: string | null;
  metadataJson: string | null;
  stepsJson: string | null;
  sourceId: string | null;
  sourceLabel: string | null;
  sourceVersion: number | null;
}

/** What a work-item entry's before/after are made of, read from its event `e`, item `wi` and snapshot `ws`. */
export const eventFacts = sql`e.seq as eventFound,
         e.from_status as fromStatus, e.to_status as toStatus, e.from_step as fromStep, e.to_step as toStep, e.comment as comment,
         json_extract(ws.steps_json, '$[' || e.from_step || '].name') as fromStepName,
         json_extract(ws.steps_json, '$[' || e.to_step || '].name') as toStepName,
         wi.title, wi.description, wi.priority, wi.metadata_json as metadataJson,
         ws.steps_json as stepsJson, ws.source_id as sourceId, ws.source_label as sourceLabel, ws.source_version as sourceVersion`;

/** Which of the later columns a log has: the command line opens files read-only, so an old one stays old. */
export interface LogColumns {
  /** event_seq, from migration 0002. */
  hasEventColumn: boolean;
  /** first_event_id and last_event_id, from migration 0005. */
  hasBlockColumns: boolean;
  /** audit_log.terminal, from migration 0007. */
  hasTerminalColumn?: boolean;
  /** transition_events.terminal, from the core's migration 0007. */
  hasEventTerminal?: boolean;
}
export const CURRENT: LogColumns = { hasEventColumn: true, hasBlockColumns: true, hasTerminalColumn: true, hasEventTerminal: true };

/** Entries with what a work-item entry reads from its event, the item and its workflow snapshot. */
export const entrySelect = ({ hasEventColumn, hasBlockColumns, hasTerminalColumn = true }: LogColumns = CURRENT): SQL => sql`
  select a.seq, a.at, a.actor_id as actorId, a.actor_name as actorName, a.entity, a.entity_id as entityId, a.action,
         a.before_json as beforeJson, a.after_json as afterJson, ${hexOf(sql`a.prev_hash`)} as prevHash, ${hexOf(sql`a.hash`)} as hash,
         ${hasEventColumn ? sql`a.event_seq` : sql`null`} as eventSeq,
         ${hasBlockColumns ? sql`a.first_event_id` : sql`null`} as firstEventId, ${hasBlockColumns ? sql`a.last_event_id` : sql`null`} as lastEventId,
         ${hasTerminalColumn ? sql`a.terminal` : sql`null`} as terminal,
         ${eventFacts}
  from audit_log a
  ${
    hasEventColumn
      ? sql`left join transition_events e on a.event_seq is not null and e.item_id = cast(a.entity_id as integer) and e.seq = a.event_seq`
      : sql`left join transition_events e on 0`
  }
  left join work_items wi on wi.id = e.item_id
  left join workflow_snapshots ws on ws.id = wi.workflow_id`;

/** Stored JSON as a value; text that does not parse stays text (so it fails the hash rather than the walk). */
const parsedOrAsIs = (json: string | null): unknown => {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
};

/** The columns eventFacts reads: what a work-item entry's before/after are made of. */
export type EventFactsRow = Omit<EntryRow, keyof StoredEntry>;

function eventValuesOf(row: EventFactsRow, action: string, eventSeq: number) {
  if (action === 'created') {
    return creationValues({
      title: row.title,
      description: row.description,
      priority: row.priority,
      workflow:
        row.sourceId === null
          ? null
          : { id: row.sourceId, label: row.sourceLabel ?? row.sourceId, ...(row.sourceVersion === null ? {} : { version: row.sourceVersion }) },
      steps: parsedOrAsIs(row.stepsJson),
      metadata: parsedOrAsIs(row.metadataJson),
      status: row.toStatus,
      step: row.toStep,
      stepName: row.toStepName,
    });
  }
  const { fromStatus, toStatus, fromStep, toStep, comment, fromStepName, toStepName } = row;
  return transitionValues({ seq: eventSeq, fromStatus, toStatus, fromStep, toStep, comment, fromStepName, toStepName });
}

/** A work-item entry's before/after as hashed, made from its event's facts (the same when sealed and when verified). */
export function eventBeforeAfter(facts: EventFactsRow, action: string, eventSeq: number): Pick<StoredEntry, 'beforeJson' | 'afterJson'> {
  const { before, after } = eventValuesOf(facts, action, eventSeq);
  // Made from database values, so already plain JSON: storedJson's round trip would change nothing.
  const json = (value: unknown) => (value === undefined || value === null ? null : canonicalJson(value));
  return { beforeJson: json(before), afterJson: json(after) };
}

/** The row's columns a work-item entry's before/after depend on. */
type ValuesRow = Pick<StoredEntry, 'action' | 'beforeJson' | 'afterJson'> & { eventSeq?: number | null } & EventFactsRow;

/**
 * The before/after as hashed: a work-item entry's made from its event. If the event is gone, or
 * something was written into the entry's own before/after columns, those are taken as they are,
 * so the hash no longer matches.
 */
export function entryValues(row: ValuesRow): Pick<StoredEntry, 'beforeJson' | 'afterJson'> {
  const { eventSeq, beforeJson, afterJson, action } = row;
  if (eventSeq == null || row.eventFound === null || beforeJson !== null || afterJson !== null) return { beforeJson, afterJson };
  return eventBeforeAfter(row, action, eventSeq);
}

/** The entry as hashed (see entryValues). */
export function storedEntry(row: EntryRow): StoredEntry {
  const { seq, at, actorId, actorName, entity, entityId, action, prevHash, hash, eventSeq, firstEventId, lastEventId, terminal } = row;
  return { seq, at, actorId, actorName, entity, entityId, action, ...entryValues(row), prevHash, hash, eventSeq, firstEventId, lastEventId, terminal: terminal ?? null };
}

/** The query a ChainSource runs for one page (drizzle SQL, for either connection); map its rows with storedEntry. */
export const pageQuery = (afterSeq: number, limit: number, columns: LogColumns = CURRENT): SQL =>
  sql`${entrySelect(columns)} where a.seq > ${afterSeq} order by a.seq limit ${limit}`;

export const highestIssuedQuery = (): SQL => sql`select seq from sqlite_sequence where name = 'audit_log'`;

