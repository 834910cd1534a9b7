import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { migrationsTableOf } from './migrationsTable';
import { withStatementCache } from './statementCache';

/** Drizzle over the better-sqlite3 connection, which stays reachable as $client (the backups module copies it). */
export type Db = BetterSQLite3Database & { $client: Database.Database };

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron); default is the package's own. */
  nativeBinding?: string;
  busyTimeoutMs?: number;
}

/**
 * How long a write waits for another program's write lock. The driver is synchronous, so the wait
 * blocks every call of the app, reads included: it is kept short, and a write that still finds the
 * lock taken answers DATABASE_BUSY (nothing changed; try again). Only one core uses a data folder
 * (coreLock.ts), so the lock is taken only by something else (a viewer, a script); reads never
 * wait for a writer in WAL mode.
 */
export const BUSY_TIMEOUT_MS = 250;

/**
 * Opens the database with the pragmas sign-off records need: WAL for readers beside a writer,
 * synchronous=FULL so an acknowledged transition survives power loss, foreign keys enforced,
 * and a short busy timeout (BUSY_TIMEOUT_MS).
 */
export function openDatabase(file: string, options: OpenOptions = {}): { sqlite: Database.Database; db: Db } {
  const sqlite = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS)}`);
  const db = drizzle(withStatementCache(sqlite)) as Db;
  db.$client = sqlite;
  return { sqlite, db };
}

/**
 * Applies one owner's drizzle-kit migrations; each owner (core, a module) keeps its own ledger table.
 * drizzle's migrate() reads and hashes every migration file and opens a write transaction each
 * time; at a normal start nothing is new, which the journal alone says: drizzle applies exactly the
 * migrations whose `when` is later than the ledger's latest created_at, so when none is, it is skipped.
 */
export function applyMigrations(db: Db, folder: string, owner: string): void {
  const migrationsTable = migrationsTableOf(owner);
  if (upToDate(db, folder, migrationsTable)) return;
  migrate(db, { migrationsFolder: folder, migrationsTable });
}

function upToDate(db: Db, folder: string, migrationsTable: string): boolean {
  let newest: number;
  try {
    const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
    newest = Math.max(...journal.entries.map((e) => e.when));
  } catch {
    return false; // let migrate() report what is wrong with the folder
  }
  const ledger = db.get<{ n: number }>(sql`select count(*) as n from sqlite_schema where type = 'table' and name = ${migrationsTable}`);
  if (!ledger?.n) return false;
  const last = db.get<{ createdAt: number | null } | undefined>(
    sql`select created_at as createdAt from ${sql.identifier(migrationsTable)} order by created_at desc limit 1`,
  );
  return last?.createdAt != null && Number.isFinite(newest) && newest <= Number(last.createdAt);
}
