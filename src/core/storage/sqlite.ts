import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import { cachedPrepare } from '../db/statementCache';
import { compile } from './compile';
import { CONNECTION_BUSY, ConnectionLock } from './connectionLock';
import { sqliteSql } from './dialect';
import type { Params, Reader, RunResult, Statement, Storage, Tx } from './port';

export interface SqliteStorageOptions {
  /** Runs inside every outermost transaction just before it commits; what it returns runs once the commit succeeded. */
  beforeCommit?: () => (() => void) | void;
  /** After every outermost transaction, committed or not, with how long it was open (ms). */
  afterTransaction?: (ms: number) => void;
}

export interface SqliteStorage extends Storage {
  /** Holds the one connection for fn's whole run (a call): other calls wait until it ends. */
  hold<T>(fn: () => Promise<T> | T): Promise<T>;
  /**
   * For synchronous code not yet on the port (ctx.transaction): one transaction, joining one open
   * here (a savepoint). Throws CONNECTION_BUSY inside another call's open transaction (synchronous
   * code cannot wait for it to end).
   */
  transactionSync<T>(fn: () => T): T;
  /** Runs synchronous work of no call (a deferred job) now if it may (see transactionSync); false (nothing run) otherwise. */
  tryNow(fn: () => void): boolean;
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null: a boolean is stored as SQLite does, 1 or 0. */
const bind = (params: unknown[]) => params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));

class SqliteTx implements Tx {
  readonly dialect = 'sqlite' as const;
  readonly sql = sqliteSql;
  /** Set when the transaction has ended: work that outlives it (a promise left running) cannot join it. */
  ended = false;

  constructor(private readonly prepare: (source: string) => Database.Statement) {}

  /** The statement, prepared, unless this transaction has ended: what still holds it then would run outside it (in another call's). */
  private statement(statement: Statement<Params, unknown>, params?: Params): { prepared: Database.Statement; values: unknown[] } {
    if (this.ended) throw new Error('This transaction has ended: a statement of it cannot run any more (work left running after its run returned).');
    const { text, params: values } = compile(statement, 'sqlite', params);
    return { prepared: this.prepare(text), values: bind(values) };
  }

  async all<R, P extends Params>(statement: Statement<P, R>, params?: P): Promise<R[]> {
    const { prepared, values } = this.statement(statement, params);
    return prepared.all(...values) as R[];
  }

  async get<R, P extends Params>(statement: Statement<P, R>, params?: P): Promise<R | undefined> {
    const { prepared, values } = this.statement(statement, params);
    return prepared.get(...values) as R | undefined;
  }

  async run<P extends Params>(statement: Statement<P, unknown>, params?: P): Promise<RunResult> {
    const { prepared, values } = this.statement(statement, params);
    return { changes: prepared.run(...values).changes };
  }
}

/**
 * Where code runs inside a transaction: the transaction itself, or a savepoint in it. The savepoints
 * opened directly in one level run one after the other, never interleaved; one opened inside a
 * savepoint runs inside it (it does not wait for it to end).
 */
interface Level {
  tx: SqliteTx;
  nested: Promise<unknown>;
}

/**
 * The storage port on the app's one SQLite connection. Calls take turns on it (ConnectionLock);
 * a transaction is BEGIN IMMEDIATE … COMMIT on it, so its statements run inside the call's turn.
 * Reads outside a transaction need none: no other statement runs on the connection meanwhile, and
 * only this process writes the file (coreLock.ts), so what fn reads is one committed state.
 */
