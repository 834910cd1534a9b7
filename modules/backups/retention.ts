import type { Backup } from './contract';

export interface Keep {
  daily: number;
  weekly: number;
}

const day = (iso: string) => iso.slice(0, 10);

/** The Monday (UTC) of the ISO week the time falls in. */
function week(iso: string): string {
  const date = new Date(`${day(iso)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** The newest backup of each of the `count` most recent periods that have one. */
function newestPerPeriod(newestFirst: Backup[], period: (iso: string) => string, count: number): Backup[] {
  const seen = new Set<string>();
  const kept: Backup[] = [];
  for (const backup of newestFirst) {
    if (seen.size >= count) break;
    const key = period(backup.createdAt);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(backup);
  }
  return kept;
}

/** The backups of one kind the rule keeps: newest verified, and newest of each recent day and week. */
function keptOfKind(newestFirst: Backup[], keep: Keep): Backup[] {
  const verified = newestFirst.filter((b) => b.verification.state === 'ok');
  return [...verified.slice(0, 1), ...newestPerPeriod(verified, day, keep.daily), ...newestPerPeriod(verified, week, keep.weekly)];
}

/**
 * Which backups the retention rule deletes. Scheduled backups and those made with "Back up now"
 * are counted apart, so a backup made by hand never pushes out the scheduled one of its day (or
 * the other way round). Of each kind, kept: the newest backup of each of the last `daily` days
 * that have one and of each of the last `weekly` ISO weeks that have one (as restic's
 * --keep-daily/--keep-weekly), counting verified backups only, and always the newest verified
 * one. Everything else the module made goes, failed ones included. Pre-restore copies are never
 * deleted: they can hold work that exists nowhere else.
 */
export function backupsToDelete(backups: Backup[], keep: Keep): Backup[] {
  const made = backups.filter((b) => b.kind !== 'pre-restore').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const kept = new Set([...keptOfKind(made.filter((b) => b.kind === 'scheduled'), keep), ...keptOfKind(made.filter((b) => b.kind === 'manual'), keep)]);
  return made.filter((b) => !kept.has(b));
}

/** The rule in words, for where backups are listed. */
export function retentionRule(keep: Keep): string {
  const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return (
    `Kept: the newest verified backup of each of the last ${count(keep.daily, 'day')} and ${count(keep.weekly, 'week')}, ` +
    'counted separately for scheduled backups and for those made with Back up now, and always the newest of each. ' +
    'Older and failed backups are deleted after each new backup; copies made before a restore are never deleted.'
  );
}
