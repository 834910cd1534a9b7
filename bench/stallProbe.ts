import { createApp } from '../src/core/app';

/**
 * Where the event loop stalls while a report runs: `node out/bench/stallProbe.mjs <dataDir> <assetsRoot> [channel]`
 * prints every stall over 5 ms with the time it happened (ms after the call) and the call's end.
 */
const [dataDir, assetsRoot, channel = 'reports.cycleTime'] = process.argv.slice(2);
if (!dataDir || !assetsRoot) throw new Error('usage: stallProbe <dataDir> <assetsRoot> [channel]');
const app = createApp({ dataDir, assetsRoot, log: () => {} });
const to = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - 6 * 365 * 86_400_000).toISOString().slice(0, 10);
const input = channel === 'reports.cycleTime' ? { from, to } : {};
for (let run = 0; run < 2; run++) {
  const stalls: { at: number; ms: number }[] = [];
  const t0 = performance.now();
  let last = t0;
  const meter = setInterval(() => {
    const t = performance.now();
    if (t - last - 1 > 5) stalls.push({ at: Math.round(last - t0), ms: Math.round(t - last - 1) });
    last = t;
  }, 1);
  const result = await app.invoke(channel, input);
  const took = performance.now() - t0;
  clearInterval(meter);
  console.log(JSON.stringify({ run, ok: result.ok, tookMs: Math.round(took), stalls }));
}
app.close();
