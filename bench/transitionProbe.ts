import Database from 'better-sqlite3';
import { PerformanceObserver } from 'node:perf_hooks';
import { createApp } from '../src/core/app';
import { BENCH_PEOPLE, signedInCaller } from './signedIn';

/**
 * Where the slow transitions come from: `node out/bench/transitionProbe.mjs <dataDir> <assetsRoot> <databasePath> [n]`
 * approves/rejects n active items with an e-signature, as the bench's write loop does, and prints each
 * call over 5 ms with the garbage collections that overlapped it, beside the physical floor (one
 * update and one insert in their own transaction) written after each call, so both see the same disk.
 */
const [dataDir, assetsRoot, databasePath, n = '3000'] = process.argv.slice(2);
if (!dataDir || !assetsRoot || !databasePath) throw new Error('usage: transitionProbe <dataDir> <assetsRoot> <databasePath> [n]');
const now = () => performance.timeOrigin + performance.now();
const gcs: { start: number; end: number; kind: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.startTime + e.duration, kind: (e as unknown as { detail: { kind: number } }).detail?.kind });
}).observe({ entryTypes: ['gc'] });

const items = (() => {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.prepare(`select wi.id, wi.version, wi.current_step as currentStep from work_items wi where wi.status = 'active' order by random() limit ?`).all(Number(n)) as { id: number; version: number; currentStep: number }[];
  } finally {
    db.close();
  }
})();
// The physical floor beside each call: a row updated and a row inserted in one immediate transaction,
// in a table of its own (dropped at the end), on a connection with the app's pragmas.
const raw = new Database(databasePath);
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = FULL');
raw.pragma('busy_timeout = 5000');
raw.pragma('wal_autocheckpoint = 10000');
raw.exec('create table if not exists bench_floor (id integer primary key, item_id integer not null, at integer not null)');
const touch = raw.prepare('update work_items set updated_at = updated_at where id = ?');
const insert = raw.prepare('insert into bench_floor (item_id, at) values (?, ?)');
const floorWrite = raw.transaction((i: number) => {
  touch.run(items[i]!.id);
  insert.run(items[i]!.id, Date.now());
});
const floor: number[] = [];
const app = createApp({ dataDir, assetsRoot, log: () => {} });
const admin = await signedInCaller(app, 'admin');
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const slow: unknown[] = [];
const samples: number[] = [];
for (const item of items) {
  const signature = { secret: BENCH_PEOPLE.admin.secret };
  const t = now();
  await admin('workItems.approve', { id: item.id, expectedVersion: item.version, signature });
  const end = now();
  samples.push(end - t);
  if (end - t > 5) slow.push({ i: samples.length - 1, ms: +(end - t).toFixed(1), t, end });
  await turn();
  const f = now();
  floorWrite.immediate(samples.length - 1);
  floor.push(now() - f);
  await turn();
}
await new Promise((r) => setTimeout(r, 300));
app.close();
raw.exec('drop table bench_floor');
raw.close();
const overlaps = (a: { start: number; end: number }, s: { t: number; end: number }) => a.start < s.end && a.end > s.t;
const sorted = [...samples].sort((a, b) => a - b);
console.log(JSON.stringify({
  n: samples.length,
  p50: sorted[Math.floor(sorted.length / 2)]!.toFixed(2),
  p99: sorted[Math.floor(sorted.length * 0.99)]!.toFixed(2),
  max: sorted[sorted.length - 1]!.toFixed(1),
  over10: samples.filter((s) => s > 10).length,
  floorMax: Math.max(...floor).toFixed(1),
  floorOver10: floor.filter((s) => s > 10).length,
  floorOver5: floor.filter((s) => s > 5).length,
  gcs: gcs.length,
}));
for (const s of slow as { i: number; ms: number; t: number; end: number }[]) {
  const g = gcs.filter((x) => overlaps(x, s)).map((x) => `gc${x.kind}:${(x.end - x.start).toFixed(1)}`);
  console.log(s.i, s.ms, g.join(' '));
}
