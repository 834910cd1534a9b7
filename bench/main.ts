import { execFileSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createApp } from '../src/core/app';
import { benchArgs } from './args';
import { auditProjection, auditTrailSize } from './auditSize';
import { benchDatabase } from './buildDatabase';
import { benchSettings } from './settings';
import { signedInDataDir } from './signedIn';
import type { OtherReportResults, ReadResults, ReportResults, ViewResults, WriteResults } from './measure';
import { rendererSize } from './rendererSize';
import { percentile } from './stats';
import { printTable } from './table';

/**
 * npm run bench [-- --items N --ops N --runs N --out file]: builds (or reuses) the synthetic
 * database, then measures startup and the core's reads, report and writes in fresh processes.
 * Runs from out/bench/ (built by bench/vite.config.ts).
 */
const root = resolve(import.meta.dirname, '../..');
const args = benchArgs(process.argv.slice(2));
const log = (m: string) => console.log(m);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

log(`Benchmark at ${args.items.toLocaleString('en')} items`);
const db = await benchDatabase({ items: args.items, assetsRoot: root, cacheRoot: join(root, 'bench', 'cache'), log });
log(db.built ? `Built the database in ${(db.buildMs / 1000).toFixed(1)} s (${(db.buildCpuMs / 1000).toFixed(1)} s of CPU)` : `Reusing ${db.databasePath}`);

benchSettings(db.dataDir, root);
// Measured as the app ships, sign-in on: a copy of the database with the bench's people (made once).
const dataDir = await signedInDataDir(db.dataDir, root, log);
const databasePath = join(dataDir, basename(db.databasePath));
benchSettings(dataDir, root, [], { users: true });
// The first open applies migrations newer than the cached database; startup is measured after.
let started = performance.now();
createApp({ dataDir, assetsRoot: root, log: () => {} }).close();
const firstOpenMs = performance.now() - started;

const node = (script: string, ...rest: string[]) => JSON.parse(execFileSync(process.execPath, [join(import.meta.dirname, script), ...rest], { encoding: 'utf8', maxBuffer: 1 << 24 }));
const startups = Array.from({ length: 7 }, () => node('startupProbe.mjs', dataDir, root) as { startupMs: number; startupCpuMs: number; rssMb: number });
const startupMs = percentile(startups.map((s) => s.startupMs), 50);
const startupCpuMs = percentile(startups.map((s) => s.startupCpuMs), 50);

log('Measuring reads, the report and writes…');
const auditBefore = auditTrailSize(databasePath);
started = performance.now();
const m = node('measureProbe.mjs', dataDir, root, databasePath, String(args.ops), String(args.runs)) as ReadResults & { views: ViewResults } &
  ReportResults &
  OtherReportResults &
  WriteResults & { rssAfterStartupMb: number; rssAfterReportMb: number };
const measureS = (performance.now() - started) / 1000;

const fileMb = (f: string) => (existsSync(f) ? statSync(f).size / 2 ** 20 : 0);
const dbMb = fileMb(databasePath) + fileMb(`${databasePath}-wal`);
const renderer = rendererSize(root);
const audit = auditProjection(auditBefore, auditTrailSize(databasePath));

const results = {
  items: args.items,
  transition_ops_per_s: round(m.transition.opsPerS, 1),
  raw_floor_ops_per_s: round(m.rawFloor.opsPerS, 1),
  transition_vs_floor: round(m.transition.opsPerS / m.rawFloor.opsPerS, 3),
  transition_median_ms: round(m.transition.medianMs),
  transition_p95_ms: round(m.transition.p95Ms),
  transition_p99_ms: round(m.transition.p99Ms),
  transition_max_ms: round(m.transition.maxMs),
  transitions_over_10ms: m.transitionsOver10Ms,
  transition_cpu_ms_per_op: round(m.transition.cpuMsPerOp, 3),
  transition_deferred_max_ms: round(m.deferredMaxMs, 1),
  raw_floor_median_ms: round(m.rawFloor.medianMs),
  raw_floor_cpu_ms_per_op: round(m.rawFloor.cpuMsPerOp, 3),
  raw_floor_p99_ms: round(m.rawFloor.p99Ms),
  raw_floor_max_ms: round(m.rawFloor.maxMs),
  raw_floor_over_10ms: m.rawFloorOver10Ms,
  queue_list_median_ms: round(m.queueList.medianMs),
  queue_list_p95_ms: round(m.queueList.p95Ms),
  approvals_mine_p95_ms: round(m.views.approvalsMine.p95Ms),
  approvals_all_p95_ms: round(m.views.approvalsAll.p95Ms),
  template_filter_p95_ms: round(m.views.templateFilter.p95Ms),
  template_filter_max_ms: round(m.views.templateFilter.maxMs),
  overdue_list_p95_ms: round(m.views.overdueList.p95Ms),
  counts_median_ms: round(m.counts.medianMs),
  counts_p95_ms: round(m.counts.p95Ms),
  search_median_ms: round(m.search.medianMs),
  search_p95_ms: round(m.search.p95Ms),
  search_p95_ms_by_kind: Object.fromEntries(Object.entries(m.searchByKind).map(([k, t]) => [k, round(t.p95Ms)])),
  report_ms: round(m.report.medianMs, 0),
  report_max_stall_ms: round(m.maxStallMs, 1),
  year_reports_ms: Object.fromEntries(Object.entries(m.yearReportsMs).map(([k, ms]) => [k, round(ms, 0)])),
  year_reports_max_stall_ms: round(m.yearReportsMaxStallMs, 1),
  startup_ms: round(startupMs, 0),
  startup_cpu_ms: round(startupCpuMs, 0),
  rss_mb: round(Math.max(m.rssAfterStartupMb, m.rssAfterReportMb), 0),
  rss_after_startup_mb: round(m.rssAfterStartupMb, 0),
  rss_after_report_mb: round(m.rssAfterReportMb, 0),
  db_mb: round(dbMb, 0),
  audit_measured_events: audit?.measuredEvents ?? null,
  audit_bytes_per_event: audit ? round(audit.bytesPerEvent, 1) : null,
  audit_projected_mb: audit ? round(audit.projectedMb, 0) : null,
  db_with_audit_trail_mb: audit ? round(dbMb + audit.projectedMb, 0) : null,
  renderer_js_kb: renderer?.totalKb ?? null,
  renderer_first_paint_js_kb: renderer?.firstPaintKb ?? null,
  renderer_first_paint_js_gzip_kb: renderer?.firstPaintGzipKb ?? null,
  renderer_largest_chunk_kb: renderer?.largestChunkKb ?? null,
  renderer_chunks: renderer?.chunks ?? null,
  first_open_ms: round(firstOpenMs, 0),
  build_db_s: db.built ? round(db.buildMs / 1000, 1) : null,
  build_db_cpu_s: db.built ? round(db.buildCpuMs / 1000, 1) : null,
  measure_s: round(measureS, 1),
  runs: { ops: args.ops, reads: args.runs },
  measured_at: new Date().toISOString(),
  // Other work on this machine slows every figure: the load average says how much there was.
  load_average_1m: round(loadavg()[0]!, 1),
};

printTable(results);
const out = args.out ? resolve(args.out) : join(root, 'bench', 'results.json');
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log(`\nWrote ${out}`);

// The site run (bench/site.ts): a site server and simulated terminals over TLS; its own results file.
if (!args.skipSite) {
  log('\nSite run (npm run bench:site; skip with --skip-site)…');
  execFileSync(process.execPath, [join(import.meta.dirname, 'site.mjs')], { stdio: 'inherit' });
}
