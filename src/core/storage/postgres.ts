import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { compile } from './compile';
import { postgresSql } from './dialect';
import { isQuery, type Params, type Reader, type RunResult, type Statement, type Storage, type Tx } from './port';

const INT8 = 20;
const NUMERIC = 1700;

/** A bigint or numeric as a JS number, as SQLite gives it: ids, times in ms and counts stay far below 2^53. */
function exactNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) && !(Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER)) {
    throw new Error(`A number from PostgreSQL (${text}) is beyond what the app can hold exactly (2^53).`);
  }
  return value;
}

/** pg's type parsers, with int8 and numeric as numbers: for this pool only, not pg's global defaults. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? exactNumber : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresStorage extends Storage {
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/** A query() runs as a named prepared statement: each connection parses and plans it once. */
const statementNames = new WeakMap<object, string>();
const nameOf = (statement: Statement<Params, unknown>, text: string) => {
  if (!isQuery(statement)) return undefined;
  let name = statementNames.get(statement);
  if (!name) {
    name = `q_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(statement, name);
  }
  return name;
};

class PostgresTx implements Tx {
  readonly dialect = 'postgresql' as const;
  readonly sql = postgresSql;
  ended = false;

  constructor(readonly client: pg.PoolClient) {}

  private async execute<P extends Params>(statement: Statement<P, unknown>, params?: P): Promise<pg.QueryResult> {
    // Its connection went back to the pool: a statement now would run in another transaction.
    if (this.ended) throw new Error('This transaction has ended: a statement of it cannot run any more (work left running after its run returned).');
    const { text, params: values } = compile(statement, 'postgresql', params);
    const name = nameOf(statement, text);
    return this.client.query(name ? { name, text, values } : { text, values });
  }

  async all<R, P extends Params>(statement: Statement<P, R>, params?: P): Promise<R[]> {
    return (await this.execute(statement, params)).rows as R[];
  }

  async get<R, P extends Params>(statement: Statement<P, R>, params?: P): Promise<R | undefined> {
    return (await this.execute(statement, params)).rows[0] as R | undefined;
  }

  async run<P extends Params>(statement: Statement<P, unknown>, params?: P): Promise<RunResult> {
    return { changes: (await this.execute(statement, params)).rowCount ?? 0 };
  }
}

/**
 * Where code runs inside a transaction: the transaction itself, or a savepoint in it. The savepoints
 * opened directly in one level run one after the other, never interleaved; one opened inside a
 * savepoint runs inside it (it does not wait for it to end).
 */
interface Level {
  tx: PostgresTx;
  nested: Promise<unknown>;
}

export interface PostgresStorageOptions {
  /** Connections at most (pg.Pool's max). */
  max?: number;
  /** Runs inside every outermost transaction just before it commits. */
  beforeCommit?: (tx: Tx) => Promise<void> | void;
}

/**
 * The storage port on a PostgreSQL database: a pool of connections, each run one transaction
 * (READ COMMITTED, BEGIN … COMMIT on one pooled connection); reads outside a run take a
 * REPEATABLE READ READ ONLY transaction, so all of fn's reads see one committed state.
 */
export function createPostgresStorage(connectionString: string, options: PostgresStorageOptions = {}): PostgresStorage {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types });
  // A connection that dies while idle in the pool must not crash the process: the pool drops it.
  pool.on('error', () => {});
  const runs = new AsyncLocalStorage<Level>();
  let savepoints = 0;

  const current = () => {
    const level = runs.getStore();
    return level && !level.tx.ended ? level : undefined;
  };

  const transaction = async <T>(begin: string, fn: (tx: PostgresTx) => Promise<T> | T, beforeCommit?: (tx: Tx) => Promise<void> | void): Promise<T> => {
    const client = await pool.connect();
    const tx = new PostgresTx(client);
    let broken: Error | undefined;
    try {
      await client.query(begin);
      try {
        const level: Level = { tx, nested: Promise.resolve() };
        const value = await runs.run(level, () => fn(tx));
        // Runs fn started inside and did not wait for are part of it: committed with it, not after.
        await level.nested;
        await beforeCommit?.(tx);
        await client.query('commit');
        return value;
      } catch (error) {
        await client.query('rollback').catch((rollbackFailed: Error) => (broken = rollbackFailed));
        throw error;
      }
    } finally {
      tx.ended = true;
      // A connection that could not roll back is closed, not handed to the next transaction.
      client.release(broken);
    }
  };

  const savepoint = <T>(level: Level, fn: (tx: Tx) => Promise<T> | T): Promise<T> => {
    const { tx } = level;
    const turn = level.nested.then(async () => {
      const name = `port_${++savepoints}`;
      await tx.client.query(`savepoint ${name}`);
      try {
        const inner: Level = { tx, nested: Promise.resolve() };
        const value = await runs.run(inner, () => fn(tx));
        await inner.nested;
        await tx.client.query(`release savepoint ${name}`);
        return value;
      } catch (error) {
        await tx.client.query(`rollback to savepoint ${name}`);
        await tx.client.query(`release savepoint ${name}`);
        throw error;
      }
    });
    level.nested = turn.catch(() => undefined);
    return turn;
  };

  return {
    dialect: 'postgresql',
    sql: postgresSql,
    pool,
    run: (fn) => {
      const level = current();
      return level ? savepoint(level, fn) : transaction('begin', fn, options.beforeCommit);
    },
    read: (fn) => {
      const level = current();
      return level ? Promise.resolve(fn(level.tx as Reader)) : transaction('begin isolation level repeatable read read only', fn);
    },
    released: (wait) => (typeof wait === 'function' ? wait() : wait),
    close: () => pool.end(),
  };
}
