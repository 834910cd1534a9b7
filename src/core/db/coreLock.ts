import Database from 'better-sqlite3';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StartupError } from '../startupError';

/**
 * One core per data folder. Two processes on one database lose data (a restore in one moves the
 * file the other still writes to), so the core holds an exclusive lock for its whole life.
 *
 * The lock is SQLite's own file lock (fcntl on POSIX, LockFileEx on Windows) on a small, empty
 * SQLite file, taken with locking_mode=EXCLUSIVE and never given back until the connection
 * closes: the operating system drops it when the process ends, crash or not, so there is no stale
 * PID file to clean up. Beside it, a small JSON says who holds it, for the message a second
 * start shows. Nothing in this process may open the lock file by any other means: on POSIX,
 * closing any descriptor of a file drops the process's locks on it.
 */
export const LOCK_FILE = 'aviation-workflow.lock';
export const LOCK_HOLDER_FILE = 'aviation-workflow.lock.json';

/** How long a start waits for a lock another start is just taking or giving up (two at once). */
const TAKE_TIMEOUT_MS = 500;

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  appVersion: string;
  /** The lock file's inode when the holder took it: a note about another file is from before the lock file was replaced. */
  lockFile?: string;
}

export interface CoreLock {
  /** Gives the lock back (the core's close). Idempotent. */
  release(): void;
}

/** Another process (or another core in this one) holds the data folder. */
export class DataFolderInUseError extends StartupError {
  readonly dataDir: string;
  /** Who holds it, from the note it wrote; null if the note is missing or unreadable. */
  readonly holder: LockHolder | null;

  constructor(dataDir: string, holder: LockHolder | null, lockFileReplaced = false) {
    const who = holder
      ? `process ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''}, started ${holder.startedAt}`
      : 'a process that left no note of itself';
    super(
      'DATA_FOLDER_IN_USE',
      `The data folder ${dataDir} is in use by another copy of Aviation Workflow (${who}). ` +
        'Only one copy may use a data folder at a time, or work done in one is lost to the other: switch to that copy, or close it and start this one again.' +
        (lockFileReplaced
          ? ` (Its lock file ${LOCK_FILE} was removed or replaced while it ran. If process ${holder?.pid} is not Aviation Workflow, delete ${LOCK_HOLDER_FILE} in that folder and start again.)`
          : ''),
    );
    this.name = 'DataFolderInUseError';
    this.dataDir = dataDir;
    this.holder = holder;
  }
}

const isBusy = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown })?.code ?? ''));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // it exists, under another user
  }
}

export function readLockHolder(dataDir: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(join(dataDir, LOCK_HOLDER_FILE), 'utf8')) as LockHolder;
    return typeof holder?.pid === 'number' ? holder : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data folder's lock or throws DataFolderInUseError. Other failures (a read-only
 * folder, a full disk) are thrown as they are, for the caller to explain.
 */
export function acquireCoreLock(dataDir: string, options: { nativeBinding?: string; appVersion?: string } = {}): CoreLock {
  const file = join(dataDir, LOCK_FILE);
  const lock = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    // Nothing reads the file before BEGIN EXCLUSIVE: two starts at once then race for one lock
    // (the loser closes at once, which lets the winner's short wait succeed), not two shared ones.
    lock.pragma(`busy_timeout = ${TAKE_TIMEOUT_MS}`);
    lock.pragma('locking_mode = EXCLUSIVE');
    // An empty transaction writes nothing (the file stays 0 bytes, even on a full disk), and in
    // exclusive locking mode the lock it took is kept after COMMIT, until close.
    lock.exec('BEGIN EXCLUSIVE');
    lock.exec('COMMIT');
  } catch (error) {
    lock.close();
    if (isBusy(error)) throw new DataFolderInUseError(dataDir, readLockHolder(dataDir));
    throw error;
  }

  // The lock is only as good as its file: one deleted while a core holds it leaves that core with a
  // lock nobody else sees, and this start would get a fresh one. The holder's note (written when it
  // took its lock) says which file it locked; a note about another file whose process still runs here is that case.
  const lockFile = String(statSync(file).ino);
  const previous = readLockHolder(dataDir);
  if (previous && previous.lockFile !== undefined && previous.lockFile !== lockFile && previous.host === hostname() && previous.pid !== process.pid && alive(previous.pid)) {
    lock.close();
    throw new DataFolderInUseError(dataDir, previous, true);
  }

  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    // The process's own time, not the app's clock (tests move that): when did this copy start?
    startedAt: new Date().toISOString(),
    appVersion: options.appVersion ?? '0.0.0',
    lockFile,
  };
  const holderFile = join(dataDir, LOCK_HOLDER_FILE);
  try {
    const temp = `${holderFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(holder, null, 2) + '\n');
    renameSync(temp, holderFile);
  } catch {
    // Only the message a second start shows depends on it ("left no note of itself").
  }

  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      // The note goes first, while the lock still says it is ours to remove.
      if (readLockHolder(dataDir)?.pid === process.pid) rmSync(holderFile, { force: true });
      lock.close();
    },
  };
}
