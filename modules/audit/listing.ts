import { and, sql, type SQL } from 'drizzle-orm';
import { coreAction, entryActionOf, eventJoins, SEALED_UP_TO, WORK_ITEM } from './blocks';
import { entryValues, eventFacts, hexOf, type EventFactsRow, type StoredEntry } from './chain';
import { RECORDS_ENTITY } from './records';

/**
 * What the trail lists: the entries of audit_log (all but block entries), merged in time order
 * with work items' events read from transition_events itself (those from `firstListed` on; older
 * ones have an entry each). Both are read by their `at` index, so a page of the newest is quick
 * at any size; a filter the events have no index for (a person, an action) walks back in time.
 */

export interface AuditFilter {
  actorId?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const all = (parts: (SQL | undefined)[]): SQL => and(...parts) ?? sql`1 = 1`;
const NONE = sql`0 = 1`;

const entryWhere = (f: AuditFilter): SQL =>
  all([
    // Block entries are not listed: the events and rows they seal are the record.
    sql`a.last_event_id is null and a.entity <> ${RECORDS_ENTITY}`,
    f.actorId === undefined ? undefined : sql`a.actor_id = ${f.actorId}`,
    f.entity === undefined ? undefined : sql`a.entity = ${f.entity}`,
    f.entityId === undefined ? undefined : sql`a.entity_id = ${f.entityId}`,
    f.action === undefined ? undefined : sql`a.action = ${f.action}`,
    f.from === undefined ? undefined : sql`a.at >= ${Date.parse(f.from)}`,
    f.to === undefined ? undefined : sql`a.at < ${Date.parse(f.to)}`,
  ]);

const itemIdOf = (entityId: string): number | null => (/^[1-9][0-9]{0,15}$/.test(entityId) ? Number(entityId) : null);

/**
 * Whether any listed event can have the filter's person and action: a sealed one (the sealer
 * notes its people and actions in audit_event_facets) or one waiting to be sealed. Asked before
 * listing, so that filtering by someone who never moved an item (an admin's settings changes)
 * does not walk every event for nothing (seconds at 5M events). Null when the filter names neither.
 */
export function eventsMayMatch(f: AuditFilter): SQL | null {
  const noted = (kind: 'actor' | 'action', value: string) => sql`exists (select 1 from audit_event_facets where kind = ${kind} and value = ${value})`;
  const waiting = all([
    sql`p.id > ${sql.raw(SEALED_UP_TO)}`,
    f.actorId === undefined ? undefined : sql`p.actor_id = ${f.actorId}`,
    f.action === undefined ? undefined : sql`p.action = ${coreAction(f.action)}`,
  ]);
  const sealed = [f.actorId === undefined ? undefined : noted('actor', f.actorId), f.action === undefined ? undefined : noted('action', f.action)];
  if (sealed.every((s) => s === undefined)) return null;
  return sql`select (${all(sealed)}) or exists (select 1 from transition_events p where ${waiting}) as yes`;
}

/**
 * `firstListed`: the first event listed from transition_events (older ones have an entry each),
 * or null when none can match (eventsMayMatch). `inTimeOrder`: the rows are read newest or
 * oldest first, by the at index; a count reads the listed ids' range instead.
 */
const eventWhere = (f: AuditFilter, firstListed: number | null, inTimeOrder: boolean): SQL => {
  if (firstListed === null) return NONE;
  if (f.entity !== undefined && f.entity !== WORK_ITEM) return NONE;
  const itemId = f.entityId === undefined ? undefined : itemIdOf(f.entityId);
  if (itemId === null) return NONE;
  return all([
    // Unary + keeps SQLite from reading by id for a page: the at index gives the order.
    inTimeOrder ? sql`+e.id >= ${firstListed}` : sql`e.id >= ${firstListed}`,
    itemId === undefined ? undefined : sql`e.item_id = ${itemId}`,
    f.actorId === undefined ? undefined : sql`e.actor_id = ${f.actorId}`,
    f.action === undefined ? undefined : sql`e.action = ${coreAction(f.action)}`,
    f.from === undefined ? undefined : sql`e.at >= ${Date.parse(f.from)}`,
    f.to === undefined ? undefined : sql`e.at < ${Date.parse(f.to)}`,
  ]);
};

/** The block entry that seals event `e` (none while it waits to be sealed). */
const blockOf = sql`(select b.seq from audit_log b where b.last_event_id is not null and b.last_event_id >= e.id order by b.last_event_id limit 1)`;

/** A listed row: an entry of audit_log, or an event (eventId set; seq and hash those of its block, null until sealed). */
export interface ListedRow extends EventFactsRow, Omit<StoredEntry, 'seq' | 'hash' | 'prevHash' | 'eventSeq' | 'firstEventId' | 'lastEventId' | 'terminal'> {
  seq: number | null;
  hash: string | null;
  eventSeq: number | null;
  eventId: number | null;
  terminal: string | null;
  /** The terminal's name where the site server enrolled it (the core's site_terminals), else null. */
  terminalName: string | null;
}

/** The name of the enrolled terminal `column` holds (site_terminals is the core's, in every database; empty but on a site server). */
const terminalName = (column: string) => sql.raw(`(select t.name from site_terminals t where t.id = ${column})`);

/**
 * Every listed row matching the filter, newest or oldest first. The two sides have the same
 * columns in the same order; `k` (each side's rowid) breaks ties of `at`, so each is read in
 * its at index's order and SQLite merges them without sorting.
 */
export function listing(f: AuditFilter, firstListed: number | null, order: 'newest' | 'oldest'): SQL {
  const dir = order === 'newest' ? sql`desc` : sql`asc`;
  return sql`
    select a.seq as seq, a.at as at, a.actor_id as actorId, a.actor_name as actorName, a.entity as entity, a.entity_id as entityId,
           a.action as action, a.before_json as beforeJson, a.after_json as afterJson, ${hexOf(sql`a.hash`)} as hash,
           a.event_seq as eventSeq, null as eventId, a.seq as k, a.terminal as terminal, ${terminalName('a.terminal')} as terminalName, ${eventFacts}
    from audit_log a
    left join transition_events e on a.event_seq is not null and e.item_id = cast(a.entity_id as integer) and e.seq = a.event_seq
    ${eventJoins}
    where ${entryWhere(f)}
    union all
    select s.seq, e.at, e.actor_id, e.actor_name, ${WORK_ITEM}, cast(e.item_id as text),
           ${sql.raw(entryActionOf('e.action'))}, null, null, ${hexOf(sql`s.hash`)},
           e.seq, e.id, e.id, e.terminal, ${terminalName('e.terminal')}, ${eventFacts}
    from transition_events e
    ${eventJoins}
    left join audit_log s on s.seq = ${blockOf}
    where ${eventWhere(f, firstListed, true)}
    order by at ${dir}, k ${dir}`;
}

/** How many rows match, counting each side no further than `cap` + 1. */
export const listingCount = (f: AuditFilter, firstListed: number | null, cap: number): SQL => sql`
  select (select count(*) from (select 1 from audit_log a where ${entryWhere(f)} limit ${cap + 1}))
       + (select count(*) from (select 1 from transition_events e where ${eventWhere(f, firstListed, false)} limit ${cap + 1})) as n`;

/** A listed row with its before/after as shown and hashed. */
export const listedEntry = (row: ListedRow): ListedRow => ({ ...row, ...entryValues(row) });
