import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';

/**
 * Runs long read-only queries (reports) on a worker thread with its own read-only connection,
 * so the thread that answers IPC keeps answering while SQLite works. WAL lets that connection
 * read a consistent snapshot beside the writer.
 */
export interface BackgroundReader {
  all<T>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

// The worker is a short script given as text (eval), so it needs no file of its own next to
// the bundle, under vitest, the harness and Electron alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', ({ id, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size > 200) statements.clear();
      statements.set(sql, statement);
    }
    parentPort.postMessage({ id, rows: statement.all(...params) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

interface Pending {
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
}

export function createBackgroundReader(file: string, nativeBinding?: string): BackgroundReader {
  const dialect = new SQLiteSyncDialect();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let worker: Worker | null = null;

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  // Started on first use: most sessions never open a report.
  const start = (): Worker => {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driverPath, file, nativeBinding } });
    w.on('message', (message: { id: number; rows?: unknown[]; error?: string }) => {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.error !== undefined) p.reject(new Error(`Background query failed: ${message.error}`));
      else p.resolve(message.rows ?? []);
    });
    w.on('error', (error) => {
      worker = null;
      failAll(new Error(`The background reader stopped: ${error.message}`));
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('The background reader stopped.'));
    });
    // A reader that waits for work must not keep the process alive.
    w.unref();
    return w;
  };

  return {
    all<T>(query: SQL): Promise<T[]> {
      const { sql, params } = dialect.sqlToQuery(query);
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise<T[]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
        w.ref();
        w.postMessage({ id, sql, params });
      }).finally(() => {
        if (pending.size === 0) w.unref();
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