export function createSqliteStorage(sqlite: Database.Database, options: SqliteStorageOptions = {}): SqliteStorage {
  const prepare = cachedPrepare(sqlite);
  /** The outermost run open now, if any: another run of the same call waits for it. */
  let open: Promise<void> | null = null;
  /** Outermost runs begun or waiting to begin (all the holding call's): its hold lasts until they have ended. */
  let entered = 0;
  const allEnded: (() => void)[] = [];
  const lock = new ConnectionLock(() => (entered > 0 ? new Promise<void>((resolve) => allEnded.push(resolve)) : undefined));
  const runs = new AsyncLocalStorage<Level>();
  const reader = new SqliteTx(prepare);
  let savepoints = 0;
  const begin = sqlite.prepare('begin immediate');
  const commit = sqlite.prepare('commit');
  const rollback = sqlite.prepare('rollback');
  const inTransaction = sqlite.transaction((fn: () => unknown) => fn());

  const outermost = async <T>(fn: (tx: Tx) => Promise<T> | T): Promise<T> => {
    entered++;
    try {
      return await transactionOf(fn);
    } finally {
      if (--entered === 0) for (const resolve of allEnded.splice(0)) resolve();
    }
  };

  const transactionOf = async <T>(fn: (tx: Tx) => Promise<T> | T): Promise<T> => {
    while (open) await open;
    if (sqlite.inTransaction) throw new Error('A synchronous transaction is open on the connection; a run cannot start inside it.');
    let ended!: () => void;
    open = new Promise((resolve) => (ended = resolve));
    const tx = new SqliteTx(prepare);
    const started = performance.now();
    try {
      begin.run();
      const level: Level = { tx, nested: Promise.resolve() };
      const value = await runs.run(level, () => fn(tx));
      // Runs fn started inside and did not wait for are part of it: committed with it, not after.
      await level.nested;
      const committed = options.beforeCommit?.();
      commit.run();
      tx.ended = true;
      committed?.();
      return value;
    } catch (error) {
      tx.ended = true;
      if (sqlite.inTransaction) rollback.run();
      throw error;
    } finally {
      open = null;
      ended();
      options.afterTransaction?.(performance.now() - started);
    }
  };

  const savepoint = <T>(level: Level, fn: (tx: Tx) => Promise<T> | T): Promise<T> => {
    const { tx } = level;
    const turn = level.nested.then(async () => {
      const name = `port_${++savepoints}`;
      sqlite.exec(`savepoint ${name}`);
      try {
        const inner: Level = { tx, nested: Promise.resolve() };
        const value = await runs.run(inner, () => fn(tx));
        await inner.nested;
        sqlite.exec(`release ${name}`);
        return value;
      } catch (error) {
        if (sqlite.inTransaction) {
          sqlite.exec(`rollback to ${name}`);
          sqlite.exec(`release ${name}`);
        }
        throw error;
      }
    });
    level.nested = turn.catch(() => undefined);
    return turn;
  };

  /**
   * Synchronous work runs at once: holding the connection when it is free or held here, and also
   * while another call holds it across a wait with no transaction open (the work cannot interleave
   * with anything of that call's). Only inside another call's open transaction must it not run.
   */
  let synchronousDepth = 0;
  const syncAllowed = () => lock.available() || synchronousDepth > 0 || !sqlite.inTransaction;
  const runSync = <T>(fn: () => T): T => {
    if (lock.available()) return lock.holdNow(fn);
    // Inside synchronous work already running (nothing can interleave with it), or with no transaction open.
    if (synchronousDepth > 0 || !sqlite.inTransaction) {
      synchronousDepth++;
      try {
        return fn();
      } finally {
        synchronousDepth--;
      }
    }
    throw new Error(CONNECTION_BUSY);
  };

  const current = () => {
    const level = runs.getStore();
    return level && !level.tx.ended && lock.mine() ? level : undefined;
  };

  return {
    dialect: 'sqlite',
    sql: sqliteSql,
    run: (fn) => lock.hold(() => {
      const level = current();
      return level ? savepoint(level, fn) : outermost(fn);
    }),
    read: (fn) => lock.hold(() => fn((current()?.tx ?? reader) as Reader)),
    released: (wait) => {
      if (current() || (lock.mine() && sqlite.inTransaction)) {
        return Promise.reject(new Error('Cannot give up the connection inside a transaction: wait for the slow work before or after it.'));
      }
      return lock.released(wait);
    },
    hold: (fn) => lock.hold(fn),
    transactionSync: <T>(fn: () => T): T =>
      runSync(() => {
        if (sqlite.inTransaction) return inTransaction(fn) as T;
        const started = performance.now();
        let committed: (() => void) | void = undefined;
        try {
          const value = inTransaction.immediate(() => {
            const result = fn();
            committed = options.beforeCommit?.();
            return result;
          }) as T;
          (committed as (() => void) | undefined)?.();
          return value;
        } finally {
          options.afterTransaction?.(performance.now() - started);
        }
      }),
    // Deferred work belongs to no call, even when the call that asked for it (and set its timer) still holds the connection.
    tryNow: (fn) =>
      lock.outside(() => {
        if (!syncAllowed()) return false;
        runSync(fn);
        return true;
      }),
  };
}
