import { createApp, type CoreApp, type CreateAppOptions } from './app';
import { DatabaseMissingError } from './db/freshStart';
import { DatabaseCorruptError, requestRestoreOfDamaged, type RestorePoint } from './db/restore';

const RECOVERY: { id: string; name: string } = { id: 'system:start-up', name: 'Start-up recovery' };

/** What a person chose: restore this backup, start a new empty database (a missing one only), or quit (null). */
export type RecoveryChoice = RestorePoint | 'start-new' | null;

/**
 * createApp, and if the database is damaged, missing or emptied, asks `choose` (a dialog, a
 * command-line flag) what to do: restore a verified backup (the file is moved aside, never
 * deleted, and the app starts on the backup), start a new, empty database (offered only for a
 * missing or emptied one; never done without this choice), or quit (null).
 */
export function createAppOrRecover(options: CreateAppOptions, choose: (error: DatabaseCorruptError) => RecoveryChoice): CoreApp | null {
  try {
    return createApp(options);
  } catch (error) {
    if (!(error instanceof DatabaseCorruptError)) throw error;
    const choice = choose(error);
    if (!choice) return null;
    if (choice === 'start-new') return error instanceof DatabaseMissingError ? createApp({ ...options, startNewDatabase: true }) : null;
    requestRestoreOfDamaged(error, choice, (options.clock ?? Date.now)(), RECOVERY);
    return createApp(options);
  }
}

/**
 * The buttons to offer: Restore (the default) when there is a verified backup, Start a new database
 * for a missing or emptied one (never the default), and Quit, always last. The same for the dialog and the command line.
 */
export function recoveryChoices(error: DatabaseCorruptError): { label: string; choice: RecoveryChoice }[] {
  const latest = error.backups[0];
  return [
    ...(latest ? [{ label: 'Restore', choice: latest }] : []),
    ...(error instanceof DatabaseMissingError ? [{ label: 'Start a new, empty database', choice: 'start-new' as const }] : []),
    { label: 'Quit', choice: null },
  ];
}

/** The question to put to a person, in one place for the dialog and the command line. */
export function describeDamage(error: DatabaseCorruptError): { question: string; detail: string } {
  const latest = error.backups[0];
  if (error instanceof DatabaseMissingError) {
    const startNew =
      'Starting a new, empty database instead loses all of it, and whoever is at this computer becomes the first administrator: choose that only to start over on purpose.';
    const found = `This folder has been used before: ${error.signs.join('; ')}.`;
    return latest
      ? {
          question: `The database is missing or empty (${error.problem}). Restore the backup from ${latest.createdAt}?`,
          detail: `${found}\n\nWork done after that backup is not in it. If the database was moved, quit and put it back at ${error.databasePath}.\n\n${startNew}`,
        }
      : {
          question: `The database is missing or empty (${error.problem}), and there is no verified backup to restore.`,
          detail: `${found}\n\nIf the database was moved, quit and put it back at ${error.databasePath}, or contact support.\n\n${startNew}`,
        };
  }
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
