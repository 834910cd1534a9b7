import { createApp, type CoreApp, type CreateAppOptions } from './app';
import { DatabaseCorruptError, requestRestoreOfDamaged, type RestorePoint } from './db/restore';

const RECOVERY: { id: string; name: string } = { id: 'system:start-up', name: 'Start-up recovery' };

/**
 * createApp, and if the database is damaged, asks `choose` (a dialog, a command-line flag)
 * which verified backup to restore instead: the damaged file is moved aside, never deleted,
 * and the app starts on the backup. Null when the choice is not to restore (quit).
 */
export function createAppOrRecover(
  options: CreateAppOptions,
  choose: (error: DatabaseCorruptError) => RestorePoint | null,
): CoreApp | null {
  try {
    return createApp(options);
  } catch (error) {
    if (!(error instanceof DatabaseCorruptError)) throw error;
    const point = choose(error);
    if (!point) return null;
    requestRestoreOfDamaged(error, point, (options.clock ?? Date.now)(), RECOVERY);
    return createApp(options);
  }
}

/** The question to put to a person, in one place for the dialog and the command line. */
export function describeDamage(error: DatabaseCorruptError): { question: string; detail: string } {
  const latest = error.backups[0];
  return latest
    ? {
        question: `The database is damaged. Restore the backup from ${latest.createdAt}?`,
        detail: `${error.problem}\n\nWork done after that backup is not in it. The damaged file is kept beside the new one (renamed aviation-workflow.damaged-<time>.sqlite), not deleted.`,
      }
    : {
        question: 'The database is damaged and there is no verified backup to restore.',
        detail: `${error.problem}\n\nThe file is at ${error.databasePath}; it has not been changed. Keep it for recovery and contact support.`,
      };
}
