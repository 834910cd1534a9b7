import type { Db } from '../../src/core/db/connection';
import { isPartialSignoff as partial } from './counts';

// A partial sign-off (an approval that leaves the item at its step): no stay begins or ends.

const after = `(select last_event_id from report_stays_sync where id = 1)`;

/**
 * Every step name of the workflows of items with events after the mark, so a stay can name its
 * department by number (insert or ignore: a known name is only looked up).
 */
const DEPARTMENTS = `
  insert or ignore into report_departments (name)
  select json_extract(j.value, '$.name')
  from transition_events e
  join work_items wi on wi.id = e.item_id
  join workflow_snapshots ws on ws.id = wi.workflow_id, json_each(ws.steps_json) j
  where e.id > ${after} and json_extract(j.value, '$.name') is not null`;

/**
 * The stays ended by the events after the mark: an event that is not a partial sign-off ends
 * the stay begun by the item's previous such event, if that one made it active at a step.
 * The same rule as the backfill in migration 0000 (LEAD over the history); `insert or ignore`
 * because a stay is keyed by the event that ended it, so reading an event twice changes nothing.
 */
const STAYS = `
  insert or ignore into report_stays (department_id, ms, item_id, left_seq, left_at, step_index, workflow_id)
  select d.id, e.at - p.at, e.item_id, e.seq, e.at, p.to_step, wi.workflow_id
  from transition_events e
  join transition_events p on p.item_id = e.item_id and p.seq = (
    select max(p2.seq) from transition_events p2 where p2.item_id = e.item_id and p2.seq < e.seq and not ${partial('p2')})
  join work_items wi on wi.id = e.item_id
  join workflow_snapshots ws on ws.id = wi.workflow_id
  join report_departments d on d.name = json_extract(ws.steps_json, '$[' || p.to_step || '].name')
  where e.id > ${after} and not ${partial('e')} and p.to_status = 'active' and p.to_step is not null`;

const MARK = `update report_stays_sync set last_event_id = coalesce((select max(id) from transition_events), 0) where id = 1`;

const PENDING = `select count(*) as n from transition_events where id > ${after}`;

/**
 * Turns the events not yet looked at into stays. (Events are append-only. A tool that rewrites
 * an item's history anyway must delete its stays and set last_event_id back below the item's
 * first event; the stays are then derived again, as tests/browser/reports.spec.ts does.) Run
 * shortly after transitions (the events of the last ~100 ms), before each report that reads
 * stays, and once at start, which catches up on what happened while the module was switched
 * off (or written by a process without it). Event ids only grow, so "after the mark" is exactly
 * what nobody has turned into stays yet.
 */
export function staySync(db: Db) {
  const client = db.$client;
  const departments = client.prepare(DEPARTMENTS);
  const stays = client.prepare(STAYS);
  const mark = client.prepare(MARK);
  const pending = client.prepare(PENDING);
  return {
    /** Call inside a transaction. Returns how many stays were written. */
    run(): number {
      departments.run();
      const written = stays.run().changes;
      mark.run();
      return written;
    },
    /** How many events have not been looked at yet. */
    pending: () => (pending.get() as { n: number }).n,
  };
}
