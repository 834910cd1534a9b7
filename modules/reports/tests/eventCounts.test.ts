import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import { eventCounts } from '../counts';
import { rejectionRate } from '../queries/rejectionRate';
import { HOUR } from '../queries/shared';
import { throughput } from '../queries/throughput';
import { userActivity } from '../queries/userActivity';
import { rejectionRateFromEvents, throughputFromEvents, userActivityFromEvents } from './countsReference';
import { readDb, readDbAsync, settingsWithoutReports } from './dataFile';

/**
 * report_decision_days and report_activity_periods through the real handlers and database
 * (throughput, rejection rate, activity per person):
 * whatever the range, the counted figures equal those from every event (countsReference.ts).
 */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
const H = HOUR;
const START = Date.parse('2025-01-01T00:00:00Z');
const custom = [{ name: 'Engineering' }, { name: 'Planning' }, { name: 'Quality Control', minSignoffs: 2 }, { name: 'Operations' }];

const countRows = (db: Database.Database) => ({
  decisions: db.prepare('select * from report_decision_days order by 1, 2, 3').all(),
  activity: db.prepare('select * from report_activity_periods order by 1, 2, 3').all(),
});
const readerOf = (db: Database.Database) => {
  const d = drizzle(db);
  return async <T>(query: SQL) => d.all<T>(query);
};

/** ~80 items over ~14 months by three people: standard and custom steps, sign-offs, rejections back, drafts and cancels. */
async function longHistory(): Promise<{ t: TempApp; setNow: (ms: number) => void }> {
  let now = START;
  const t = startApp({ clock: () => now });
  apps.push(t);
  await t.call('departments.create', { name: 'Planning', code: 'PLN' });
  await t.call('operator.set', { name: 'Bob Engineer' }, 'bob');
  await t.call('operator.set', { name: 'Cat Inspector' }, 'cat');
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // In turn, so two sign-offs of a step are never by the same person.
  let turn = 0;
  const someone = () => [undefined, 'bob', 'cat'][turn++ % 3];
  for (let i = 0; i < 80; i++) {
    now += Math.floor(rnd() * 5 * 24) * H;
    const standard = rnd() < 0.6;
    const draft = rnd() < 0.15;
    let item = await t.call<WorkItem>(
      'workItems.create',
      { title: `Item ${i}`, ...(standard ? { workflowId: 'template:standard' } : { steps: custom }), submit: !draft },
      someone(),
    );
    const call = (action: string, extra: Record<string, unknown> = {}) =>
      t.call<WorkItem>(`workItems.${action}`, { id: item.id, expectedVersion: item.version, ...extra }, someone());
    if (draft) {
      now += Math.floor(rnd() * 48) * H;
      item = await call('submit');
    }
    while (item.status === 'active') {
      now += Math.floor(rnd() * 90) * H;
      const r = rnd();
      if (r < 0.05) item = await call('cancel', { comment: 'No longer needed' });
      else if (r < 0.25 && item.currentStep! > 0) item = await call('reject', { toStep: Math.floor(rnd() * item.currentStep!), comment: 'Redo' });
      else item = await call('approve');
    }
  }
  return { t, setNow: (ms) => (now = ms) };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Ranges shorter and longer than a 32-day period, on and off period boundaries, and the whole history. */
function ranges(): { from: string; to: string }[] {
  const list = [
    { from: '2025-01-01', to: '2026-03-31' },
    { from: '2025-03-10', to: '2025-03-10' },
    { from: '2025-02-14', to: '2025-03-17' },
    { from: '2025-02-13', to: '2025-03-18' },
    { from: '2025-02-13', to: '2025-04-19' },
  ];
  let seed = 5;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 12; i++) {
    const from = START + Math.floor(rnd() * 300) * 24 * H;
    list.push({ from: day(from), to: day(from + Math.floor(rnd() * 200) * 24 * H) });
  }
  return list;
}

