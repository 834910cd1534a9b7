import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../src/core/db/connection';
import { DAY } from './queries/shared';

/**
 * Keeps report_decision_days and report_activity_periods (schema.ts): the events after the mark
 * are counted and added to the rows they fall in. Events are append-only, so "after the mark"
 * is exactly what has not been counted yet (a tool that rewrites history anyway must empty both
 * tables and set the mark to 0, as tests/browser/reports.spec.ts does).
 */

/** Activity is counted by periods of this many UTC days (at / DAY / PERIOD_DAYS). */
export const PERIOD_DAYS = 32;

/** The highest event id the two tables have counted (as SQL, read where it is used): every event up to it is counted. */
export const COUNTED_UP_TO = `(select last_event_id from report_counts_sync where id = 1)`;

/**
 * Events `e` at [from, to) not counted yet, which a report reads beside the counts. The unary +
 * keeps SQLite from reading the range by the at index (a year of events): it reads the few
 * events after the mark by rowid instead.
 */
export const notCountedYet = (from: number, to: number): SQL => sql`e.id > ${sql.raw(COUNTED_UP_TO)} and +e.at >= ${from} and +e.at < ${to}`;

/** A decision at a step: a rejection there, or an approval that moved the item on (not a partial sign-off). Every completion is one (the last step's approval). */
export const isDecision = (e: string) =>
  `(${e}.from_status = 'active' and ${e}.from_step is not null and (${e}.action = 'reject' or (${e}.action = 'approve' and (${e}.to_step is null or ${e}.to_step <> ${e}.from_step))))`;

/** A partial sign-off: an approval that leaves the item at its step, waiting for more. */
export const isPartialSignoff = (e: string) => `(${e}.action = 'approve' and ${e}.to_status = 'active' and ${e}.to_step = ${e}.from_step)`;

/** The per-kind counts of events `e`, in report_activity_periods' column order (created … total). */
export const activitySums = (e: string) => `
  sum(${e}.action = 'create'), sum(${e}.action = 'submit'),
  sum(${e}.action = 'approve' and not ${isPartialSignoff(e)}), sum(${isPartialSignoff(e)}),
  sum(${e}.action = 'reject'), sum(${e}.action = 'cancel'), count(*)`;

/** Events after the mark, up to a given id (bound: the mark, then the last id of this run). */
const EVENTS_IN_RUN = `from transition_events e join work_items wi on wi.id = e.item_id where e.id > ? and e.id <= ?`;

const DECISIONS = `
  insert into report_decision_days (day, workflow_id, step_index, approvals, rejections, completed)
  select e.at / ${DAY}, wi.workflow_id, e.from_step, sum(e.action = 'approve'), sum(e.action = 'reject'), sum(e.to_status = 'completed')
  ${EVENTS_IN_RUN} and ${isDecision('e')}
  group by 1, 2, 3
  on conflict do update set approvals = approvals + excluded.approvals, rejections = rejections + excluded.rejections, completed = completed + excluded.completed`;

// actor_name is a bare column beside max(e.at): SQLite takes it from the row holding the max.
// In the update every right-hand side reads the row as it was, so the name and last_at agree.
const ACTIVITY = `
  insert into report_activity_periods (period, actor_id, workflow_id, actor_name, last_at, created, submits, approvals, signoffs, rejections, cancels, total)
  select e.at / ${DAY} / ${PERIOD_DAYS}, e.actor_id, wi.workflow_id, e.actor_name, max(e.at), ${activitySums('e')}
  ${EVENTS_IN_RUN}
  group by 1, 2, 3
  on conflict do update set
    actor_name = case when excluded.last_at >= last_at then excluded.actor_name else actor_name end,
    last_at = max(last_at, excluded.last_at),
    created = created + excluded.created, submits = submits + excluded.submits, approvals = approvals + excluded.approvals,
    signoffs = signoffs + excluded.signoffs, rejections = rejections + excluded.rejections, cancels = cancels + excluded.cancels,
    total = total + excluded.total`;

/**
 * Events counted per run at most: ~45 ms at a million items on a 2-core machine, so a history
 * counted for the first time (5M events: ~25 s) is counted a run at a time between IPC calls.
 * The reports are exact meanwhile: they read what is not counted yet from the events.
 */
export const COUNT_RUN = 10_000;

export function eventCounts(db: Db) {
  const client = db.$client;
  const decisions = client.prepare(DECISIONS);
  const activity = client.prepare(ACTIVITY);
  const counted = client.prepare(`select ${COUNTED_UP_TO}`).pluck();
  const newest = client.prepare(`select coalesce(max(id), 0) from transition_events`).pluck();
  const mark = client.prepare(`update report_counts_sync set last_event_id = ? where id = 1`);
  const behind = () => Math.max(0, (newest.get() as number) - (counted.get() as number));
  return {
    /** Counts the next events after the mark, `atMost` of them. Call inside a transaction. Returns how many are left (at most). */
    run(atMost = COUNT_RUN): number {
      const from = counted.get() as number;
      const to = Math.min(from + atMost, newest.get() as number);
      if (to <= from) return 0;
      decisions.run(from, to);
      activity.run(from, to);
      mark.run(to);
      return behind();
    },
    /** How many events are not counted yet, at most (event ids only grow; a few may be missing). */
    behind,
  };
}
