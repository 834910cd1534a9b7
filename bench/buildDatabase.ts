import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/core/app';
import { benchSettings } from './settings';
import { seededRng, syntheticItem, type WorkflowShape } from './syntheticHistory';

/** Bump when the generated data changes shape, so cached databases are rebuilt. */
const GENERATOR_VERSION = 5;
const DATABASE_FILE = 'aviation-workflow.sqlite';
const HOUR = 3_600_000;

const EXTRA_DEPARTMENTS = [
  { name: 'Planning', code: 'PLN' },
  { name: 'Non-Destructive Testing', code: 'NDT' },
  { name: 'Stores', code: 'STR' },
];
const EXTRA_TEMPLATES = [
  { key: 'qc-inspection', name: 'QC inspection', steps: [{ department: 'QC', targetHours: 48 }, { department: 'OPS', targetHours: 24 }], rules: { commentOnReject: true } },
  { key: 'maintenance-task', name: 'Maintenance task', steps: [{ department: 'PLN', targetHours: 72 }, { department: 'ENG', targetHours: 120 }, { department: 'QC', targetHours: 48 }, { department: 'OPS' }] },
  { key: 'ndt-inspection', name: 'NDT inspection', steps: [{ department: 'ENG', targetHours: 96 }, { department: 'NDT', targetHours: 72 }, { department: 'QC', targetHours: 48 }], rules: { commentOnReject: true } },
  { key: 'parts-request', name: 'Parts request', steps: [{ department: 'STR', targetHours: 24 }, { department: 'QC' }] },
];

export interface BenchDatabase {
  dataDir: string;
  databasePath: string;
  items: number;
  built: boolean;
  buildMs: number;
  /** CPU time of the build: what it costs on an otherwise idle machine, whatever else runs here. */
  buildCpuMs: number;
}

type Invoke = ReturnType<typeof createApp>['invoke'];
async function call<T>(invoke: Invoke, channel: string, input: unknown): Promise<T> {
  const result = await invoke(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/**
 * Departments, templates and one item per template through the app's own handlers, so the
 * settings, module tables and workflow snapshots are exactly what the app makes.
 */
async function seedThroughTheApp(dataDir: string, assetsRoot: string): Promise<void> {
  benchSettings(dataDir, assetsRoot);
  const app = createApp({ dataDir, assetsRoot, log: () => {} });
  try {
    for (const d of EXTRA_DEPARTMENTS) await call(app.invoke, 'departments.create', d);
    for (const t of EXTRA_TEMPLATES) await call(app.invoke, 'templates.create', t);
    for (const choice of await call<{ id: string }[]>(app.invoke, 'workflows.list', {})) {
      await call(app.invoke, 'workItems.create', { title: `First item on ${choice.id}`, workflowId: choice.id, submit: true });
    }
  } finally {
    app.close();
  }
}

interface Snapshot extends WorkflowShape {
  targetHours: (number | null)[];
}

function readSnapshots(sqlite: Database.Database): Snapshot[] {
  const rows = sqlite.prepare('select id, steps_json as stepsJson from workflow_snapshots order by id').all() as { id: number; stepsJson: string }[];
  return rows.map((r) => {
    const steps = JSON.parse(r.stepsJson) as { name: string; targetHours?: number }[];
    return { workflowId: r.id, steps: steps.map((s) => s.name), targetHours: steps.map((s) => s.targetHours ?? null) };
  });
}

/**
 * The work_items triggers (tallies, search index) cost a statement per row: set aside while
 * bulk-inserting, then their tables are filled in one pass each, as the migration does.
 */
function withoutItemTriggers(sqlite: Database.Database, insert: () => void): void {
  const triggers = sqlite.prepare(`select name, sql from sqlite_schema where type = 'trigger' and tbl_name = 'work_items'`).all() as { name: string; sql: string }[];
  for (const t of triggers) sqlite.exec(`drop trigger "${t.name}"`);
  insert();
  sqlite.exec(`delete from work_item_tallies;
    insert into work_item_tallies (status, step_name, priority, workflow_id, n)
      select status, coalesce(current_step_name, ''), priority, workflow_id, count(*) from work_items group by 1, 2, 3, 4;
    delete from work_items_search;
    insert into work_items_search (rowid, body)
      select id, title || char(10) || coalesce((select group_concat(j.value, char(10)) from json_each(metadata_json) j), '') from work_items;`);
  for (const t of triggers) sqlite.exec(t.sql);
}

/** Bulk-inserts `count` synthetic items with their events and sign-off records. */
function insertSyntheticItems(databasePath: string, assetsRoot: string, count: number, now: number, onProgress: (done: number) => void): void {
  const sqlite = new Database(databasePath);
  // Building throw-away data: no journal, no fsync, a big page cache. The app's WAL mode is set back at the end.
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('locking_mode = EXCLUSIVE');
  sqlite.pragma('cache_size = -1000000');
  const snapshots = readSnapshots(sqlite);
  const insertItem = sqlite.prepare(`insert into work_items
    (title, description, priority, status, current_step, current_signoffs_json, workflow_id, metadata_json,
     created_by_id, created_by_name, created_at, updated_at, step_entered_at, version, current_step_name, current_target_hours)
    values (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEvent = sqlite.prepare(`insert into transition_events
    (item_id, seq, action, actor_id, actor_name, at, from_status, to_status, from_step, to_step, comment)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // The sign-off record as the approvals module writes it: its event's id, item and seq, and
  // the meaning's text stored once in approval_meanings.
  const insertSignoff = sqlite.prepare(`insert into approval_records (item_id, event_seq, id, meaning_id) values (?, ?, ?, ?)`);
  const insertMeaning = sqlite.prepare(`insert or ignore into approval_meanings (text) values (?)`);
  const meaningId = sqlite.prepare(`select id from approval_meanings where text = ?`).pluck();
  const meanings = new Map<string, number>();
  const meaningOf = (text: string) => {
    let id = meanings.get(text);
    if (id === undefined) {
      insertMeaning.run(text);
      meanings.set(text, (id = meaningId.get(text) as number));
    }
    return id;
  };
  const rng = seededRng(7);
  const plan = { count, now, years: 5, workflows: snapshots };
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const item = syntheticItem(rng, i, plan);
      const snapshot = item.workflow as Snapshot;
      const { lastInsertRowid } = insertItem.run(
        item.title, item.description, item.priority, item.status, item.currentStep, item.workflow.workflowId,
        JSON.stringify(item.metadata), item.createdBy.id, item.createdBy.name, item.createdAt, item.updatedAt,
        item.stepEnteredAt, item.version,
        // The store keeps these beside current_step (see WorkItemStore).
        item.currentStep === null ? null : snapshot.steps[item.currentStep]!,
        item.currentStep === null ? null : snapshot.targetHours[item.currentStep]!,
      );
      const steps = item.workflow.steps;
      for (const e of item.events) {
        const event = insertEvent.run(lastInsertRowid, e.seq, e.action, e.actor.id, e.actor.name, e.at, e.fromStatus, e.toStatus, e.fromStep, e.toStep, e.comment);
        if (e.action !== 'approve' && e.action !== 'reject') continue;
        const fromDepartment = steps[e.fromStep ?? 0]!;
        const toDepartment = e.toStep === null ? null : steps[e.toStep]!;
        const meaning = e.action === 'reject' ? `Rejected at ${fromDepartment}, returned to ${toDepartment}` : `Approved at ${fromDepartment}`;
        insertSignoff.run(lastInsertRowid, e.seq, event.lastInsertRowid, meaningOf(meaning));
      }
    }
  });
  const BATCH = 20_000;
  withoutItemTriggers(sqlite, () => {
    for (let from = 0; from < count; from += BATCH) {
      batch(from, Math.min(count, from + BATCH));
      onProgress(Math.min(count, from + BATCH));
    }
  });
  fillStays(sqlite, assetsRoot);
  leaveHistoryOutOfTheTrail(sqlite);
  sqlite.exec('analyze');
  sqlite.pragma('journal_mode = WAL');
  sqlite.close();
}

