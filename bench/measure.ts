import Database from 'better-sqlite3';
import type { CoreApp } from '../src/core/app';
import { BACKSTOP_PAGES } from '../src/core/db/checkpointer';
import { seededRng } from './syntheticHistory';
import { sampleRuns, summarize, timeRuns, type Timing } from './stats';

import { BENCH_PEOPLE, type Call } from './signedIn';

type Rows<T> = T[];

interface ActiveItem {
  id: number;
  version: number;
  currentStep: number;
  stepCount: number;
}

/** Distinct random active items, split in two sets: one for the app, one for the raw floor. */
function pickActiveItems(databasePath: string, count: number): ActiveItem[] {
  const sqlite = new Database(databasePath, { readonly: true });
  try {
    return sqlite
      .prepare(`select wi.id, wi.version, wi.current_step as currentStep, ws.step_count as stepCount
                from work_items wi join workflow_snapshots ws on ws.id = wi.workflow_id
                where wi.status = 'active' order by random() limit ?`)
      .all(count) as Rows<ActiveItem>;
  } finally {
    sqlite.close();
  }
}

/**
 * The physical floor: the same row update and event insert with hand-written prepared
 * statements on a connection with the app's pragmas, one immediate transaction each.
 */
function rawFloorWriter(databasePath: string) {
  const sqlite = new Database(databasePath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // As the app's connection: the app's background checkpointer copies the log for both.
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const update = sqlite.prepare(`update work_items set status = ?, current_step = ?, current_signoffs_json = '[]', version = ?, updated_at = ?, step_entered_at = ?
                                 where id = ? and version = ?`);
  const insert = sqlite.prepare(`insert into transition_events (item_id, seq, action, actor_id, actor_name, at, from_status, to_status, from_step, to_step, comment)
                                 values (?, ?, 'approve', 'bench:raw', 'Raw floor', ?, 'active', ?, ?, ?, null)`);
  const write = sqlite.transaction((item: ActiveItem) => {
    const now = Date.now();
    const last = item.currentStep >= item.stepCount - 1;
    const status = last ? 'completed' : 'active';
    const toStep = last ? null : item.currentStep + 1;
    if (update.run(status, toStep, item.version + 1, now, now, item.id, item.version).changes !== 1) throw new Error('raw floor: stale row');
    insert.run(item.id, item.version + 1, now, status, item.currentStep, toStep);
  });
  return { write: (item: ActiveItem) => write.immediate(item), close: () => sqlite.close() };
}

/** Wall-clock figures, and the CPU time per write (this process), which machine load and disk waits barely move. */
type WriteTiming = Timing & { opsPerS: number; cpuMsPerOp: number };

export interface WriteResults {
  /** Per call; opsPerS and cpuMsPerOp also count the work the app does after its calls (below). */
  transition: WriteTiming;
  rawFloor: WriteTiming;
  /**
   * Between calls the event loop runs what the app deferred (ctx.soon: the audit trail's and the
   * reports' records, made from committed events a batch at a time): the longest such turn,
   * which a call arriving then would wait for.
   */
  deferredMaxMs: number;
  /** Which calls (their place in the run) took over 10 ms: regular spacing points at a periodic cause. */
  transitionsOver10Ms: number[];
  /** How many of the floor's writes took over 10 ms: the disk's own tail, beside the app's. */
  rawFloorOver10Ms: number;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * The floor's events are real rows, which the app's audit trail and reports take in as events
 * another process wrote: the trail seals them before it checks the chain, a report catches up
 * before it is made. Done here, untimed, after each floor round: the app's rounds then pay only
 * for their own. (A module switched off answers with an error.)
 */
async function takeInOutsideEvents(app: CoreApp, call: Call): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  await call('audit.verify', {});
  await call('reports.cycleTime', { from: today, to: today });
  app.settle();
}

/** One turn of the event loop, as between two IPC calls: timers that are due (deferred work) run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Approve/reject through the full handler path against the raw floor, in alternating rounds
 * so both see the same disk conditions. The app's rounds end by running what it still has
 * deferred, so its throughput pays for all of it.
 */
export async function measureWrites(app: CoreApp, call: Call, databasePath: string, opsEach: number): Promise<WriteResults> {
  const items = pickActiveItems(databasePath, opsEach * 2);
  if (items.length < opsEach * 2) throw new Error(`only ${items.length} active items; need ${opsEach * 2}`);
  const forApp = items.slice(0, opsEach);
  const forRaw = items.slice(opsEach);
  const rng = seededRng(11);
  const raw = rawFloorWriter(databasePath);
  const appSamples: number[] = [];
  const rawSamples: number[] = [];
  let appMs = 0;
  let rawMs = 0;
  let appCpuMs = 0;
  let rawCpuMs = 0;
  let deferredMaxMs = 0;
  const ROUNDS = 5;
  const perRound = Math.ceil(opsEach / ROUNDS);
  await takeInOutsideEvents(app, call);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const roundStart = round * perRound;
      let started = performance.now();
      let cpu = cpuMs();
      for (const item of forApp.slice(roundStart, roundStart + perRound)) {
        const reject = item.currentStep > 0 && rng() < 0.3;
        const t = performance.now();
        // An e-signature with the signed-in person's PIN, as every approval and rejection is.
        const signature = { secret: BENCH_PEOPLE.admin.secret };
        if (reject) {
          await call('workItems.reject', { id: item.id, expectedVersion: item.version, toStep: 0, comment: 'Bench: returned for rework.', signature });
        } else {
          await call('workItems.approve', { id: item.id, expectedVersion: item.version, signature });
        }
        const answered = performance.now();
        appSamples.push(answered - t);
        await turn();
        deferredMaxMs = Math.max(deferredMaxMs, performance.now() - answered);
      }
      app.settle();
      appMs += performance.now() - started;
      appCpuMs += cpuMs() - cpu;
      started = performance.now();
      cpu = cpuMs();
      for (const item of forRaw.slice(roundStart, roundStart + perRound)) {
        const t = performance.now();
        raw.write(item);
        rawSamples.push(performance.now() - t);
        await turn();
      }
      rawMs += performance.now() - started;
      rawCpuMs += cpuMs() - cpu;
      await takeInOutsideEvents(app, call);
    }
  } finally {
    raw.close();
  }
  return {
    transition: { ...summarize(appSamples), opsPerS: (appSamples.length / appMs) * 1000, cpuMsPerOp: appCpuMs / appSamples.length },
    rawFloor: { ...summarize(rawSamples), opsPerS: (rawSamples.length / rawMs) * 1000, cpuMsPerOp: rawCpuMs / rawSamples.length },
    deferredMaxMs,
    transitionsOver10Ms: appSamples.flatMap((ms, i) => (ms > 10 ? [i] : [])),
    rawFloorOver10Ms: rawSamples.filter((ms) => ms > 10).length,
  };
}

