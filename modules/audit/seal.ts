import { sql } from 'drizzle-orm';
import type { ModuleContext } from '../../src/core/modules/types';
import { BLOCK_ACTION, BLOCK_ACTOR, BLOCK_ENTITY, blockSummary, entryActionOf, eventColumns, eventJoins, SEALED_UP_TO, sealedEvent, type EventRow } from './blocks';
import { canonicalJson } from './chain';
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
export function eventSealer(db: Db, store: AuditStore, clock: () => number) {
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
    const summary = blockSummary(first, last, rows.map(sealedEvent));
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