/**
 * The reports module's stays, filled from the events exactly as on an existing database: by
 * its own migrations (modules/reports/migrations/0000_stays.sql and 0002_overdue_days.sql, read
 * as text), run again over the bulk-inserted history. Skipped where the reports module is not
 * installed. (Its event counts, migration 0001, catch up by themselves at the first open.)
 */
function fillStays(sqlite: Database.Database, assetsRoot: string): void {
  const folder = join(assetsRoot, 'modules', 'reports', 'migrations');
  if (!existsSync(join(folder, '0000_stays.sql'))) return;
  sqlite.exec(`drop table if exists report_stays; drop table if exists report_stay_days; drop table if exists report_stay_periods;
    drop table if exists report_stays_sync; drop table if exists report_departments; drop table if exists report_overdue_days;`);
  for (const name of ['0000_stays.sql', '0002_overdue_days.sql']) {
    for (const statement of readFileSync(join(folder, name), 'utf8').split('--> statement-breakpoint')) sqlite.exec(statement);
  }
}

/**
 * The synthetic history stands for one made before the audit module was switched on (its
 * migrations leave such events out of the trail): without this the module would seal all
 * five million events, as written by a process without it, at the first start, and list them.
 */
function leaveHistoryOutOfTheTrail(sqlite: Database.Database): void {
  const hasMark = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'audit_event_mark'`).get();
  if (!hasMark) return;
  // Neither sealed nor listed: the trail starts after it.
  sqlite.exec(`update audit_event_mark set last_event_id = (select max(id) from transition_events),
                 first_listed_event_id = (select max(id) + 1 from transition_events) where id = 1`);
}

/**
 * The benchmark's database with `items` synthetic work items, built once per size in
 * bench/cache/items-<N>/ and reused while the generator is unchanged. It is opened by the
 * app (which applies any newer migrations) before anything is measured.
 */
export async function benchDatabase(options: { items: number; assetsRoot: string; cacheRoot: string; log: (m: string) => void }): Promise<BenchDatabase> {
  const dataDir = join(options.cacheRoot, `items-${options.items}`);
  const databasePath = join(dataDir, DATABASE_FILE);
  const markerPath = join(dataDir, 'built.json');
  const marker = existsSync(markerPath) ? (JSON.parse(readFileSync(markerPath, 'utf8')) as { generator: number; items: number }) : null;
  if (marker?.generator === GENERATOR_VERSION && marker.items === options.items && existsSync(databasePath)) {
    return { dataDir, databasePath, items: options.items, built: false, buildMs: 0, buildCpuMs: 0 };
  }

  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  await seedThroughTheApp(dataDir, options.assetsRoot);
  const synthetic = Math.max(0, options.items - EXTRA_TEMPLATES.length - 1);
  let reported = 0;
  insertSyntheticItems(databasePath, options.assetsRoot, synthetic, Date.now() - HOUR, (done) => {
    if (done - reported >= 100_000 || done === synthetic) {
      reported = done;
      options.log(`  built ${done.toLocaleString('en')} of ${synthetic.toLocaleString('en')} items`);
    }
  });
  writeFileSync(markerPath, JSON.stringify({ generator: GENERATOR_VERSION, items: options.items }));
  const cpu = process.cpuUsage(cpuStarted);
  return { dataDir, databasePath, items: options.items, built: true, buildMs: performance.now() - started, buildCpuMs: (cpu.user + cpu.system) / 1000 };
}
