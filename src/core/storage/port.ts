/**
 * The storage port (issue 17; docs/storage-port.md): what the core and the modules use to read and
 * write, on SQLite (a desktop terminal, a small site) and on PostgreSQL (a site that outgrew one
 * server) alike. Queries are drizzle `sql` templates, written once: an adapter compiles them with its
 * own dialect (placeholders, identifier quoting). Where the dialects differ, a store uses the
 * adapter's `sql` helper (dialect.ts), never `if (postgres)` in a handler.
 *
 * Rows come back as plain objects named by the query's aliases: quote them (`as "createdAt"`),
 * since PostgreSQL folds unquoted names to lower case. Integers come back as numbers on both
 * (PostgreSQL's bigint and numeric are parsed; the adapter refuses a value past 2^53). A boolean
 * column reads as 0/1 on SQLite and true/false on PostgreSQL: compare with `Boolean(x)`.
 */
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { DialectSql } from './dialect';

export type DialectName = 'sqlite' | 'postgresql';

/** Named values for a query's placeholders. */
export type Params = Record<string, unknown>;

/**
 * A statement written once with named placeholders (`query(p => sql\`… where id = ${p.id}\`)`),
 * compiled once per dialect and, on SQLite, prepared once: for what runs on every call.
 */
export interface Query<P extends Params = Params, R = unknown> {
  readonly statement: SQL;
  /** Compiled forms, by dialect (the adapters fill it). */
  readonly compiled: Map<DialectName, unknown>;
  /** Type carriers only. */
  readonly __params?: P;
  readonly __row?: R;
}

export type Statement<P extends Params, R> = SQL | Query<P, R>;

/** What a write statement did. */
export interface RunResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

/** Reads, inside a transaction or a read. */
export interface Reader {
  readonly dialect: DialectName;
  /** The dialect's forms of what differs (date buckets, JSON, booleans…). */
  readonly sql: DialectSql;
  all<R = Record<string, unknown>, P extends Params = Params>(statement: Statement<P, R>, params?: P): Promise<R[]>;
  /** The first row, or undefined. */
  get<R = Record<string, unknown>, P extends Params = Params>(statement: Statement<P, R>, params?: P): Promise<R | undefined>;
}

/** One write transaction: everything in it is committed together or not at all. */
export interface Tx extends Reader {
  run<P extends Params = Params>(statement: Statement<P, unknown>, params?: P): Promise<RunResult>;
}

export interface Storage {
  readonly dialect: DialectName;
  readonly sql: DialectSql;
  /**
   * Runs fn in one write transaction: committed when fn's promise resolves, rolled back (and the
   * error rethrown) when it rejects. A run inside a run joins it through a savepoint: the inner
   * one's failure undoes only its own writes.
   */
  run<T>(fn: (tx: Tx) => Promise<T> | T): Promise<T>;
  /** Runs fn with reads that all see one committed state (inside a run: the run's own). */
  read<T>(fn: (reader: Reader) => Promise<T> | T): Promise<T>;
  /**
   * Waits for something slow that is not this database (a worker's hash, a file copy, another
   * database) without holding this one: on SQLite a call holds the one connection while it runs,
   * and other calls wait for it. A no-op wrapper on PostgreSQL.
   */
  released<T>(wait: Promise<T> | (() => Promise<T>)): Promise<T>;
}

/**
 * A statement with named placeholders, built once: `query<Row, { id: number }>((p) => sql\`select … where id = ${p.id}\`)`.
 * A placeholder is a value, never SQL text: what it is given is bound, never pasted.
 */
export function query<R, P extends Params = Params>(build: (p: { [K in keyof P]: Placeholder }) => SQL): Query<P, R> {
  const named = new Proxy({} as { [K in keyof P]: Placeholder }, { get: (_target, name) => sql.placeholder(String(name)) });
  return { statement: build(named), compiled: new Map() };
}

export const isQuery = (statement: Statement<Params, unknown>): statement is Query => (statement as Query).compiled instanceof Map;
