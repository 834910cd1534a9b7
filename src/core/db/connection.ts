import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

/** Drizzle over the better-sqlite3 connection, which stays reachable as $client (the backups module copies it). */
export type Db = BetterSQLite3Database & { $client: Database.Database };

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron); default is the package's own. */
  nativeBinding?: string;
  busyTimeoutMs?: number;
}

/**
 * Opens the database with the pragmas sign-off records need: WAL for readers beside a writer,
 * synchronous=FULL so an acknowledged transition survives power loss, foreign keys enforced,
 * and a busy timeout so a second terminal waits for a lock instead of failing.
 */
export function openDatabase(file: string, options: OpenOptions = {}): { sqlite: Database.Database; db: Db } {
  const sqlite = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  return { sqlite, db: drizzle(sqlite) };
}

/** Applies one owner's drizzle-kit migrations; each owner (core, a module) keeps its own ledger table. */
export function applyMigrations(db: Db, folder: string, owner: string): void {
  migrate(db, { migrationsFolder: folder, migrationsTable: `__migrations_${owner.replace(/[^a-z0-9_]/gi, '_')}` });
}
