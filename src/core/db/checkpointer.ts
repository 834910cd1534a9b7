import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * Copies the write-ahead log back into the database file on a worker thread, so no call waits
 * for it. Left to SQLite, the commit that takes the log past 1,000 pages does that copy itself
 * (thousands of page writes and an fsync of the file): about one transition in forty paid ~10 ms
 * for it, which set their p99. The worker runs a PASSIVE checkpoint every `intervalMs`, which
 * never blocks the writer, then finishes a long log off so that it starts over (see the worker);
 * the app's own connection still checkpoints past `BACKSTOP_PAGES`, in case the worker cannot keep
 * up or is gone.
 */
export interface Checkpointer {
  /** Starts the worker soon, off the current call (starting a thread costs ~20 ms). Idempotent. */
  wake(): void;
  /**
   * Closes the worker's connection before returning, so the app's close is the last one. Says how
   * the worker ended: stopped, failed to open the file, never started, or timed out (then ended anyway).
   */
  stop(): 'stopped' | 'failed' | 'never-started' | 'timed-out';
}

export const BACKSTOP_PAGES = 10_000;
/** A log longer than this (~4 MB) is finished off after a passive pass, so it can start over (see the worker). */
const FINISH_AFTER_PAGES = 1_000;
const STOP_TIMEOUT_MS = 5000;

/** The worker's state, shared with it: 0 while it starts, then listening (or failed to open), then stopped. */
const STARTING = 0;
const LISTENING = 1;
const STOPPED = 2;
const FAILED = 3;

// Given as text (eval), like the background reader, so it needs no file beside the bundle.
const WORKER_SOURCE = `
const LISTENING = ${LISTENING}, STOPPED = ${STOPPED}, FAILED = ${FAILED};
const { parentPort, workerData } = require('node:worker_threads');
const settle = (to) => { Atomics.store(workerData.state, 0, to); Atomics.notify(workerData.state, 0); };
let db;
try {
  const Database = require(workerData.driverPath);
  db = new Database(workerData.file, { fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
} catch {
  // No database to checkpoint (gone, or not one): the app's backstop does it; this thread ends.
  try { db?.close(); } catch {}
  db = null;
  settle(FAILED);
}
if (db) {
  const timer = setInterval(() => {
    try {
      const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
      // Under a steady stream of commits (on the app's thread, in parallel with this one) a passive
      // pass always has commits landing during it — even when it says it copied all it saw — so the
      // log never starts over and grows to the backstop, whose checkpoint inside a commit stalls it.
      // A log past FINISH_AFTER_PAGES is finished off with the write lock held (FULL): a commit
      // waits for the few frames that came in meanwhile, and the next one starts the log over.
      // Without a busy handler it never waits: a commit under way, or a reader on an old snapshot,
      // and it ends as a passive pass would.
      if (log > workerData.finishAfterPages) {
        // Another passive pass first copies what came in during the first, so the commits that wait
        // for the FULL one wait only for what came in during the second.
        db.pragma('wal_checkpoint(PASSIVE)');
        db.pragma('busy_timeout = 0');
        try {
          db.pragma('wal_checkpoint(FULL)');
        } finally {
          db.pragma('busy_timeout = 5000');
        }
      }
    } catch {
      // Busy or briefly unavailable: the next round tries again, and the app's backstop covers a long wait.
    }
  }, workerData.intervalMs);
  parentPort.on('message', () => {
    clearInterval(timer);
    try { db.close(); } finally {
      settle(STOPPED);
    }
  });
  settle(LISTENING);
}
`;

export function createCheckpointer(connection: Database.Database, file: string, options: { nativeBinding?: string | undefined; intervalMs?: number } = {}): Checkpointer {
  connection.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let worker: Worker | null = null;
  let state: Int32Array | null = null;
  let scheduled: NodeJS.Timeout | null = null;
  let ended = false;

  const start = () => {
    scheduled = null;
    if (ended || worker) return;
    state = new Int32Array(new SharedArrayBuffer(4));
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driverPath, file, nativeBinding: options.nativeBinding, intervalMs: options.intervalMs ?? 250, finishAfterPages: FINISH_AFTER_PAGES, state },
    });
    // A failed worker leaves the backstop to checkpoint; nothing else depends on it.
    worker.on('error', () => (worker = null));
    worker.unref();
  };

  return {
    wake() {
      if (ended || worker || scheduled) return;
      scheduled = setTimeout(start, 0);
      scheduled.unref();
    },
    stop() {
      ended = true;
      if (scheduled) clearTimeout(scheduled);
      const w = worker;
      worker = null;
      if (!w || !state) return 'never-started';
      // A worker still opening its connection is waited for, not terminated: ending a thread inside
      // SQLite's open (a file just removed, as a restore does) aborts the whole process in V8.
      Atomics.wait(state, 0, STARTING, STOP_TIMEOUT_MS);
      if (Atomics.load(state, 0) === LISTENING) {
        w.postMessage('stop');
        Atomics.wait(state, 0, LISTENING, STOP_TIMEOUT_MS);
      }
      const final = Atomics.load(state, 0);
      void w.terminate();
      return final === STOPPED ? 'stopped' : final === FAILED ? 'failed' : 'timed-out';
    },
  };
}
