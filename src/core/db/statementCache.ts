import type Database from 'better-sqlite3';

/** Distinct statements kept per connection: every query the app writes fits many times over. */
const KEPT = 1000;

/**
 * The connection as drizzle sees it: drizzle prepares every query anew, which makes SQLite parse
 * and plan the same text each time (about a tenth of a site server's CPU per transition). Here a
 * statement is prepared once per text and reused. Only drizzle gets this view: code holding its
 * own statements (`$client.prepare(…).pluck()`) keeps getting statements of its own.
 */
export function withStatementCache(sqlite: Database.Database): Database.Database {
  const prepare = cachedPrepare(sqlite);
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const caches = new WeakMap<Database.Database, (source: string) => Database.Statement>();

/** The connection's one statement cache (drizzle's view and the storage port share it). */
export function cachedPrepare(sqlite: Database.Database): (source: string) => Database.Statement {
  const existing = caches.get(sqlite);
  if (existing) return existing;
  const kept = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    const found = kept.get(source);
    // One being iterated is in use; a fresh one serves this query.
    if (found && !found.busy) {
      kept.delete(source); // most recently used last
      kept.set(source, found);
      // drizzle switches readers to raw rows for its own mapping, and reads plain rows for sql`` queries.
      return found.reader ? found.raw(false) : found;
    }
    const statement = sqlite.prepare(source);
    if (!found) {
      kept.set(source, statement);
      if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
    }
    return statement;
  };
  caches.set(sqlite, prepare);
  return prepare;
}