export interface ReadResults {
  queueList: Timing;
  counts: Timing;
  search: Timing;
  searchByKind: Record<string, Timing>;
}

/** Approvals queue pages per department, the dashboard counts, and searches of each kind. */
export async function measureReads(call: Call, databasePath: string, runs: number): Promise<ReadResults> {
  const departments = (await call<{ activeByStep: { step: string }[] }>('workItems.counts', {})).activeByStep.map((s) => s.step);
  const queueList = await timeRuns(runs, (i) =>
    call('workItems.list', { status: 'active', step: departments[i % departments.length], sort: 'queue', offset: 0, limit: 50 }),
  );
  const weekStart = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const counts = await timeRuns(runs, () => call('workItems.counts', { completedSince: weekStart }));

  const sqlite = new Database(databasePath, { readonly: true });
  const samples = sqlite
    .prepare(`select id, title, json_extract(metadata_json, '$.workOrder') as workOrder, json_extract(metadata_json, '$.aircraftRegistration') as registration
              from work_items where metadata_json <> '{}' order by random() limit ?`)
    .all(runs) as { id: number; title: string; workOrder: string; registration: string }[];
  sqlite.close();
  const words = ['hydraulic pump', 'pitot', 'brake assembly', 'APU starter', 'corrosion', 'cargo door seal'];
  const kinds: Record<string, (i: number) => string> = {
    'work order': (i) => samples[i % samples.length]!.workOrder,
    registration: (i) => samples[i % samples.length]!.registration,
    'title words': (i) => words[i % words.length]!,
    'item number': (i) => `#${samples[i % samples.length]!.id}`,
  };
  const searchByKind: Record<string, Timing> = {};
  const all: number[] = [];
  for (const [kind, term] of Object.entries(kinds)) {
    const perKind = await sampleRuns(runs, (i) => call('workItems.list', { search: term(i), offset: 0, limit: 50 }));
    searchByKind[kind] = summarize(perKind);
    all.push(...perKind);
  }
  return { queueList, counts, search: summarize(all), searchByKind };
}

export interface ViewResults {
  /** The Approvals screen as it opens for a Quality Control inspector: their department's queue and what they may do with each item. */
  approvalsMine: Timing;
  /** Of that: the hints for its page of 50 alone. */
  approvalsMineHints: Timing;
  /** The same screen widened to every department. */
  approvalsAll: Timing;
  /** The dashboard's list filtered by one template (each in turn), first page. */
  templateFilter: Timing;
  /** The dashboard's overdue list: urgent first, then longest waiting. */
  overdueList: Timing;
}

