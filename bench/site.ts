import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../src/core/app';
import { benchDatabase } from './buildDatabase';
import { benchSettings } from './settings';
import { rawCommitFloor } from './siteFloor';
import { startBenchServer, type BenchServer } from './siteServerProcess';
import { connectTerminals, type BenchSample, type BenchTerminal } from './siteTerminals';
import { percentile } from './stats';

/**
 * npm run bench:site (and the end of npm run bench): one site server, simulated terminals each with
 * a signed-in person, over TLS on loopback.
 * - Latency at a hangar's shift-change rate (open loop: ~50 reads/s and ~5 e-signed transitions/s
 *   spread over the terminals) at 50 and 200 terminals, then at multiples of it (capacity).
 * - Throughput without signatures at 64 concurrent terminals, against the single-commit raw floor
 *   measured in the same run.
 * The load generator runs in this process on the same machine as the server: both share its cores.
 */
const root = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '20' },
    levels: { type: 'string', default: '50,200' },
    capacity: { type: 'string', default: '2,4' },
    'throughput-terminals': { type: 'string', default: '64' },
    out: { type: 'string' },
    only: { type: 'string' },
  },
});
if (args.only && !['latency', 'throughput'].includes(args.only)) throw new Error(`--only must be latency or throughput, not "${args.only}"`);
const items = Number(args.items);
const durationS = Number(args.duration);
const levels = args.levels.split(',').map(Number);
const capacity = args.capacity.split(',').map(Number).filter((n) => n > 0);
const throughputTerminals = Number(args['throughput-terminals']);
const PEOPLE = Math.max(...levels);
const DEPARTMENTS = [
  { code: 'ENG', name: 'Engineering' },
  { code: 'QC', name: 'Quality Control' },
  { code: 'OPS', name: 'Operations' },
];
const log = (m: string) => console.log(m);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Person {
  number: string;
  secret: string;
  department: string;
}

/** The bench database with sign-in on and PEOPLE people in the three departments (cached: hashing their PINs takes a while). */
async function seededSite(): Promise<{ dataDir: string; plainDir: string; people: Person[] }> {
  const db = await benchDatabase({ items, assetsRoot: root, cacheRoot: join(root, 'bench', 'cache'), log });
  const dataDir = join(root, 'bench', 'cache', `site-${items}-${PEOPLE}`);
  const peopleFile = join(dataDir, 'people.json');
  if (existsSync(peopleFile)) return { dataDir, plainDir: db.dataDir, people: JSON.parse(readFileSync(peopleFile, 'utf8')) as Person[] };
  log(`Seeding a site database: ${PEOPLE} people with PINs (scrypt at the shipped cost)…`);
  const building = `${dataDir}.building`;
  rmSync(building, { recursive: true, force: true });
  cpSync(db.dataDir, building, { recursive: true });
  benchSettings(building, root);
  const settingsPath = join(building, 'settings.json');
  const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
  settings.modules.users = { ...settings.modules.users, enabled: true };
  writeFileSync(settingsPath, JSON.stringify(settings, null, 2));
  const app = createApp({ dataDir: building, assetsRoot: root, log: () => {} });
  const call = async (channel: string, input: unknown) => {
    const result = await app.invoke(channel, input, 'seed');
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value;
  };
  await call('users.setupFirstAdmin', { name: 'Bench Admin', number: 'ADM1', secret: '739146', confirm: '739146' });
  const people: Person[] = [];
  await Promise.all(
    Array.from({ length: PEOPLE }, async (_, i) => {
      const department = DEPARTMENTS[i % DEPARTMENTS.length]!;
      const person = { number: `B${1000 + i}`, secret: String(300000 + ((i * 7919) % 600000)), department: department.name };
      await call('users.create', { name: `Bench person ${i}`, number: person.number, role: 'staff', departments: [department.code], secret: person.secret });
      people[i] = person;
    }),
  );
  app.close();
  writeFileSync(join(building, 'people.json'), JSON.stringify(people));
  renameSync(building, dataDir);
  return { dataDir, plainDir: db.dataDir, people };
}

