import Database from 'better-sqlite3';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

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

/** Beside the database: what the file and its WAL looked like when the app last closed it cleanly. */
const cleanCloseNote = (file: string) => `${file}.closed-cleanly.json`;

/**
 * Size, modification and change times, and identity of the database file and its WAL. An empty WAL
 * counts as none: it holds nothing to replay, and a read-only connection (a backup check, the
 * audit CLI) opened after the close leaves one behind.
 */
function stamp(file: string): string {
  const one = (f: string) => {
    if (!existsSync(f)) return null;
    const s = statSync(f, { bigint: true });
    return { size: String(s.size), mtimeNs: String(s.mtimeNs), ctimeNs: String(s.ctimeNs), ino: String(s.ino), dev: String(s.dev) };
  };
  const wal = one(`${file}-wal`);
  return JSON.stringify({ db: one(file), wal: wal?.size === '0' ? null : wal });
}

/** Called after the app's own connection closed cleanly: notes how the files look now. Best effort. */
export function noteCleanClose(file: string): void {
  try {
    writeFileSync(cleanCloseNote(file), stamp(file));
  } catch {
    // Without the note the next start checks the whole file, as after a crash.
  }
}

/**
 * True if the app closed this database cleanly last time and neither the file nor its WAL has
 * changed since (size, times, inode): then the start-up quick_check, which reads every page, has
 * nothing new to look at. The note is used up either way, so a crash from now on leaves none.
 */
export function unchangedSinceCleanClose(file: string): boolean {
  const note = cleanCloseNote(file);
  let noted: string;
  try {
    noted = readFileSync(note, 'utf8');
  } catch {
    return false;
  }
  rmSync(note, { force: true });
  try {
    return noted === stamp(file);
  } catch {
    return false;
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
 * True while any other connection has the database open: another program (a viewer, the audit
 * CLI), or a thread of this process still closing its own. In WAL mode every open connection
 * holds a shared lock on the file for as long as it is open; an exclusive lock, asked for
 * without waiting, is refused while one does. The probe opens the file read-write (a WAL left by
 * a crash is recovered into it, as the app's own open would), so it is only for a healthy file.
 */
export function openElsewhere(file: string, nativeBinding?: string): boolean {
  const db = openSqliteFile(file, { nativeBinding });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    if (isBusyError(error)) return true;
    throw error;
  } finally {
    db.close();
  }
}

export const isBusyError = (error: unknown): boolean => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown })?.code ?? ''));

/**
 * Folds the WAL into the file and leaves it in rollback-journal mode, so it is one
 * self-contained file. Needs a closed database: with another connection open, SQLite refuses
 * to leave WAL mode. Says why it failed, if it did.
 */
export function consolidate(file: string, nativeBinding?: string): { ok: true } | { ok: false; problem: string } {
  try {
    const db = openSqliteFile(file, { nativeBinding });
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('wal_checkpoint(TRUNCATE)');
      const mode = db.pragma('journal_mode = DELETE', { simple: true });
      if (mode !== 'delete') return { ok: false, problem: `the database stayed in ${String(mode)} mode` };
    } finally {
      db.close();
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: isBusyError(error) ? 'another program has the database open' : (error as Error).message };
  }
}