describe('counted events (rejection rate, per-person activity)', () => {
  it('give the same figures as every event in the range, over short and long ranges, per template and department', async () => {
    const { t } = await longHistory();
    t.app.settle();
    const reference = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
    try {
      const fromEvents = readerOf(reference);
      for (const range of ranges()) {
        for (const workflowId of [undefined, 'template:standard']) {
          const filters = workflowId ? { ...range, workflowId } : range;
          expect(await t.call('reports.userActivity', filters)).toEqual(await userActivityFromEvents(fromEvents, filters));
          expect(await t.call('reports.rejectionRate', filters)).toEqual(await rejectionRateFromEvents(fromEvents, filters));
          for (const bucket of ['day', 'week'] as const) {
            expect(await t.call('reports.throughput', { ...filters, bucket })).toEqual(await throughputFromEvents(fromEvents, { ...filters, bucket }));
          }
        }
        const qc = { ...range, department: 'Quality Control' };
        expect(await t.call('reports.rejectionRate', qc)).toEqual(await rejectionRateFromEvents(fromEvents, qc));
      }
      // The history has something of every kind to count, and the long ranges read whole periods.
      const all = await userActivityFromEvents(fromEvents, ranges()[0]!);
      for (const kind of ['created', 'submits', 'approvals', 'signoffs', 'rejections', 'cancels'] as const) expect(all.some((r) => r[kind] > 0)).toBe(true);
      expect(reference.prepare('select count(distinct period) from report_activity_periods').pluck().get()).toBeGreaterThan(10);
    } finally {
      reference.close();
    }
  });

  it('include events a run without the module wrote, and are exact while nothing is counted yet', async () => {
    const history = await longHistory();
    const { setNow } = history;
    history.t.app.settle();
    // One core per data folder: the run without the module comes between two runs with it.
    history.t.app.close();
    const other = startApp({ clock: () => Date.parse('2026-03-01T10:00:00Z'), settingsPath: settingsWithoutReports(history.t.dataDir) }, history.t.dataDir);
    try {
      const made = await other.call<WorkItem>('workItems.create', { title: 'Elsewhere', steps: custom, submit: true });
      await other.call('workItems.approve', { id: made.id, expectedVersion: made.version });
    } finally {
      other.app.close();
    }
    const t = history.t.reopen();
    apps.push(t);
    expect(readDb(t.dataDir, (db) => db.prepare('select count(*) from transition_events where id > (select last_event_id from report_counts_sync)').pluck().get())).toBe(2);
    setNow(Date.parse('2026-03-02T00:00:00Z'));
    const range = { from: '2025-01-01', to: '2026-03-31' };
    const fromEvents = <T>(fn: (read: ReturnType<typeof readerOf>) => Promise<T>): Promise<T> => readDbAsync(t.dataDir, (db) => fn(readerOf(db)));
    expect(await t.call('reports.userActivity', range)).toEqual(await fromEvents((read) => userActivityFromEvents(read, range)));
    t.app.close();

    // As on a database from before the counts: empty, nothing counted. The queries read the events instead.
    readDb(t.dataDir, (db) => db.exec('delete from report_decision_days; delete from report_activity_periods; update report_counts_sync set last_event_id = 0'));
    for (const r of ranges()) {
      const [counted, reference] = await fromEvents(async (read) => [await userActivity(read, r), await userActivityFromEvents(read, r)]);
      expect(counted).toEqual(reference);
      const [rates, referenceRates] = await fromEvents(async (read) => [await rejectionRate(read, r), await rejectionRateFromEvents(read, r)]);
      expect(rates).toEqual(referenceRates);
      const weekly = { ...r, bucket: 'week' as const };
      const [done, referenceDone] = await fromEvents(async (read) => [await throughput(read, weekly), await throughputFromEvents(read, weekly)]);
      expect(done).toEqual(referenceDone);
    }

    // Counted a run at a time (here 100 events per run), they add up to the same rows as one run over everything.
    const [byRuns, runs] = readDb(t.dataDir, (db) => {
      const counts = eventCounts(drizzle(db));
      let left = 0;
      let n = 0;
      do {
        left = db.transaction(() => counts.run(100))();
        n++;
      } while (left > 0);
      return [countRows(db), n];
    });
    const events = readDb(t.dataDir, (db) => db.prepare('select max(id) from transition_events').pluck().get() as number);
    expect(runs).toBe(Math.ceil(events / 100));
    readDb(t.dataDir, (db) => {
      db.exec('delete from report_decision_days; delete from report_activity_periods; update report_counts_sync set last_event_id = 0');
      db.transaction(() => eventCounts(drizzle(db)).run(Infinity))();
      expect(countRows(db)).toEqual(byRuns);
      db.exec('delete from report_decision_days; delete from report_activity_periods; update report_counts_sync set last_event_id = 0');
    });

    // The next start counts the history, shortly after it; a report meanwhile is exact.
    const again = t.reopen();
    apps.push(again);
    expect(await again.call('reports.rejectionRate', range)).toEqual(await fromEvents((read) => rejectionRateFromEvents(read, range)));
    again.app.settle();
    readDb(t.dataDir, (db) => {
      expect(db.prepare('select last_event_id from report_counts_sync').pluck().get()).toBe(events);
      expect(countRows(db)).toEqual(byRuns);
    });
    expect(await again.call('reports.userActivity', range)).toEqual(await fromEvents((read) => userActivityFromEvents(read, range)));
    const third = again.reopen();
    apps.push(third);
    expect(third.logs.filter((l) => l.includes('Count') || l.includes('Caught up'))).toEqual([]);
  });
});
