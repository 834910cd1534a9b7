import { createApp } from '../src/core/app';
import { measureWrites } from './measure';
import { callerFor } from './signedIn';

/**
 * Transitions alone, for A/B comparisons of their cost (e.g. one module switched off in the data
 * folder's settings): `node out/bench/writeProbe.mjs <dataDir> <assetsRoot> <databasePath> <ops>`
 * prints the app's and the raw floor's CPU milliseconds per write, medians and throughput ratio.
 */
const [dataDir, assetsRoot, databasePath, ops = '500'] = process.argv.slice(2);
if (!dataDir || !assetsRoot || !databasePath) throw new Error('usage: writeProbe <dataDir> <assetsRoot> <databasePath> [ops]');
const app = createApp({ dataDir, assetsRoot, log: () => {} });
const w = await measureWrites(app, callerFor(app, 'bench'), databasePath, Number(ops));
app.close();
process.stdout.write(`${JSON.stringify({ appCpuMsPerOp: +w.transition.cpuMsPerOp.toFixed(3), rawCpuMsPerOp: +w.rawFloor.cpuMsPerOp.toFixed(3), appMedianMs: +w.transition.medianMs.toFixed(2), rawMedianMs: +w.rawFloor.medianMs.toFixed(2), appP99Ms: +w.transition.p99Ms.toFixed(2), rawP99Ms: +w.rawFloor.p99Ms.toFixed(2), ratio: +(w.transition.opsPerS / w.rawFloor.opsPerS).toFixed(2) })}\n`);
