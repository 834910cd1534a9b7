import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { acquireCoreLock, DataFolderInUseError, LOCK_FILE, type CoreLock } from '../../coreLock';
import { checkDatabaseFile, openElsewhere } from '../../databaseFile';
import { migrationsTableOf } from '../../migrationsTable';
import { MoveRefused } from './errors';

/** The database's file name in a data folder (src/core/app.ts). */
export const DATABASE_FILE = 'aviation-workflow.sqlite';

const LEDGER_PREFIX = migrationsTableOf('');

export interface Source {
  file: string;
  /** A read-only connection, inside one read transaction: every step reads the same snapshot. */
  sqlite: Database.Database;
  /** The owners (core, modules) with a migrations ledger in the file. */
  owners: string[];
  /** Every table in the file (sqlite_master). */
  tables: Set<string>;
  /** Virtual tables (FTS5): their shadow tables are theirs. */
  virtualTables: string[];
  sizeBytes: number;
  /** The core lock was taken on this data folder (null: a file outside one). */
  lockedFolder: string | null;
  close(): void;
}

/** The SQLite migrations folder of an owner (the core's, or a module folder's). */
export const sqliteMigrations = (assetsRoot: string, owner: string): string =>
  owner === 'core' ? join(assetsRoot, 'src/core/db/migrations') : join(assetsRoot, 'modules', owner, 'migrations');

/**
 * Opens the site's SQLite database for the move, or refuses: missing, in use (the core lock of its
 * data folder, or any other connection), failing quick_check, or not an Aviation Workflow database.
 * The data folder's lock is then held until close(), so the site cannot be started meanwhile.
 */
export function openSource(given: string): Source {
  const path = resolve(given);
  if (!existsSync(path)) throw new MoveRefused(`There is nothing at ${path}: give the site's data folder or its ${DATABASE_FILE}.`);
  const folderGiven = statSync(path).isDirectory();
  const file = folderGiven ? join(path, DATABASE_FILE) : path;
  if (!existsSync(file)) throw new MoveRefused(`${path} has no ${DATABASE_FILE}: is it the site's data folder?`);
  // The app's data folder, whose lock the running site server holds; a copy of the file elsewhere has none.
  const folder = folderGiven || (basename(file) === DATABASE_FILE && existsSync(join(dirname(file), LOCK_FILE))) ? dirname(file) : null;
  let lock: CoreLock | null = null;
  if (folder) {
    try {
      lock = acquireCoreLock(folder, { appVersion: 'site move' });
    } catch (error) {
      if (error instanceof DataFolderInUseError) {
        throw new MoveRefused(`${error.message} A site being moved must be stopped: stop its site server (systemctl stop aviation-workflow-server), then move it.`);
      }
      throw new MoveRefused(`Could not take the lock of the data folder ${folder}: ${(error as Error).message}`);
    }
  }
  let sqlite: Database.Database | undefined;
  try {
    const check = checkDatabaseFile(file, { readonly: true });
    if (!check.ok) {
      throw new MoveRefused(
        /not a database/i.test(check.problem ?? '')
          ? `${file} is not a SQLite database.`
          : `${file} fails SQLite's quick_check (${check.problem}): it is damaged. Restore its latest verified backup first (the site server's --restore-latest-backup), then move that.`,
      );
    }
    if (openElsewhere(file)) throw new MoveRefused(`Another program has ${file} open (a site server, a viewer, a script): close it, then move the site.`);
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const master = sqlite.prepare(`select name, sql from sqlite_master where type = 'table'`).all() as { name: string; sql: string | null }[];
    const tables = new Set(master.map((t) => t.name));
    if (!tables.has(migrationsTableOf('core')) || !tables.has('work_items')) {
      throw new MoveRefused(`${file} is a SQLite database, but not an Aviation Workflow one (it has no ${migrationsTableOf('core')} or work_items table).`);
    }
    // One snapshot for the checks, the copy and the comparison (nothing else writes meanwhile, but a
    // snapshot makes that true rather than assumed).
    sqlite.exec('begin');
    sqlite.prepare('select count(*) from sqlite_master').get();
    const opened = sqlite;
    return {
      file,
      sqlite,
      owners: [...tables].filter((t) => t.startsWith(LEDGER_PREFIX)).map((t) => t.slice(LEDGER_PREFIX.length)).sort((a, b) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b))),
      tables,
      virtualTables: master.filter((t) => /^create virtual table/i.test(t.sql ?? '')).map((t) => t.name),
      sizeBytes: statSync(file).size,
      lockedFolder: folder,
      close() {
        if (opened.open) opened.close();
        lock?.release();
      },
    };
  } catch (error) {
    sqlite?.close();
    lock?.release();
    throw error;
  }
}

export interface LedgerState {
  owner: string;
  applied: number;
  known: number;
  /** Migrations of this version not applied to the file yet. */
  behind: boolean;
  /** The file was migrated by a newer version (migrations this one does not know). */
  newer: boolean;
}

/** Whether an owner's ledger in the file is at this version's migrations (as the app decides it: by the migrations' times). */
export function ledgerState(sqlite: Database.Database, owner: string, folder: string): LedgerState {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  const rows = sqlite.prepare(`select created_at from "${migrationsTableOf(owner)}"`).pluck().all() as (number | null)[];
  const last = Math.max(0, ...rows.map((r) => Number(r ?? 0)));
  const newest = Math.max(0, ...journal.entries.map((e) => e.when));
  return { owner, applied: rows.length, known: journal.entries.length, behind: newest > last, newer: last > newest };
}
