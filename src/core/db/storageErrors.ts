import { accessSync, constants, statfsSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { StartupError } from '../startupError';
import { DatabaseCorruptError } from './restore';

const writable = (folder: string) => {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Failures of the disk or the database file, which a person can act on, told apart from bugs:
 * the call answers DISK_FULL, DATABASE_BUSY or READ_ONLY with what to do, instead of INTERNAL.
 * Nothing is half-written either way: every change runs in one SQLite transaction, rolled back
 * when a write fails, and the settings file is replaced by rename.
 */
type StorageProblem = 'DISK_FULL' | 'DATABASE_BUSY' | 'READ_ONLY';

const codeOf = (error: unknown): string => String((error as { code?: unknown })?.code ?? '');

/** Less free space than this, and a write error of SQLite's that does not say why (an I/O error growing its shared memory, say), is the disk being full. */
const NEARLY_FULL_BYTES = 2 * 2 ** 20;

function nearlyFull(folder: string): boolean {
  try {
    const fs = statfsSync(folder);
    return fs.bavail * fs.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

/** For the start-up problems: the disk holding the data folder is (nearly) full; null when there is room. */
export function diskSpaceProblem(dataDir: string): string | null {
  if (!nearlyFull(dataDir)) return null;
  const free = statfsSync(dataDir);
  return (
    `The disk holding the data folder ${dataDir} is full (${Math.floor((free.bavail * free.bsize) / 1024)} KB free): changes are refused until there is room, ` +
    'and parts of the app may not have started. Free some space on it, then restart the app.'
  );
}

/** What kind of storage failure this is (better-sqlite3's SQLITE_* codes, Node's errno codes), or null. */
export function storageProblemOf(error: unknown, dataDir?: string): StorageProblem | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = codeOf(e);
    if (/^SQLITE_FULL/.test(code) || code === 'ENOSPC' || code === 'EDQUOT') return 'DISK_FULL';
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'DATABASE_BUSY';
    if (/^SQLITE_(READONLY|PERM|AUTH)/.test(code) || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'READ_ONLY';
    if (/^SQLITE_IOERR/.test(code) && dataDir && nearlyFull(dataDir)) return 'DISK_FULL';
  }
  return null;
}

/** The answer for a call that failed on storage: what happened, that nothing changed, and what to do. */
export function storageAppError(error: unknown, dataDir: string): AppError | null {
  const problem = storageProblemOf(error, dataDir);
  if (!problem) return null;
  const messages: Record<StorageProblem, string> = {
    DISK_FULL: `The disk holding the app's data (${dataDir}) is full, so nothing was saved. Free some space on it (or ask IT to), then try again.`,
    DATABASE_BUSY:
      'The database is busy: another program is writing to it, so nothing was changed. Try again in a moment; if it keeps happening, close any other program that has the database open.',
    READ_ONLY: `The app cannot write to its data folder (${dataDir}): it is read-only or this user may not change it, so nothing was changed. Ask IT to give this user write access to it, then try again.`,
  };
  return new AppError(problem, messages[problem], { cause: (error as Error)?.message });
}

/** The same failures at start: a StartupError with what to do, instead of a stack trace. Other errors are returned as they are. */
export function startupStorageError(error: unknown, dataDir: string): unknown {
  if (error instanceof StartupError || error instanceof DatabaseCorruptError) return error;
  // SQLite cannot open (create) the database or its -wal/-shm: at start, mostly a folder it may not write.
  const problem = storageProblemOf(error, dataDir) ?? (/^SQLITE_CANTOPEN/.test(codeOf(error)) && !writable(dataDir) ? 'READ_ONLY' : null);
  const detail = (error as Error)?.message ?? String(error);
  switch (problem) {
    case 'DISK_FULL':
      return new StartupError('DISK_FULL', `The disk holding the app's data folder ${dataDir} is full (${detail}). Free some space on it, then start the app again.`, { cause: error });
    case 'READ_ONLY':
      return new StartupError(
        'READ_ONLY',
        `The app cannot write to its data folder ${dataDir} (${detail}): the folder is read-only or this user may not change it. ` +
          'Give this user write access to the folder (or set AVIATION_WORKFLOW_DATA_DIR to a folder it can write), then start the app again.',
        { cause: error },
      );
    case 'DATABASE_BUSY':
      return new StartupError('DATABASE_BUSY', `Another program is holding the app's database in ${dataDir} (${detail}). Close that program, then start the app again.`, { cause: error });
    default:
      return error;
  }
}