/** The screens people open all day, read as the signed-in inspector (sign-in checks included). */
export async function measureViews(call: Call, runs: number): Promise<ViewResults> {
  const status = await call<{ actor: { departments: string[] } | null }>('app.status', {});
  const mine = status.actor?.departments ?? [];
  if (mine.length === 0) throw new Error('the bench inspector has no departments');
  // As the screen asks: the page, then what the person may do with each item on it.
  const approvalsMine = await timeRuns(runs, async () => {
    const page = await call<{ rows: { id: number }[] }>('workItems.list', { status: 'active', steps: mine, sort: 'queue', offset: 0, limit: 50 });
    await call('workItems.hints', { ids: page.rows.map((r) => r.id) });
  });
  const page = await call<{ rows: { id: number }[] }>('workItems.list', { status: 'active', steps: mine, sort: 'queue', offset: 0, limit: 50 });
  const approvalsMineHints = await timeRuns(runs, () => call('workItems.hints', { ids: page.rows.map((r) => r.id) }));
  const approvalsAll = await timeRuns(runs, () => call('workItems.list', { status: 'active', sort: 'queue', offset: 0, limit: 50 }));
  const templates = (await call<{ id: string }[]>('workflows.list', {})).map((w) => w.id);
  const templateFilter = await timeRuns(runs, (i) => call('workItems.list', { workflowId: templates[i % templates.length], offset: 0, limit: 25 }));
  const overdueList = await timeRuns(runs, () => call('workItems.list', { overdue: true, sort: 'queue', offset: 0, limit: 8 }));
  return { approvalsMine, approvalsMineHints, approvalsAll, templateFilter, overdueList };
}

export interface ReportResults {
  report: Timing;
  maxStallMs: number;
}

/**
 * Cycle time per department over every item's history, while a timer measures how long the
 * event loop (the one answering IPC) is ever kept from running.
 */
/** Runs `work` while a 5 ms timer watches the event loop; returns its result and the longest stall. */
async function withStallMeter<T>(work: (restart: () => void) => Promise<T>): Promise<{ value: T; maxStallMs: number }> {
  const TICK_MS = 5;
  let maxStallMs = 0;
  let last = performance.now();
  const meter = setInterval(() => {
    const t = performance.now();
    maxStallMs = Math.max(maxStallMs, t - last - TICK_MS);
    last = t;
  }, TICK_MS);
  try {
    const value = await work(() => (last = performance.now()));
    return { value, maxStallMs: Math.max(0, maxStallMs) };
  } finally {
    clearInterval(meter);
  }
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function measureReport(call: Call, runs: number): Promise<ReportResults> {
  // A report slower than this is run once: repeating it would only make the benchmark long.
  const SLOW_MS = 3000;
  const to = isoDay(Date.now());
  const from = isoDay(Date.now() - 6 * 365 * 86_400_000);
  const { value: samples, maxStallMs } = await withStallMeter(async (restart) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      restart();
      const t = performance.now();
      await call('reports.cycleTime', { from, to });
      samples.push(performance.now() - t);
      if (samples[0]! > SLOW_MS) break;
    }
    return samples;
  });
  return { report: summarize(samples), maxStallMs };
}

export interface OtherReportResults {
  /** Each of the other Analytics reports over the last 365 days, once, in ms. */
  yearReportsMs: Record<string, number>;
  yearReportsMaxStallMs: number;
}

/** The Analytics tab's other reports over a year, as someone widening the range would ask for them. */
export async function measureYearReports(call: Call): Promise<OtherReportResults> {
  const range = { from: isoDay(Date.now() - 365 * 86_400_000), to: isoDay(Date.now()) };
  const reports: [string, string, object][] = [
    ['throughput', 'reports.throughput', { ...range, bucket: 'day' }],
    ['rejection rate', 'reports.rejectionRate', range],
    ['overdue over time', 'reports.overdueOverTime', { ...range, bucket: 'day' }],
    ['activity per person', 'reports.userActivity', range],
    ['bottlenecks (now)', 'reports.bottlenecks', {}],
  ];
  const { value, maxStallMs } = await withStallMeter(async (restart) => {
    const ms: Record<string, number> = {};
    for (const [name, channel, input] of reports) {
      restart();
      const t = performance.now();
      await call(channel, input);
      ms[name] = performance.now() - t;
    }
    return ms;
  });
  return { yearReportsMs: value, yearReportsMaxStallMs: maxStallMs };
}
