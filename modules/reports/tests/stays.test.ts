import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import { readDb, settingsWithoutReports } from './dataFile';
import { cycleTimeFromEvents, storedStays, staysFromEvents, type StayRow } from './staysReference';

/**
 * report_stays through the real handlers and database. T0 = Monday 2 March 2026 00:00Z; times
 * are hours after T0. Steps (custom): Engineering → Planning → Quality Control (2 sign-offs) → Operations.
 *
 *   X  created+submitted 0, approve 1, 3, QC sign-off 1 of 2 at 4 (no boundary), rejected back two
 *      steps to Engineering at 6, approve 7, 9, sign-offs at 10 and 12 (moves on), approve 13 (completed)
 *      stays: ENG 0–1, PLN 1–3, QC 3–6 (reject), ENG 6–7, PLN 7–9, QC 9–12, OPS 12–13
 *   Y  draft 0, submitted 2, cancelled 5            stays: ENG 2–5 (cancel)
 *   Z  created+submitted 1, approve 2, 4; at QC     stays: ENG 1–2, PLN 2–4; QC open (not stored)
 */
const T0 = Date.parse('2026-03-02T00:00:00Z');
const H = 3_600_000;
const steps = [{ name: 'Engineering' }, { name: 'Planning' }, { name: 'Quality Control', minSignoffs: 2 }, { name: 'Operations' }];

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));


const setReports = (dataDir: string, enabled: boolean) => {
  const path = join(dataDir, 'settings.json');
  const settings = JSON.parse(readFileSync(path, 'utf8'));
  settings.modules.reports = { ...(settings.modules.reports ?? {}), enabled };
  writeFileSync(path, JSON.stringify(settings, null, 2));
};

/** The count tables must add up to the stays, per day and per 32-day period. */
const countsAgree = (db: Database.Database) => {
  const stays = db.prepare(`select left_at / 86400000 as day, department_id as d, (ms - (ms < 0) * 3599999) / 3600000 as hour, step_index as s, count(*) as n
                            from report_stays group by 1, 2, 3, 4 order by 1, 2, 3, 4`).all() as { day: number; d: number; hour: number; s: number; n: number }[];
  const days = db.prepare(`select left_day as day, department_id as d, hour, step_index as s, n from report_stay_days where n <> 0 order by 1, 2, 3, 4`).all();
  expect(days).toEqual(stays);
  const periods = new Map<string, number>();
  for (const r of stays) periods.set(`${Math.floor(r.day / 32)}/${r.d}/${r.hour}/${r.s}`, (periods.get(`${Math.floor(r.day / 32)}/${r.d}/${r.hour}/${r.s}`) ?? 0) + r.n);
  const stored = db.prepare(`select left_period || '/' || department_id || '/' || hour || '/' || step_index as k, n from report_stay_periods where n <> 0`).all() as { k: string; n: number }[];
  expect(new Map(stored.map((r) => [r.k, r.n]))).toEqual(periods);
};

async function play(t: TempApp, setNow: (ms: number) => void, upTo = Infinity) {
  await t.call('departments.create', { name: 'Planning', code: 'PLN' });
  await t.call('operator.set', { name: 'Bob Inspector' }, 'bob');
  await t.call('operator.set', { name: 'Cat Inspector' }, 'cat');
  const items: Record<string, WorkItem> = {};
  const act = async (key: string, action: string, extra: Record<string, unknown> = {}, session?: string) => {
    const item = items[key]!;
    items[key] = await t.call<WorkItem>(`workItems.${action}`, { id: item.id, expectedVersion: item.version, ...extra }, session);
  };
  const script: [number, () => Promise<unknown>][] = [
    [0, async () => (items.X = await t.call<WorkItem>('workItems.create', { title: 'X', steps, submit: true }))],
    [0, async () => (items.Y = await t.call<WorkItem>('workItems.create', { title: 'Y', steps }))],
    [1, () => act('X', 'approve')],
    [1, async () => (items.Z = await t.call<WorkItem>('workItems.create', { title: 'Z', steps, submit: true }))],
    [2, () => act('Y', 'submit')],
    [2, () => act('Z', 'approve')],
    [3, () => act('X', 'approve')],
    [4, () => act('X', 'approve', {}, 'bob')],
    [4, () => act('Z', 'approve')],
    [5, () => act('Y', 'cancel')],
    [6, () => act('X', 'reject', { toStep: 0, comment: 'Back to engineering' })],
    [7, () => act('X', 'approve')],
    [9, () => act('X', 'approve')],
    [10, () => act('X', 'approve', {}, 'bob')],
    [12, () => act('X', 'approve', {}, 'cat')],
    [13, () => act('X', 'approve')],
  ];
  const played = script.filter(([h]) => h <= upTo);
  for (const [hours, step] of played) {
    setNow(T0 + hours * H);
    await step();
  }
  return { items, rest: script.slice(played.length) };
}

