/** How long work asked for with ModuleContext.soon waits, so a burst of calls shares one run. */
export const SOON_DELAY_MS = 100;

/**
 * Runs one drain makes at most: a job with a long backlog (a trail switched off for months,
 * sealing 50 events a run) must not hold up close for minutes; it goes on at the next start.
 */
const MAX_DRAIN_ROUNDS = 1_000;

/**
 * Runs jobs a little after the calls that asked for them, each once however often it was asked
 * for meanwhile (a job is known by its function, so pass the same one each time).
 */
export function createSoon(log: (message: string) => void, delayMs = SOON_DELAY_MS) {
  const jobs = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const runAll = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const job of [...jobs]) {
      // Removed first, so a job that has more to do can ask again for the next run.
      jobs.delete(job);
      try {
        job();
      } catch (error) {
        log(`Deferred work failed (it runs again when next asked for): ${(error as Error)?.stack ?? String(error)}`);
      }
    }
  };
  return {
    soon(job: () => void): void {
      jobs.add(job);
      timer ??= setTimeout(runAll, delayMs);
    },
    /** Runs what is waiting now, and what that asks for, until nothing is left or MAX_DRAIN_ROUNDS (at close, for the bench and tests). */
    drain(): void {
      for (let rounds = 0; jobs.size > 0 && rounds < MAX_DRAIN_ROUNDS; rounds++) runAll();
    },
  };
}
