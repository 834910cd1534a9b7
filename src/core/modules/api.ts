/**
 * What a module may use of the core, in one place: the module interface and the storage port.
 * A module imports the core only from here (and shared/ for the contract's types), never from
 * src/core/db or another internal folder, so the core can change its insides (SQLite, PostgreSQL)
 * without touching the modules.
 */
export * from './types';
export { query, type Params, type Query, type Reader, type RunResult, type Statement, type Storage, type Tx } from '../storage/port';
export type { DialectSql } from '../storage/dialect';
