import { existsSync, fsyncSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../../shared/types';
import { checkDatabaseFile, consolidate, freeName, moveDatabaseFiles, openElsewhere, openSqliteFile } from './databaseFile';

/**
 * Restoring a backup replaces the database file, which cannot happen while it is open. So a
 * restore is asked for with a marker file in the data folder and done at the next start,
 * before the database is opened (createApp calls applyPendingRestore first).
 */
export const PENDING_RESTORE_FILE = 'pending-restore.json';
/** What the last applied restore did, for the backups module to record in the restored database. */
export const RESTORE_REPORT_FILE = 'restore-report.json';
/** Verified backups a start-up can offer when the database is damaged (written by the backups module). */
export const RESTORE_POINTS_FILE = 'restore-points.json';

export interface RestoreRequest {
  /** The backup file to put in place of the database. */
  source: string;
  /** Where the current database goes (a free name near it if taken); it is moved, never deleted. */
  moveCurrentTo: string;
  requestedBy: Actor;
  reason: 'requested' | 'damaged-database';
}

export interface RestoreReport extends RestoreRequest {
  /** Where the replaced database actually went (null if there was none). */
  movedCurrentTo: string | null;
  appliedAt: string;
}

export interface RestorePoint {
  file: string;
  createdAt: string;
  sizeBytes: number;
}

function writeFileDurably(file: string, text: string): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, text);
  const fd = openSync(temp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, file);
}

const readJson = <T>(file: string): T | null => {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
};

export function requestRestore(dataDir: string, request: RestoreRequest): void {
  writeFileDurably(join(dataDir, PENDING_RESTORE_FILE), JSON.stringify(request, null, 2));
}

export const pendingRestore = (dataDir: string): RestoreRequest | null => readJson<RestoreRequest>(join(dataDir, PENDING_RESTORE_FILE));

/** Takes (reads and removes) the report of the restore applied at this start, if any. */
export function takeRestoreReport(dataDir: string): RestoreReport | null {
  const file = join(dataDir, RESTORE_REPORT_FILE);
  const report = readJson<RestoreReport>(file);
  rmSync(file, { force: true });
  return report;
}

export function writeRestorePoints(dataDir: string, points: RestorePoint[]): void {
  writeFileDurably(join(dataDir, RESTORE_POINTS_FILE), JSON.stringify(points, null, 2));
}

/** Verified backups that still exist, newest first. */
export const readRestorePoints = (dataDir: string): RestorePoint[] =>
  (readJson<RestorePoint[]>(join(dataDir, RESTORE_POINTS_FILE)) ?? [])
    .filter((p) => typeof p?.file === 'string' && existsSync(p.file))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));

/** How long a restore waits for other connections to the database to close (a thread of the previous core ending). */
const ATTACHED_WAIT_MS = 2000;