const stay = (itemId: number, stepIndex: number, from: number, to: number, leftSeq: number, how: string): Omit<StayRow, 'workflowId'> => ({
  itemId,
  stepIndex,
  department: steps[stepIndex]!.name,
  enteredAt: T0 + from * H,
  leftAt: T0 + to * H,
  leftSeq,
  how,
});
const withoutWorkflow = (rows: StayRow[]) => rows.map(({ workflowId: _, ...r }) => r);

describe('report_stays', () => {
  it('is written shortly after each transition: rejections back several steps, partial sign-offs, cancel, completion; the open stay is not', async () => {
    let now = T0;
    const t = startApp({ clock: () => now });
    apps.push(t);
    const { items } = await play(t, (ms) => (now = ms));
    // Stays are made after the transitions' transactions, a batch at a time (ctx.soon): run it now.
    t.app.settle();
    const [x, y, z] = [items.X!.id, items.Y!.id, items.Z!.id];
    expect(items.X!.status).toBe('completed');
    expect(items.Z!.currentStep).toBe(2);
    readDb(t.dataDir, (db) => {
      expect(withoutWorkflow(storedStays(db))).toEqual([
        stay(x, 0, 0, 1, 2, 'approve'),
        stay(x, 1, 1, 3, 3, 'approve'),
        stay(x, 2, 3, 6, 5, 'reject'),
        stay(x, 0, 6, 7, 6, 'approve'),
        stay(x, 1, 7, 9, 7, 'approve'),
        stay(x, 2, 9, 12, 9, 'approve'),
        stay(x, 3, 12, 13, 10, 'approve'),
        stay(y, 0, 2, 5, 3, 'cancel'),
        stay(z, 0, 1, 2, 2, 'approve'),
        stay(z, 1, 2, 4, 3, 'approve'),
      ]);
      expect(storedStays(db)).toEqual(staysFromEvents(db));
      countsAgree(db);
      // Every event has been looked at.
      expect(db.prepare('select last_event_id from report_stays_sync').pluck().get()).toBe(db.prepare('select max(id) from transition_events').pluck().get());
    });
    // QC 3 h and 3 h, Engineering 1 1 3, Planning 2 2 2, Operations 1.
    expect(await t.call('reports.cycleTime', { from: '2026-03-01', to: '2026-03-31' })).toEqual([
      { department: 'Engineering', stays: 4, medianHours: 1, p90Hours: 3 },
      { department: 'Planning', stays: 3, medianHours: 2, p90Hours: 2 },
      { department: 'Quality Control', stays: 2, medianHours: 3, p90Hours: 3 },
      { department: 'Operations', stays: 1, medianHours: 1, p90Hours: 1 },
    ]);
  });

  it('backfilled by its migration from the event history equals what the transitions wrote', async () => {
    let now = T0;
    let t = startApp({ clock: () => now });
    apps.push(t);
    await play(t, (ms) => (now = ms));
    t.app.close();
    const live = readDb(t.dataDir, (db) => ({
      stays: storedStays(db),
      days: db.prepare('select * from report_stay_days order by 1, 2, 3, 4').all(),
      periods: db.prepare('select * from report_stay_periods order by 1, 2, 3, 4').all(),
      overdue: db.prepare('select * from report_overdue_days where due <> 0 or ended <> 0 order by 1, 2, 3').all(),
    }));
    // As on a database made before the reports module had tables: drop them and its migration ledger.
    readDb(t.dataDir, (db) => {
      db.exec(`drop table report_stays; drop table report_stay_days; drop table report_stay_periods; drop table report_stays_sync;
               drop table report_departments; drop table report_decision_days; drop table report_activity_periods;
               drop table report_counts_sync; drop table report_overdue_days; delete from __migrations_reports;`);
    });
    t = t.reopen();
    apps.push(t);
    readDb(t.dataDir, (db) => {
      expect(storedStays(db)).toEqual(live.stays);
      expect(db.prepare('select * from report_stay_days order by 1, 2, 3, 4').all()).toEqual(live.days);
      expect(db.prepare('select * from report_stay_periods order by 1, 2, 3, 4').all()).toEqual(live.periods);
      expect(db.prepare('select * from report_overdue_days where due <> 0 or ended <> 0 order by 1, 2, 3').all()).toEqual(live.overdue);
    });
    expect(t.logs.filter((l) => l.includes('Caught up'))).toEqual([]);
  });

  it('catches up at start on transitions made while the module was switched off, and does nothing when nothing is missing', async () => {
    let now = T0;
    let t = startApp({ clock: () => now });
    apps.push(t);
    const { items, rest } = await play(t, (ms) => (now = ms), 4);
    t.app.settle();
    const before = readDb(t.dataDir, (db) => storedStays(db));
    setReports(t.dataDir, false);
    t = t.reopen();
    apps.push(t);
    expect((await t.fail('reports.cycleTime', { from: '2026-03-01', to: '2026-03-31' })).code).toBe('MODULE_DISABLED');
    // The rest of the history (a cancel, a rejection back two steps, sign-offs, completion) happens without the module.
    const act = async (key: string, action: string, extra: Record<string, unknown> = {}, session?: string) => {
      const item = items[key]!;
      items[key] = await t.call<WorkItem>(`workItems.${action}`, { id: item.id, expectedVersion: item.version, ...extra }, session);
    };
    await t.call('operator.set', { name: 'Bob Inspector' }, 'bob');
    await t.call('operator.set', { name: 'Cat Inspector' }, 'cat');
    const later: Record<number, () => Promise<void>> = {
      5: () => act('Y', 'cancel'),
      6: () => act('X', 'reject', { toStep: 0, comment: 'Back to engineering' }),
      7: () => act('X', 'approve'),
      9: () => act('X', 'approve'),
      10: () => act('X', 'approve', {}, 'bob'),
      12: () => act('X', 'approve', {}, 'cat'),
      13: () => act('X', 'approve'),
    };
    for (const [hours] of rest) {
      now = T0 + hours * H;
      await later[hours]!();
    }
    readDb(t.dataDir, (db) => {
      // Nobody wrote these stays: the table is behind the history.
      expect(storedStays(db)).toEqual(before);
      expect(staysFromEvents(db).length).toBe(before.length + 6);
    });
    setReports(t.dataDir, true);
    t = t.reopen();
    apps.push(t);
    expect(t.logs.filter((l) => l.includes('Caught up'))).toEqual([expect.stringMatching(/Caught up on 7 events made while reports was off: 6 stays/)]);
    readDb(t.dataDir, (db) => {
      expect(storedStays(db)).toEqual(staysFromEvents(db));
      countsAgree(db);
    });
    const march = { from: '2026-03-01', to: '2026-03-31' };
    expect(await t.call('reports.cycleTime', march)).toEqual(readDb(t.dataDir, (db) => cycleTimeFromEvents(db, Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-04-01T00:00:00Z'))));
    t = t.reopen();
    apps.push(t);
    expect(t.logs.filter((l) => l.includes('Caught up'))).toEqual([]);
  });

  it('stays are also made for events a run without the module wrote: by the next start with it, and a report sees them', async () => {
    let now = T0;
    const first = startApp({ clock: () => now });
    await first.call('departments.create', { name: 'Planning', code: 'PLN' });
    const a = await first.call<WorkItem>('workItems.create', { title: 'A', steps, submit: true });
    const b = await first.call<WorkItem>('workItems.create', { title: 'B', steps, submit: true });
    // One core per data folder: the run without the module comes between two runs with it.
    first.app.close();
    const other = startApp({ clock: () => now, settingsPath: settingsWithoutReports(first.dataDir) }, first.dataDir);
    try {
      now = T0 + 2 * H;
      await other.call('workItems.approve', { id: a.id, expectedVersion: a.version });
    } finally {
      other.app.close();
    }
    readDb(first.dataDir, (db) => expect(storedStays(db)).toEqual([]));
    const t = first.reopen();
    apps.push(t);
    // A report sees it without waiting for a transition here.
    expect(await t.call('reports.cycleTime', { from: '2026-03-01', to: '2026-03-31' })).toEqual([{ department: 'Engineering', stays: 1, medianHours: 2, p90Hours: 2 }]);
    readDb(t.dataDir, (db) => expect(withoutWorkflow(storedStays(db))).toEqual([stay(a.id, 0, 0, 2, 2, 'approve')]));
    now = T0 + 3 * H;
    await t.call('workItems.approve', { id: b.id, expectedVersion: b.version });
    t.app.settle();
    readDb(t.dataDir, (db) => {
      expect(withoutWorkflow(storedStays(db))).toEqual([stay(a.id, 0, 0, 2, 2, 'approve'), stay(b.id, 0, 0, 3, 2, 'approve')]);
      countsAgree(db);
    });
  });

  it('cycle time over long ranges (whole 32-day periods and days at both ends) equals the figures from the events', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const t = startApp({ clock: () => now });
    apps.push(t);
    await t.call('departments.create', { name: 'Planning', code: 'PLN' });
    // 60 items over ~400 days, stays of 0 to 70 hours, some rejected back.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 60; i++) {
      now += Math.floor(rnd() * 7 * 24) * H;
      let item = await t.call<WorkItem>('workItems.create', { title: `Item ${i}`, steps: steps.map((s) => ({ name: s.name })), submit: true });
      while (item.status === 'active') {
        now += Math.floor(rnd() * 70 * H);
        const back = item.currentStep! > 0 && rnd() < 0.2;
        item = await t.call<WorkItem>(back ? 'workItems.reject' : 'workItems.approve', {
          id: item.id,
          expectedVersion: item.version,
          ...(back ? { toStep: 0, comment: 'Again' } : {}),
        });
      }
    }
    for (const [from, to] of [['2025-01-01', '2026-12-31'], ['2025-01-17', '2025-11-03'], ['2025-03-05', '2025-03-20'], ['2025-02-01', '2025-02-28']]) {
      const expected = readDb(t.dataDir, (db) => cycleTimeFromEvents(db, Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + 86_400_000));
      expect({ from, to, rows: await t.call('reports.cycleTime', { from, to }) }).toEqual({ from, to, rows: expected });
      for (const department of ['Planning', 'Operations']) {
        expect(await t.call('reports.cycleTime', { from, to, department })).toEqual(expected.filter((r) => r.department === department));
      }
    }
  });
});
