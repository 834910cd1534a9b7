import type { BackupKind } from './contract';

/** backup-2026-06-01T08-00-00.000Z.sqlite, pre-restore-…; "-2" when two fall in the same millisecond. */
export const BACKUP_NAME = /^(backup|pre-restore)-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z)(-\d+)?\.sqlite$/;

/** An ISO time usable in a file name on every OS (no colons). */
export const fileTime = (at: number) => new Date(at).toISOString().replace(/:/g, '-');

export const backupFileName = (kind: BackupKind, at: number) => `${kind === 'pre-restore' ? 'pre-restore' : 'backup'}-${fileTime(at)}.sqlite`;

/** What the name says: a pre-restore copy or a backup, and when it was made (ISO). */
export function parseBackupName(name: string): { preRestore: boolean; createdAt: string } | null {
  const match = BACKUP_NAME.exec(name);
  if (!match) return null;
  const [date, time] = match[2]!.split('T') as [string, string];
  return { preRestore: match[1] === 'pre-restore', createdAt: `${date}T${time.replace(/-/g, ':')}` };
}
