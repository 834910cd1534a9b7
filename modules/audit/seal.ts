import { sql } from 'drizzle-orm';
import type { ModuleContext } from '../../src/core/modules/types';
import { eventBeforeAfter, eventFacts, type EventFactsRow } from './chain';
import type { AuditStore } from './store';

type Db = ModuleContext<unknown>['db'];

const MARK = '(select last_event_id from audit_event_mark where id = 1)';

interface PendingEvent extends EventFactsRow {
  eventId: number;
  itemId: number;
  eventSeq: number;
  eventAction: string;
  actorId: string;
  actorName: string;
  at: number;
}

/**
 * Work items' events join the chain shortly after they are committed, many per transaction,
 * instead of one by one in each transition's transaction. The event row is already the durable
 * record of who, when, from, to and why, and its entry is made wholly from committed rows: the
 * same values verify makes again (chain.ts). Every other entry waits for the events committed
 * before it (sealAll in its transaction), so the chain keeps the order things happened in.
 */
export function eventSealer(db: Db, store: AuditStore) {
  const hasPending = db.$client.prepare(`select exists(select 1 from transition_events where id > ${MARK}) as yes`).pluck();
  const advance = db.$client.prepare('update audit_event_mark set last_event_id = ? where id = 1');

  /** Seals up to `limit` events, oldest first. Call inside a transaction. */
  const seal = (limit: number): number => {
    // Left joins: every event is sealed, even one whose item someone removed from the file (its entry then fails verify).
    const events = db.all<PendingEvent>(sql`
      select e.id as eventId, e.item_id as itemId, e.seq as eventSeq, e.action as eventAction,
             e.actor_id as actorId, e.actor_name as actorName, e.at, ${eventFacts}
      from transition_events e
      left join work_items wi on wi.id = e.item_id
      left join workflow_snapshots ws on ws.id = wi.workflow_id
      where e.id > ${sql.raw(MARK)}
      order by e.id limit ${limit}`);
    store.appendAll(
      events.map(({ eventId: _id, itemId, eventSeq, eventAction, actorId, actorName, at, ...facts }) => {
        const action = eventAction === 'create' ? 'created' : eventAction;
        return { at, actorId, actorName, entity: 'work-item', entityId: String(itemId), action, ...eventBeforeAfter(facts, action, eventSeq), eventSeq };
      }),
    );
    const last = events.at(-1);
    if (last) advance.run(last.eventId);
    return events.length;
  };

  const pending = (): boolean => hasPending.get() === 1;

  return {
    pending,
    seal,
    /** Seals every event not in the chain yet. Call inside a transaction. */
    sealAll(): number {
      let sealed = 0;
      while (pending()) {
        const batch = seal(SEAL_BATCH);
        sealed += batch;
        if (batch === 0) break;
      }
      return sealed;
    },
  };
}

/** Events sealed per transaction by the deferred run, so one run never holds the app for long. */
export const SEAL_BATCH = 50;