export interface RestoreOutcome {
  /** The restore applied at this start, if any. */
  report: RestoreReport | null;
  /** Why a pending restore was not applied, for the start-up problems (null if none was refused). */
  problem: string | null;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Does a pending restore, if one was asked for: checks the backup, moves the current database
 * (with its -wal/-shm) to the place the request names, copies the backup in, then removes the
 * marker. Every step can be repeated after a crash without losing a file. A damaged backup is
 * not applied: the marker is renamed to pending-restore.failed.json and the database stays.
 *
 * The caller holds the data folder's lock (one core per folder). A requested restore still
 * refuses while anything else has the database open (another program, or a core that does not
 * take the lock): a write it made after the move would land in the moved copy and be lost from
 * the live database. Then nothing changes, the marker stays for the next start, and the outcome
 * says why. A damaged database is moved as it is (WAL and all) without that check: the probe
 * would write to it, and it was found damaged by this core, which holds the lock.
 */
export function applyPendingRestore(
  dataDir: string,
  databasePath: string,
  options: {
    nativeBinding?: string;
    now: () => number;
    log: (message: string) => void;
    /**
     * Tables of who is signed in now (the site server's window sessions, a sign-in module's
     * sessions): emptied in the copy before it takes the database's place, so no sign-in of the
     * backup's day comes back, even if this start goes no further.
     */
    signInTables?: string[];
  },
): RestoreOutcome {
  const marker = join(dataDir, PENDING_RESTORE_FILE);
  const request = pendingRestore(dataDir);
  if (!request) return { report: null, problem: null };

  const check = existsSync(request.source) ? checkDatabaseFile(request.source, { thorough: true, nativeBinding: options.nativeBinding }) : { ok: false, problem: 'the file is missing' };
  if (!check.ok) {
    options.log(`Problem: the restore of ${request.source} was not done (${check.problem}); the database was left as it was.`);
    renameSync(marker, join(dataDir, 'pending-restore.failed.json'));
    return { report: null, problem: null };
  }

  let movedCurrentTo: string | null = null;
  /** Site terminals revoked in the database being replaced: a restore brings back data, never trust taken away since. */
  let revocations: Revocation[] = [];
  if (existsSync(databasePath)) {
    if (request.reason === 'requested') {
      const refused = (why: string) => {
        const problem =
          `The restore of the backup ${request.source} was not done: ${why}. Nothing was changed; it is still asked for and is done at the next start ` +
          `once nothing else has ${databasePath} open (close any other program using it, then restart the app).`;
        options.log(`Problem: ${problem}`);
        return { report: null, problem };
      };
      // A thread of the core that just closed (a restart) may take a moment to let go.
      let attached = openElsewhere(databasePath, options.nativeBinding);
      for (let waited = 0; attached && waited < ATTACHED_WAIT_MS; waited += 50) {
        sleep(50);
        attached = openElsewhere(databasePath, options.nativeBinding);
      }
      if (attached) return refused('another program has the database open');
      // A healthy database becomes one self-contained file before it moves.
      const consolidated = consolidate(databasePath, options.nativeBinding);
      if (!consolidated.ok) return refused(`the database could not be made ready to move aside (${consolidated.problem})`);
      try {
        revocations = revokedTerminals(databasePath, options.nativeBinding);
      } catch (error) {
        return refused(`the terminals revoked in the database could not be read, to keep them revoked (${(error as Error).message})`);
      }
    }
    movedCurrentTo = moveDatabaseFiles(databasePath, request.moveCurrentTo);
  }
  for (const side of ['-wal', '-shm']) {
    // Left only if a move failed half-way on an earlier run: kept, but no longer beside the new file.
    if (existsSync(databasePath + side)) renameSync(databasePath + side, freeName(`${request.moveCurrentTo}${side}.orphan`));
  }
  const incoming = `${databasePath}.restoring`;
  // A half-made copy from a crash during an earlier try (with what its emptying left beside it).
  for (const file of [incoming, `${incoming}-journal`, `${incoming}-wal`, `${incoming}-shm`]) rmSync(file, { force: true });
  // VACUUM INTO, not a file copy: it also takes what the source still holds in a -wal beside it.
  const source = openSqliteFile(request.source, { readonly: true, nativeBinding: options.nativeBinding });
  try {
    source.prepare('VACUUM INTO ?').run(incoming);
  } finally {
    source.close();
  }
  const kept = keepRevocations(incoming, revocations, options.nativeBinding);
  if (kept) options.log(`Kept ${kept} terminal revocation${kept === 1 ? '' : 's'} made after the backup: those terminals stay revoked.`);
  const ended = endSignIns(incoming, options.signInTables ?? [], options.nativeBinding);
  if (ended) options.log(`Ended what the backup held of who was signed in where on its day (${ended} row${ended === 1 ? '' : 's'}): everyone signs in again.`);
  const fd = openSync(incoming, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(incoming, databasePath);

  const report: RestoreReport = { ...request, movedCurrentTo, appliedAt: new Date(options.now()).toISOString() };
  writeFileDurably(join(dataDir, RESTORE_REPORT_FILE), JSON.stringify(report, null, 2));
  rmSync(marker);
  options.log(`Restored the database from ${request.source}; the previous one is at ${movedCurrentTo ?? '(there was none)'}.`);
  return { report, problem: null };
}

interface Revocation {
  id: string;
  revokedAt: number;
  revokedBy: string | null;
}

/** The site terminals revoked in `file` (none where it has no such table). */
function revokedTerminals(file: string, nativeBinding: string | undefined): Revocation[] {
  const db = openSqliteFile(file, { readonly: true, nativeBinding });
  try {
    if (!db.prepare(`select 1 from sqlite_schema where type = 'table' and name = 'site_terminals'`).get()) return [];
    return db.prepare('select id, revoked_at as revokedAt, revoked_by as revokedBy from site_terminals where revoked_at is not null').all() as Revocation[];
  } finally {
    db.close();
  }
}

/** Revokes in the restored copy the terminals revoked in the database it replaces (those it still trusts). Returns how many. */
function keepRevocations(file: string, revocations: Revocation[], nativeBinding: string | undefined): number {
  if (!revocations.length) return 0;
  const db = openSqliteFile(file, { nativeBinding });
  try {
    if (!db.prepare(`select 1 from sqlite_schema where type = 'table' and name = 'site_terminals'`).get()) return 0;
    const revoke = db.prepare('update site_terminals set revoked_at = ?, revoked_by = ? where id = ? and revoked_at is null');
    let kept = 0;
    db.transaction(() => {
      for (const r of revocations) kept += revoke.run(r.revokedAt, r.revokedBy, r.id).changes;
    })();
    return kept;
  } finally {
    db.close();
  }
}

const quotedName = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Empties the tables of sign-ins a restored copy has (a backup older than them has none). Returns how many rows went. */
function endSignIns(file: string, tables: string[], nativeBinding: string | undefined): number {
  if (!tables.length) return 0;
  const db = openSqliteFile(file, { nativeBinding });
  try {
    const present = new Set((db.prepare(`select name from sqlite_schema where type = 'table'`).pluck().all() as string[]));
    let ended = 0;
    db.transaction(() => {
      for (const table of tables) if (present.has(table)) ended += db.prepare(`delete from ${quotedName(table)}`).run().changes;
    })();
    return ended;
  } finally {
    db.close();
  }
}

/** The database could not be opened or failed its check at start; `backups` are what could replace it. */
export class DatabaseCorruptError extends Error {
  readonly databasePath: string;
  readonly problem: string;
  readonly backups: RestorePoint[];

  constructor(databasePath: string, problem: string, backups: RestorePoint[]) {
    super(
      `The database ${databasePath} is damaged (${problem}). ` +
        (backups.length ? `The latest verified backup is from ${backups[0]!.createdAt}.` : 'There is no verified backup to restore.'),
    );
    this.name = 'DatabaseCorruptError';
    this.databasePath = databasePath;
    this.problem = problem;
    this.backups = backups;
  }
}

const fileTime = (at: number) => new Date(at).toISOString().replace(/:/g, '-');

/**
 * Asks for the restore of `point` in place of a damaged database; the damaged file is moved
 * to aviation-workflow.damaged-<time>.sqlite beside it (never deleted). Start the app again to apply it.
 */
export function requestRestoreOfDamaged(error: DatabaseCorruptError, point: RestorePoint, now: number, by: Actor): void {
  const dataDir = join(error.databasePath, '..');
  requestRestore(dataDir, {
    source: point.file,
    moveCurrentTo: join(dataDir, `aviation-workflow.damaged-${fileTime(now)}.sqlite`),
    requestedBy: by,
    reason: 'damaged-database',
  });
}