/** A copy of a prepared folder for one run: the server's writes never touch the cache. */
function runCopy(from: string, usersOn: boolean): string {
  // On the project's disk, as the cached database is: a temporary folder may be memory, where an fsync costs nothing.
  const runs = join(root, 'bench', 'cache', 'runs');
  mkdirSync(runs, { recursive: true });
  const dir = mkdtempSync(join(runs, 'site-'));
  cpSync(from, dir, { recursive: true });
  if (!usersOn) benchSettings(dir, root);
  return dir;
}

type Sample = BenchSample;

/** Open-loop load: operations start on a Poisson schedule whatever the earlier ones are doing. */
async function openLoop(terminals: BenchTerminal[], rate: { reads: number; transitions: number }, seconds: number): Promise<{ samples: Sample[]; visible: number[] }> {
  const samples: Sample[] = [];
  const running: Promise<void>[] = [];
  const end = performance.now() + seconds * 1000;
  const pick = () => terminals[Math.floor(Math.random() * terminals.length)]!;
  const schedule = async (perSecond: number, run: (t: BenchTerminal) => Promise<Sample>) => {
    for (let next = performance.now(); next < end; next += -Math.log(1 - Math.random()) * (1000 / perSecond)) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      running.push(run(pick()).then((s) => void samples.push(s)));
    }
  };
  for (const t of terminals) t.visibility.splice(0);
  await Promise.all([schedule(rate.reads, (t) => t.read()), schedule(rate.transitions, (t) => t.transition())]);
  await Promise.all(running);
  await new Promise((r) => setTimeout(r, 500)); // the last events reach their observers
  return { samples, visible: terminals.flatMap((t) => t.visibility.splice(0)) };
}

const opRow = (label: string, samples: Sample[]) => {
  const ok = samples.filter((s) => s.ok).map((s) => s.ms);
  return {
    operation: label,
    n: samples.length,
    ok: ok.length,
    conflicts: samples.filter((s) => s.conflict).length,
    p50_ms: round(percentile(ok, 50)),
    p95_ms: round(percentile(ok, 95)),
    p99_ms: round(percentile(ok, 99)),
  };
};

async function latencyRuns(server: BenchServer, people: Person[]) {
  const all = await connectTerminals(server, people.slice(0, PEOPLE), log);
  const results: Record<string, unknown>[] = [];
  const runs: { terminals: number; multiple: number }[] = [...levels.map((t) => ({ terminals: t, multiple: 1 })), ...capacity.map((m) => ({ terminals: Math.max(...levels), multiple: m }))];
  for (const { terminals: count, multiple } of runs) {
    const terminals = all.slice(0, count);
    const rate = { reads: 50 * multiple, transitions: 5 * multiple };
    log(`Open loop: ${count} terminals, ${rate.reads} reads/s and ${rate.transitions} e-signed transitions/s for ${durationS} s…`);
    for (const t of terminals) await t.refreshQueue();
    await server.longestStallMs(); // starts the window
    const windowStart = Date.now();
    const before = server.usage();
    const clientBefore = process.cpuUsage();
    const { samples, visible } = await openLoop(terminals, rate, durationS);
    const after = server.usage();
    const client = process.cpuUsage(clientBefore);
    const stall = await server.longestStallMs();
    const stallsLogged = server.stallsLogged(windowStart);
    for (const line of stallsLogged.slice(0, 10)) log(`  server log: ${line}`);
    const transitions = samples.filter((s) => s.op.startsWith('e-signed') && s.ok).length;
    const reads = samples.filter((s) => !s.op.startsWith('e-signed'));
    for (const op of ['queue page', 'item view', 'search', 'e-signed approve', 'e-signed reject']) {
      results.push({ terminals: count, load: `×${multiple}`, ...opRow(op, samples.filter((s) => s.op === op)) });
    }
    results.push({ terminals: count, load: `×${multiple}`, ...opRow('all reads', reads) });
    results.push({
      terminals: count,
      load: `×${multiple}`,
      operation: 'change visible at another terminal',
      n: visible.length,
      ok: visible.length,
      conflicts: 0,
      p50_ms: round(percentile(visible, 50)),
      p95_ms: round(percentile(visible, 95)),
      p99_ms: round(percentile(visible, 99)),
      server_cpu_ms_per_transition: transitions ? round((after.cpuMs - before.cpuMs) / transitions) : null,
      server_rss_mb: round(after.rssMb),
      throughput_ops_per_s: round(samples.filter((s) => s.ok).length / durationS),
      // Both share the machine's cores: a load generator near a core of its own delays what it measures.
      server_cores_busy: round((after.cpuMs - before.cpuMs) / (durationS * 1000), 2),
      load_generator_cores_busy: round((client.user + client.system) / 1000 / (durationS * 1000), 2),
      server_longest_stall_ms: stall,
      server_stalls_logged: stallsLogged.length,
    });
  }
  for (const t of all) t.close();
  return results;
}

