import Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';

export type SqliteDatabase = Database.Database;

/** Opens any SQLite file with the same driver build as the app's database (Electron needs its own). */
export function openSqliteFile(file: string, options: { readonly?: boolean; nativeBinding?: string } = {}): SqliteDatabase {
  return new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
}

export interface FileCheck {
  ok: boolean;
  /** What SQLite reported, for people, when not ok. */
  problem?: string;
}

/**
 * Checks a database file: `quick_check` (fast, every start) or `integrity_check` (thorough, a
 * backup before it is trusted). A file that is not a database, or that SQLite calls corrupt
 * while checking, is not ok; any other failure (permissions, a missing file) is thrown.
 */
export function checkDatabaseFile(
  file: string,
  options: { thorough?: boolean; nativeBinding?: string; readonly?: boolean } = {},
): FileCheck {
  let db: SqliteDatabase | undefined;
  try {
    // Read-write where a WAL left by a crash may need recovering (the app's own database at start).
    db = openSqliteFile(file, { readonly: options.readonly ?? true, nativeBinding: options.nativeBinding });
    const rows = db.pragma(options.thorough ? 'integrity_check(20)' : 'quick_check(20)', { simple: false }) as Record<string, string>[];
    const messages = rows.map((r) => Object.values(r)[0] ?? '');
    return messages.length === 1 && messages[0] === 'ok' ? { ok: true } : { ok: false, problem: messages.join('; ') };
  } catch (error) {
    if (isCorruptionError(error)) return { ok: false, problem: (error as Error).message };
    throw error;
  } finally {
    db?.close();
  }
}

export const isCorruptionError = (error: unknown): boolean =>
  /^SQLITE_(CORRUPT|NOTADB)/.test(String((error as { code?: unknown })?.code ?? ''));

const SIDE_FILES = ['-wal', '-shm'] as const;

/** `wanted`, or with "-2", "-3"… (before ".sqlite") if that name is taken: nothing is overwritten. */
export function freeName(wanted: string): string {
  const taken = (name: string) => existsSync(name) || SIDE_FILES.some((s) => existsSync(name + s));
  if (!taken(wanted)) return wanted;
  const [, base, ext] = /^(.*?)(\.sqlite)?$/.exec(wanted)!;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}${ext ?? ''}`)) return `${base}-${n}${ext ?? ''}`;
}

/**
 * Moves a database file to `target` together with its -wal and -shm, renamed to match, so what
 * was committed in the WAL stays with it. Returns where it went (a free name near `target`).
 */
export function moveDatabaseFiles(file: string, target: string): string {
  const to = freeName(target);
  renameSync(file, to);
  for (const side of SIDE_FILES) if (existsSync(file + side)) renameSync(file + side, to + side);
  return to;
}

/**
 * Folds the WAL into the file and leaves it in rollback-journal mode, so it is one
 * self-contained file. Needs a closed database (no other connection). False if it failed.
 */
export function consolidate(file: string, nativeBinding?: string): boolean {
  try {
    const db = openSqliteFile(file, { nativeBinding });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    return true;
  } catch {
    return false;
  }
}
