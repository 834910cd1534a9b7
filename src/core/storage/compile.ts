import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { isQuery, type DialectName, type Params, type Statement } from './port';

/** A statement as its driver takes it: text with the dialect's placeholders, and its values. */
export interface Compiled {
  text: string;
  params: unknown[];
}

const dialects: Record<DialectName, { sqlToQuery(statement: SQL): { sql: string; params: unknown[] } }> = {
  sqlite: new SQLiteSyncDialect(),
  postgresql: new PgDialect(),
};

/**
 * The statement in one dialect with its values bound. A query() is compiled once per dialect and
 * only its placeholders are filled per call; a one-off sql`` is compiled each time.
 */
export function compile(statement: Statement<Params, unknown>, dialect: DialectName, values: Params = {}): Compiled {
  if (!isQuery(statement)) {
    const { sql: text, params } = dialects[dialect].sqlToQuery(statement as SQL);
    return { text, params: fillPlaceholders(params, values) };
  }
  let compiled = statement.compiled.get(dialect) as Compiled | undefined;
  if (!compiled) {
    const { sql: text, params } = dialects[dialect].sqlToQuery(statement.statement);
    compiled = { text, params };
    statement.compiled.set(dialect, compiled);
  }
  return { text: compiled.text, params: fillPlaceholders(compiled.params, values) };
}
