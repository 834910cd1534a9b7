import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatabaseCorruptError, PENDING_RESTORE_FILE, RESTORE_POINTS_FILE, RESTORE_REPORT_FILE, type RestorePoint } from './restore';

/**
 * A missing or emptied database in a folder the app has used before is not a first run: starting
 * a new, empty database there would throw the history away and make whoever is at the keyboard
 * the first administrator. So the core refuses (DatabaseMissingError, offering the latest verified
 * backup) unless a person explicitly asks for a new database.
 *
 * Signs that the folder was used (any one is enough):
 * - `aviation-workflow.sqlite.created.json`, which the core writes once a database is created in
 *   the folder (and at the first start of a folder made before this note existed);
 * - the clean-close note beside the database (`aviation-workflow.sqlite.closed-cleanly.json`);
 * - `restore-points.json`, any file in `backups/`, a pending, failed or reported restore;
 * - earlier versions of the settings (`settings-history/`, written only when the app changes them);
 * - a damaged database kept aside (`aviation-workflow.damaged-*.sqlite`).
 * The settings file alone is not a sign: it may be written by hand or by an installer before the first run.
 */
export const CREATED_NOTE_FILE = 'aviation-workflow.sqlite.created.json';

export type EmptiedHow = 'missing' | 'empty' | 'no-tables';

const PROBLEM: Record<EmptiedHow, string> = {
  missing: 'the database file is missing',
  empty: 'the database file is empty (0 bytes)',
  'no-tables': 'the database file holds no tables',
};

export const describeEmptied = (how: EmptiedHow): string => PROBLEM[how];

/** The database found missing or emptied where the folder shows the app ran before; the backups could replace it. */
export class DatabaseMissingError extends DatabaseCorruptError {
  readonly how: EmptiedHow;
  /** What shows the folder was used before, for people. */
  readonly signs: string[];

  constructor(databasePath: string, how: EmptiedHow, signs: string[], backups: RestorePoint[]) {
    super(databasePath, PROBLEM[how], backups);
    this.name = 'DatabaseMissingError';
    this.how = how;
    this.signs = signs;
    this.message =
      `The database ${databasePath} cannot be used: ${PROBLEM[how]}, but this data folder has been used before (${signs.join('; ')}). ` +
      (backups.length ? `The latest verified backup is from ${backups[0]!.createdAt}. ` : 'There is no verified backup to restore. ') +
      'A new, empty database is started only when asked for explicitly.';
  }
}

/** Missing, or 0 bytes with nothing in a WAL beside it; null if there is a file to open. */
export function emptiedBeforeOpen(databasePath: string): EmptiedHow | null {
  if (!existsSync(databasePath)) return 'missing';
  const wal = `${databasePath}-wal`;
  if (statSync(databasePath).size === 0 && !(existsSync(wal) && statSync(wal).size > 0)) return 'empty';
  return null;
}

const filesIn = (folder: string) => {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
};

/** What in the folder shows the app has run there before (see the list above); empty for a new folder. */
export function signsOfEarlierUse(dataDir: string, databasePath: string): string[] {
  const signs: string[] = [];
  const created = join(dataDir, CREATED_NOTE_FILE);
  if (existsSync(created)) {
    let at = '';
    try {
      at = `, ${String((JSON.parse(readFileSync(created, 'utf8')) as { createdAt?: unknown }).createdAt)}`;
    } catch {
      // The note's presence is what counts.
    }
    signs.push(`${CREATED_NOTE_FILE}: a database was created here before${at}`);
  }
  if (existsSync(`${databasePath}.closed-cleanly.json`)) signs.push(`${basename(databasePath)}.closed-cleanly.json: the app closed a database here`);
  if (existsSync(join(dataDir, RESTORE_POINTS_FILE))) signs.push(`${RESTORE_POINTS_FILE}: a list of backups`);
  const backups = filesIn(join(dataDir, 'backups')).filter((f) => f.endsWith('.sqlite'));
  if (backups.length) signs.push(`backups/: ${backups.length} backup file${backups.length === 1 ? '' : 's'}`);
  for (const file of [PENDING_RESTORE_FILE, 'pending-restore.failed.json', RESTORE_REPORT_FILE]) {
    if (existsSync(join(dataDir, file))) signs.push(`${file}: a restore`);
  }
  if (filesIn(join(dataDir, 'settings-history')).length) signs.push('settings-history/: earlier versions of the settings');
  const damaged = filesIn(dataDir).filter((f) => /^aviation-workflow\.damaged-.*\.sqlite$/.test(f));
  if (damaged.length) signs.push(`${damaged[0]}: a damaged database kept aside`);
  return signs;
}

/** Notes that this folder has a database now (once; best effort: the other signs remain). */
export function noteDatabaseCreated(dataDir: string): void {
  const file = join(dataDir, CREATED_NOTE_FILE);
  if (existsSync(file)) return;
  try {
    writeFileSync(file, JSON.stringify({ createdAt: new Date().toISOString(), note: 'Aviation Workflow has a database in this folder; a missing or empty one is not started afresh without being asked.' }, null, 2) + '\n');
  } catch {
    // A full disk or read-only folder: the next start tries again.
  }
}
