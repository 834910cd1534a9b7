import { PerformanceObserver } from 'node:perf_hooks';

const TICK_MS = 50;

/**
 * Logs what kept the server's one thread from answering: a long garbage collection, or a late
 * timer tick with the CPU the process used meanwhile. Much CPU: work in this process held it (the
 * core logs its own slow transactions and deferred work beside this); little: it waited on the
 * disk in a synchronous call, or the machine did not run it.
 */
export function watchStalls(log: (message: string) => void, thresholdMs = 250): () => void {
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration >= thresholdMs) log(`Stall: a garbage collection took ${Math.round(entry.duration)} ms.`);
    }
  });
  collections.observe({ entryTypes: ['gc'] });
  let last = performance.now();
  let cpuBefore = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late >= thresholdMs) {
      const cpu = process.cpuUsage(cpuBefore);
      log(`Stall: the event loop was held ${Math.round(late)} ms; the process used ${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU (all its threads) meanwhile.`);
    }
    last = now;
    cpuBefore = process.cpuUsage();
  }, TICK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    collections.disconnect();
  };
}