async function throughputRun(server: BenchServer) {
  const terminals = await connectTerminals(server, Array.from({ length: throughputTerminals }, () => null), log);
  log(`Throughput without signatures: ${throughputTerminals} terminals, each creating and approving items back to back for ${durationS} s…`);
  const before = server.usage();
  const flushedBefore = await server.durability();
  const end = performance.now() + durationS * 1000;
  const latencies: number[] = [];
  let transitions = 0;
  await Promise.all(
    terminals.map(async (t) => {
      while (performance.now() < end) {
        const done = await t.createAndApprove();
        transitions += done.transitions;
        latencies.push(...done.ms);
      }
    }),
  );
  const after = server.usage();
  const flushedAfter = await server.durability();
  for (const t of terminals) t.close();
  const flushes = flushedAfter.flushes - flushedBefore.flushes;
  return {
    server_cores_busy: round((after.cpuMs - before.cpuMs) / (durationS * 1000), 2),
    terminals: throughputTerminals,
    transitions_per_s: round(transitions / durationS),
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    server_cpu_ms_per_transition: round((after.cpuMs - before.cpuMs) / Math.max(1, transitions), 2),
    server_rss_mb: round(after.rssMb),
    // Group commit at work: how many commits each fsync of the log made durable, and what one cost.
    server_written_kb_per_transition: round(((after.writtenMb - before.writtenMb) * 1024) / Math.max(1, transitions)),
    commits_per_flush: flushes ? round((flushedAfter.commits - flushedBefore.commits) / flushes) : null,
    flush_ms: flushes ? round((flushedAfter.flushMs - flushedBefore.flushMs) / flushes, 2) : null,
  };
}

const site = await seededSite();
const results: Record<string, unknown> = { items, duration_s: durationS };

let dir: string;
let server: BenchServer;
if (args.only !== 'throughput') {
  dir = runCopy(site.dataDir, true);
  server = await startBenchServer(root, dir);
  try {
    results['latency'] = await latencyRuns(server, site.people);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(results['latency']);
}

// The bench database as built: sign-in never switched on (a database that had it refuses to run without it).
if (args.only !== 'latency') {
  dir = runCopy(site.plainDir, false);
  server = await startBenchServer(root, dir);
  try {
    const floor = rawCommitFloor(dir, 300);
    const throughput = await throughputRun(server);
    results['throughput'] = { ...throughput, raw_floor_commits_per_s: round(floor.commitsPerS), vs_raw_floor: round(throughput.transitions_per_s / floor.commitsPerS, 2) };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.table([results['throughput']]);
}

// A partial run (--only) never replaces the committed results unless asked to with --out.
const out = args.out ?? (args.only ? null : join(root, 'bench', 'site-results.json'));
if (out) {
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`Results written to ${out}`);
}
