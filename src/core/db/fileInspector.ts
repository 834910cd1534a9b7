import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Reads another SQLite file (a backup) on a worker thread with its own read-only connection, so
 * whole-file work (PRAGMA integrity_check, counting rows) never holds the thread that answers calls.
 * One worker per inspection; it ends when the inspection is closed.
 */
export interface FileInspection {
  /**
   * The rows of one statement (a PRAGMA too). Rejects with SQLite's message and its code
   * (`error.code`, e.g. SQLITE_CORRUPT) when the file cannot be opened or the statement fails, and
   * when the worker stops or the statement takes longer than the time allowed: the inspection is
   * then over and every later call is refused the same way.
   */
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Closes the connection and ends the thread; resolves once the file is closed (at once if a statement timed out). */
  close(): Promise<void>;
}

export interface FileInspector {
  /** Starts inspecting a file; `timeoutMs` bounds each statement (10 minutes unless told). */
  open(file: string, options?: { timeoutMs?: number }): FileInspection;
  /**
   * At the core's close: asks every inspection still open to close, and waits (at most a few
   * seconds) for their connections to close. One still inside a statement then ends by itself
   * once SQLite returns.
   */
  stop(): void;
  /** How many inspections' threads have not ended yet. */
  running(): number;
}

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const STOP_WAIT_MS = 5000;

/** The worker's state, shared with it: 0 while it opens the file, then idle, inside a statement, closed (or never opened). */
const IDLE = 1;
const BUSY = 2;
const CLOSED = 3;

// Given as text (eval), like the background reader, so it needs no file beside the bundle. The
// worker is never terminated while inside SQLite (see checkpointer.ts): it ends itself when asked.
const WORKER_SOURCE = `
const IDLE = ${IDLE}, BUSY = ${BUSY}, CLOSED = ${CLOSED};
const { parentPort, workerData } = require('node:worker_threads');
const settle = (to) => { Atomics.store(workerData.state, 0, to); Atomics.notify(workerData.state, 0); };
const failure = (error) => ({ error: String((error && error.message) || error), code: error && typeof error.code === 'string' ? error.code : undefined });
let db = null;
try {
  const Database = require(workerData.driverPath);
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
  db.pragma('busy_timeout = 5000');
} catch (error) {
  try { db && db.close(); } catch {}
  db = null;
  parentPort.postMessage({ id: 0, ...failure(error) });
  settle(CLOSED);
}
if (db) {
  parentPort.on('message', (message) => {
    if (message === 'close') {
      try { db.close(); } catch {}
      settle(CLOSED);
      parentPort.close();
      return;
    }
    settle(BUSY);
    try {
      parentPort.postMessage({ id: message.id, rows: db.prepare(message.sql).all(...message.params) });
    } catch (error) {
      parentPort.postMessage({ id: message.id, ...failure(error) });
    } finally {
      settle(IDLE);
    }
  });
  settle(IDLE);
}
`;

interface Pending {
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Reply {
  id: number;
  rows?: unknown[];
  error?: string;
  code?: string;
}

const failed = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

export function createFileInspector(options: { nativeBinding?: string | undefined } = {}): FileInspector {
  const live = new Map<Worker, Int32Array>();
  let driverPath: string | undefined;

  return {
    open(file, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
      driverPath ??= createRequire(import.meta.url).resolve('better-sqlite3');
      const state = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driverPath, file, nativeBinding: options.nativeBinding, state } });
      live.set(worker, state);
      const pending = new Map<number, Pending>();
      let nextId = 1;
      /** Why the inspection is over, once it is: every later call is refused with it. */
      let over: Error | null = null;
      let exited = false;
      const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

      const settleAll = (error: Error) => {
        over ??= error;
        for (const p of pending.values()) {
          clearTimeout(p.timer);
          p.reject(error);
        }
        pending.clear();
        worker.unref();
      };
      worker.on('message', (reply: Reply) => {
        if (reply.id === 0) return settleAll(failed(`Could not open ${basename(file)}: ${reply.error}`, reply.code));
        const p = pending.get(reply.id);
        if (!p) return;
        pending.delete(reply.id);
        clearTimeout(p.timer);
        if (pending.size === 0) worker.unref();
        if (reply.error !== undefined) p.reject(failed(reply.error, reply.code));
        else p.resolve(reply.rows ?? []);
      });
      worker.on('error', (error) => settleAll(failed(`The thread reading ${basename(file)} failed: ${error.message}`)));
      worker.on('exit', (code) => {
        exited = true;
        live.delete(worker);
        settleAll(failed(`The thread reading ${basename(file)} stopped${code ? ` (exit code ${code})` : ''}.`));
      });
      // Waiting for nothing, it must not keep the process alive; while a statement runs, it does.
      worker.unref();

      const askToClose = () => {
        if (!exited) worker.postMessage('close');
      };
      return {
        all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
          if (over) return Promise.reject(over);
          const id = nextId++;
          return new Promise<T[]>((resolve, reject) => {
            const timer = setTimeout(() => {
              // SQLite cannot be interrupted from here: the worker ends itself once the statement returns.
              settleAll(failed(`Reading ${basename(file)} took longer than ${duration(timeoutMs)}; it was given up.`));
              askToClose();
            }, timeoutMs);
            timer.unref();
            pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject, timer });
            worker.ref();
            worker.postMessage({ id, sql, params });
          });
        },
        async close() {
          const busy = Atomics.load(state, 0) === BUSY;
          settleAll(failed(`The inspection of ${basename(file)} is closed.`));
          askToClose();
          if (!busy) await exit;
        },
      };
    },

    stop() {
      const until = Date.now() + STOP_WAIT_MS;
      for (const [worker, state] of live) {
        worker.postMessage('close');
        for (let s = Atomics.load(state, 0); s !== CLOSED && Date.now() < until; s = Atomics.load(state, 0)) {
          Atomics.wait(state, 0, s, until - Date.now());
        }
      }
    },

    running: () => live.size,
  };
}

function duration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} minute${ms >= 90_000 ? 's' : ''}` : `${Math.round(ms)} ms`;
}
