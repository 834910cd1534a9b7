import { and, sql, type SQL } from 'drizzle-orm';
import type { ModuleContext, RecordedChange } from '../../src/core/modules/types';
import type { AuditEntry, AuditFacets } from './contract';
import { entryHash, GENESIS_HASH, highestIssuedQuery, storedJson, type StoredEntry } from './chain';
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

const COLUMNS = sql`seq, at, actor_id as actorId, actor_name as actorName, entity, entity_id as entityId, action,
  before_json as beforeJson, after_json as afterJson, prev_hash as prevHash, hash`;

/** The filter as a WHERE clause, the same for a page on screen and for the CSV export. */
export function whereClause(f: AuditFilter): SQL {
  const parts = [
    f.actorId === undefined ? undefined : sql`actor_id = ${f.actorId}`,
    f.entity === undefined ? undefined : sql`entity = ${f.entity}`,
    f.entityId === undefined ? undefined : sql`entity_id = ${f.entityId}`,
    f.action === undefined ? undefined : sql`action = ${f.action}`,
    f.from === undefined ? undefined : sql`at >= ${Date.parse(f.from)}`,
    f.to === undefined ? undefined : sql`at < ${Date.parse(f.to)}`,
  ];
  return and(...parts) ?? sql`1 = 1`;
}

export const selectEntries = (f: AuditFilter, order: 'newest' | 'oldest'): SQL =>
  sql`select ${COLUMNS} from audit_log where ${whereClause(f)} order by seq ${order === 'newest' ? sql`desc` : sql`asc`}`;

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

/** Appends entries to the chain (in the caller's transaction) and reads pages of them. */
export class AuditStore {
  constructor(private readonly db: Db) {}

  append(change: RecordedChange): void {
    // The next seq follows the highest ever issued, so entries cut off the end leave a visible gap.
    const issued = this.db.get<{ seq: number } | undefined>(highestIssuedQuery())?.seq ?? 0;
    const last = this.db.get<{ seq: number; hash: string } | undefined>(sql`select seq, hash from audit_log order by seq desc limit 1`);
    const content = {
      seq: Math.max(issued, last?.seq ?? 0) + 1,
      at: change.at,
      actorId: change.actor.id,
      actorName: change.actor.name,
      entity: change.entity,
      entityId: change.entityId,
      action: change.action,
      beforeJson: storedJson(change.before),
      afterJson: storedJson(change.after),
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    this.db.insert(auditLog).values({ ...content, prevHash, hash: entryHash(prevHash, content) }).run();
  }

  page(f: AuditFilter, limit: number, offset: number): { rows: AuditEntry[]; total: number } {
    const rows = this.db.all<StoredEntry>(sql`${selectEntries(f, 'newest')} limit ${limit} offset ${offset}`);
    const total = this.db.get<{ n: number }>(sql`select count(*) as n from audit_log where ${whereClause(f)}`)?.n ?? 0;
    return { rows: rows.map(toEntry), total };
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
