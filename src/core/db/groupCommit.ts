import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';

/**
 * Group commit for a site server: transactions commit with synchronous=NORMAL (written to the WAL,
 * not yet flushed), and one fsync of the WAL then makes every transaction committed before it
 * durable at once. A call that wrote waits for the fsync that covers its commit before it is
 * answered, so no answer is sent for a commit a power cut could still take back; concurrent
 * terminals share fsyncs instead of queueing one each.
 *
 * A crash before the fsync leaves those transactions either whole in the WAL or not there at all
 * (SQLite checks each WAL frame's checksum at recovery), and none of them was answered.
 */
export function groupCommit(walFile: string, onError: (error: Error) => void) {
  // The WAL exists while the database is open in WAL mode (the core's connection keeps it).
  const fd = openSync(walFile, 'r+');
  let written = 0;
  let synced = 0;
  let syncing = false;
  let closed = false;
  /** Set by close when its last flush failed: what waits for it, or asks after it, is told. */
  let closeFailure: Error | undefined;
  /** Flushes done and the time they took, for the server's health (how many commits each covers). */
  const flushed = { count: 0, ms: 0 };
  const waiting: { upTo: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  const settle = (failure?: Error) => {
    for (let i = waiting.length - 1; i >= 0; i--) {
      const waiter = waiting[i]!;
      if (failure) waiter.reject(failure);
      else if (waiter.upTo <= synced) waiter.resolve();
      else continue;
      waiting.splice(i, 1);
    }
  };
  const syncNext = () => {
    if (syncing || closed || synced >= written) return;
    syncing = true;
    const upTo = written;
    const started = performance.now();
    fsync(fd, (error) => {
      syncing = false;
      // Closed meanwhile: close flushed everything itself and answered every waiter; the file is closed now.
      if (closed) return closeSync(fd);
      flushed.count++;
      flushed.ms += performance.now() - started;
      if (error) {
        onError(error);
        settle(error);
      } else {
        synced = upTo;
        settle();
      }
      syncNext();
    });
  };

  return {
    /** Notes a commit; returns its number, for durable(). */
    committed: (): number => ++written,
    /** Resolves once commit number `upTo` (and every one before it) is on disk. */
    durable(upTo: number): Promise<void> {
      // After close nothing more is written (a call that reaches the closed core commits nothing).
      if (closed) return closeFailure ? Promise.reject(closeFailure) : Promise.resolve();
      if (upTo <= synced) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiting.push({ upTo, resolve, reject });
        syncNext();
      });
    },
    /** Commits and flushes so far, and the time spent flushing. */
    stats: () => ({ commits: written, flushes: flushed.count, flushMs: flushed.ms }),
    /**
     * After the database closed: flushes what is left and answers every call still waiting (a
     * restart of the core in the server's process closes it while other terminals' calls wait).
     */
    close(): void {
      if (closed) return;
      closed = true;
      try {
        fsyncSync(fd);
        synced = written;
        settle();
      } catch (error) {
        closeFailure = error as Error;
        onError(closeFailure);
        settle(closeFailure);
      }
      // A flush under way closes the file when it is done.
      if (!syncing) closeSync(fd);
    },
  };
}
export type GroupCommit = ReturnType<typeof groupCommit>;
