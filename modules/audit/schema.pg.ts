/**
 * schema.ts on PostgreSQL (issue 17; see src/core/db/schema.pg.ts for the type rules). The hashes
 * are bytea (SQLite blob; pg reads and writes a Buffer, as better-sqlite3 does); seq, event ids and
 * times are bigint (strings from raw SQL through pg). before_json/after_json stay text: the chain
 * hashes their exact bytes, which jsonb would not keep. SQLite's sqlite_sequence (the highest seq
 * issued, store.ts) is the identity sequence of audit_log.seq here. Triggers: migrations-pg/0001.
 */
import { sql } from 'drizzle-orm';
import { bigint, customType, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/** Rows only ever added (triggers refuse UPDATE, DELETE, TRUNCATE; the app role may only SELECT and INSERT). */
export const APPEND_ONLY_TABLES: readonly string[] = ['audit_log'];

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: bigint('at', { mode: 'number' }).notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    beforeJson: text('before_json'),
    afterJson: text('after_json'),
    eventSeq: integer('event_seq'),
    prevHash: bytea('prev_hash').notNull(),
    hash: bytea('hash').notNull(),
    firstEventId: bigint('first_event_id', { mode: 'number' }),
    lastEventId: bigint('last_event_id', { mode: 'number' }),
    terminal: text('terminal'),
  },
  (t) => [
    index('audit_log_at').on(t.at),
    index('audit_log_actor').on(t.actorId, t.seq),
    index('audit_log_entity').on(t.entity, t.seq),
    index('audit_log_action').on(t.action, t.seq),
    index('audit_log_block').on(t.lastEventId).where(sql`${t.lastEventId} is not null`),
    index('audit_log_entity_id').on(t.entity, t.entityId, t.seq),
  ],
);

export const auditEventMark = pgTable('audit_event_mark', {
  id: integer('id').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
  firstListedEventId: bigint('first_listed_event_id', { mode: 'number' }).notNull().default(1),
});

export const auditEventFacets = pgTable(
  'audit_event_facets',
  {
    kind: text('kind', { enum: ['actor', 'action'] }).notNull(),
    value: text('value').notNull(),
    name: text('name').notNull(),
    lastAt: bigint('last_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] })],
);

export const auditRecordMark = pgTable('audit_record_mark', {
  tableName: text('table_name').primaryKey(),
  lastKey: bigint('last_key', { mode: 'number' }).notNull(),
});
