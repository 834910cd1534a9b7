import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The audit trail: one row per change, append-only (triggers refuse UPDATE and DELETE) and
 * hash-chained (see chain.ts and README.md). `seq` is the entry's place in the chain.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    /** Milliseconds since 1970 (UTC). */
    at: integer('at').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    /** Canonical JSON of the value before and after the change; null when there is none (or when eventSeq says where it is). */
    beforeJson: text('before_json'),
    afterJson: text('after_json'),
    /**
     * For a work-item transition: the seq of its row in transition_events (item = entity_id).
     * Its before/after are then not stored but read from that event (see README.md, "Transitions").
     */
    eventSeq: integer('event_seq'),
    /**
     * The previous entry's hash (all zeros for the first), and this entry's: the 32 bytes of the
     * SHA-256 (shown, exported and chained as lowercase hex; see hashText in chain.ts).
     */
    prevHash: blob('prev_hash', { mode: 'buffer' }).notNull(),
    hash: blob('hash', { mode: 'buffer' }).notNull(),
    /**
     * A block entry (entity `work-item-events`, seal.ts): the first and last transition_events id it
     * seals. The same numbers are in its hashed after_json; these columns only find the block of an event.
     */
    firstEventId: integer('first_event_id'),
    lastEventId: integer('last_event_id'),
    /**
     * The terminal the change came from (RecordedChange.terminal); null for the trail's own
     * entries, changes outside any call, and entries written before it was recorded (migration
     * 0007). Hashed only when not null, so those entries keep their hash.
     */
    terminal: text('terminal'),
  },
  (t) => [
    index('audit_log_at').on(t.at),
    index('audit_log_actor').on(t.actorId, t.seq),
    index('audit_log_entity').on(t.entity, t.seq),
    index('audit_log_action').on(t.action, t.seq),
    index('audit_log_block').on(t.lastEventId).where(sql`${t.lastEventId} is not null`),
    // Each thing's entries in order: verify compares a table's rows with the latest state recorded for each (state.ts).
    index('audit_log_entity_id').on(t.entity, t.entityId, t.seq),
  ],
);

/**
 * How far the work items' events are in the chain: the highest transition_events id sealed.
 * Events are sealed shortly after they are committed (seal.ts), not in their own transaction.
 */
export const auditEventMark = sqliteTable('audit_event_mark', {
  id: integer('id').primaryKey(),
  lastEventId: integer('last_event_id').notNull(),
  /**
   * Events from this id on are listed from transition_events, sealed in blocks (migration 0005);
   * those before it have an entry each in audit_log, or were made before the trail and are not in it.
   */
  firstListedEventId: integer('first_listed_event_id').notNull().default(1),
});

/**
 * The people and actions in the sealed events, for the trail's filters (reading them from millions
 * of events would scan them all). Kept by the sealer; `name` and `lastAt` are the latest seen.
 */
export const auditEventFacets = sqliteTable(
  'audit_event_facets',
  {
    kind: text('kind', { enum: ['actor', 'action'] }).notNull(),
    value: text('value').notNull(),
    name: text('name').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] })],
);

/**
 * How far each table the other modules declare sealed (ModuleParts.audited.sealed) is in the
 * chain: the last key sealed. Rows after it wait to be sealed (seal.ts). The chain's blocks are
 * what verify trusts; this only says where the next block starts (verify notices a moved mark).
 */
export const auditRecordMark = sqliteTable('audit_record_mark', {
  tableName: text('table_name').primaryKey(),
  lastKey: integer('last_key').notNull(),
});
