import { performance } from 'node:perf_hooks';
import { createApp } from '../src/core/app';

/**
 * Run as its own process by the benchmark: the time from process start (performance's time
 * origin) until createApp has opened the database, applied migrations, started the modules
 * and built the handler table. Prints { startupMs, startupCpuMs, rssMb } as JSON.
 */
const [dataDir, assetsRoot] = process.argv.slice(2);
if (!dataDir || !assetsRoot) throw new Error('usage: startupProbe <dataDir> <assetsRoot>');
const app = createApp({ dataDir, assetsRoot, log: () => {} });
const startupMs = performance.now();
// CPU time of the whole process so far (every thread): what the start costs, whatever else runs on the machine.
const { user, system } = process.cpuUsage();
const rssMb = process.memoryUsage().rss / 2 ** 20;
app.close();
process.stdout.write(JSON.stringify({ startupMs, startupCpuMs: (user + system) / 1000, rssMb }));
