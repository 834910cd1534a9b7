import { z } from 'zod';
import { adminCommand, adminQuery } from '../../src/shared/channel';
import { BACKUP_NAME } from './names';

export type BackupKind = 'manual' | 'scheduled' | 'pre-restore';

export interface Verification {
  /** 'unchecked' only until the module has looked at a file it did not write (a pre-restore copy). */
  state: 'ok' | 'failed' | 'unchecked';
  checkedAt: string | null;
  /** What the check found, when it failed. */
  problem?: string;
}

export interface Backup {
  /** The file name in the backups folder, e.g. backup-2026-06-01T08-00-00.000Z.sqlite. */
  name: string;
  kind: BackupKind;
  createdAt: string;
  sizeBytes: number;
  verification: Verification;
  /** Rows in the backup when it was verified (a sanity check beside integrity_check). */
  rows: { workItems: number; transitions: number } | null;
}

export interface BackupJob {
  id: string;
  kind: 'manual' | 'scheduled';
  state: 'copying' | 'verifying' | 'done' | 'failed';
  /** Pages copied, 0–100; never goes down, 100 once the copy is complete. */
  progress: number;
  startedAt: string;
  finishedAt: string | null;
  backup: Backup | null;
  error?: string;
}

export interface BackupsStatus {
  folder: string;
  /** The running backup, or the last one since the app started. */
  job: BackupJob | null;
  /** When the next scheduled backup is due (null: no schedule). */
  nextDueAt: string | null;
  intervalHours: number | null;
  /** Which backups are kept, in words (retention.ts). */
  retention: string;
  /** A restore waits for the app to restart (the backup file it will put in place). */
  pendingRestore: { backup: string } | null;
  /** The restore done when the app last started, if any (the copy of the database it replaced can undo it). */
  lastRestore: { backup: string; appliedAt: string; previousDatabase: string | null; reason: 'requested' | 'damaged-database' } | null;
}

const name = z.string().regex(BACKUP_NAME, 'Not a backup file name');

export const backupsContract = {
  /** Every backup in the folder, newest first. */
  'backups.list': adminQuery<Backup[]>()(z.strictObject({})),
  'backups.status': adminQuery<BackupsStatus>()(z.strictObject({})),
  /** Starts a backup now and returns at once; follow it with backups.status. Refused while one runs. */
  'backups.start': adminCommand<BackupJob>()(z.strictObject({})),
  /** Runs the scheduled backup if it is due (the timer does this too); resolves when it is done. */
  'backups.runDue': adminCommand<{ backup: Backup | null }>()(z.strictObject({})),
  /** Checks a backup again (integrity_check) and records the result. */
  'backups.verify': adminCommand<Backup>()(z.strictObject({ name })),
  /**
   * Puts a backup in place of the database at the next start (now, if the app can restart
   * itself). The current database is kept as a pre-restore copy, so the restore can be undone.
   * A backup that fails its check is refused and nothing changes.
   */
  'backups.restore': adminCommand<{ restarting: boolean; preRestoreCopy: string }>()(z.strictObject({ name })),
} as const;
