import { outsideCall } from '../callScope';

/** How long work asked for with ModuleContext.soon waits, so a burst of calls shares one run. */
export const SOON_DELAY_MS = 100;

/**
 * Job runs one drain makes at most: a job with a long backlog (a trail switched off for months,
 * sealing 50 events a run) must not hold up close for minutes; it goes on at the next start.
 */
const MAX_DRAIN_RUNS = 1_000;

/**
 * Runs jobs a little after the calls that asked for them, each once however often it was asked
 * for meanwhile (a job is known by its function, so pass the same one each time). One job per
 * turn of the event loop, so a call arriving meanwhile waits for one job at most, not for all.
 */
export function createSoon(
  log: (message: string) => void,
  delayMs = SOON_DELAY_MS,
  noteIfSlow: (what: string, ms: number) => void = () => {},
  /** Runs a job now if the database allows it (not inside another call's transaction); false: not run. */
  runNow: (job: () => void) => boolean = (job) => (job(), true),
) {
  const jobs = new Set<() => void>();
  /** Jobs asked for withinMs, each with the timer that moves it to `jobs`. */
  const later = new Map<() => void, ReturnType<typeof setTimeout>>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let nextTurn: ReturnType<typeof setImmediate> | null = null;

  const runOne = (job: () => void) => {
    // Removed first, so a job that has more to do can ask again for a later run.
    jobs.delete(job);
    const started = performance.now();
    try {
      // Its timer may have been set during a call; the job is not that call's (terminal, command key).
      if (!outsideCall(() => runNow(job))) {
        // A call's transaction is open: the job waits for its next turn.
        jobs.add(job);
        timer ??= setTimeout(runInTurns, delayMs);
        return;
      }
      noteIfSlow(`Deferred work (${job.name || 'unnamed'})`, performance.now() - started);
    } catch (error) {
      log(`Deferred work failed (it runs again when next asked for): ${(error as Error)?.stack ?? String(error)}`);
    }
  };

  const runInTurns = () => {
    timer = null;
    nextTurn = null;
    const [job] = jobs;
    if (!job) return;
    runOne(job);
    // A job that asked again waits for its timer; the others run in the next turns.
    if (jobs.size > 0 && !timer) nextTurn = setImmediate(runInTurns);
  };

  const now = (job: () => void) => {
    const waiting = later.get(job);
    if (waiting) clearTimeout(waiting);
    later.delete(job);
    jobs.add(job);
    timer ??= setTimeout(runInTurns, delayMs);
  };

  return {
    soon(job: () => void, options: { withinMs?: number } = {}): void {
      const within = options.withinMs ?? delayMs;
      if (within <= delayMs) return now(job);
      // Already due sooner, or already waiting: the earlier time holds.
      if (jobs.has(job) || later.has(job)) return;
      const waiting = setTimeout(() => now(job), within);
      waiting.unref?.();
      later.set(job, waiting);
    },
    /** Runs what is waiting (also what may wait longer), and what that asks for, until nothing is left or MAX_DRAIN_RUNS (at close, for the bench and tests). */
    drain(): void {
      for (const job of [...later.keys()]) now(job);
      if (timer) clearTimeout(timer);
      if (nextTurn) clearImmediate(nextTurn);
      timer = null;
      nextTurn = null;
      for (let runs = 0; runs < MAX_DRAIN_RUNS; runs++) {
        const [job] = jobs;
        if (!job) break;
        runOne(job);
      }
      // A job that asked again during the drain (past the limit) keeps its place for later.
      if (jobs.size > 0) timer = setTimeout(runInTurns, delayMs);
    },
  };
}
