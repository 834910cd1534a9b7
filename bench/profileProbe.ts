import { join, resolve } from 'node:path';
import { createApp } from '../src/core/app';
import { benchArgs } from './args';
import { benchDatabase } from './buildDatabase';
import { measureReads, measureWrites } from './measure';
import { benchSettings } from './settings';
import { callerFor } from './signedIn';

/**
 * For profiling the write path (not part of npm run bench):
 *   node --cpu-prof --cpu-prof-dir=<dir> out/bench/profileProbe.mjs --items N --ops N
 * builds or reuses bench/cache/items-N, then runs the bench's transitions against the raw floor
 * (or, with PROBE=reads, its reads) and prints their timings as JSON. PROBE_OFF=audit,reports
 * switches those modules off for the run, to see what each adds to a transition.
 */
const root = resolve(import.meta.dirname, '../..');
const args = benchArgs(process.argv.slice(2));
const db = await benchDatabase({ items: args.items, assetsRoot: root, cacheRoot: join(root, 'bench', 'cache'), log: (m) => console.error(m) });
benchSettings(db.dataDir, root, (process.env['PROBE_OFF'] ?? '').split(',').filter(Boolean));
const app = createApp({ dataDir: db.dataDir, assetsRoot: root, log: () => {} });
const call = callerFor(app, 'bench'); // sign-in off here: the write path alone
// PROBE=reads: the bench's reads (queue pages, counts, searches) instead of the writes.
const measured = process.env['PROBE'] === 'reads' ? await measureReads(call, db.databasePath, args.runs) : await measureWrites(app, call, db.databasePath, args.ops);
app.close();
process.stdout.write(`${JSON.stringify(measured, null, 2)}\n`);
