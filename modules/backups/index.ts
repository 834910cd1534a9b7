import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { defineModule } from '../../src/core/modules/types';
import { backupsContract } from './contract';
import { BackupFolder } from './folder';
import { BackupService } from './service';

const configSchema = z.strictObject({
  /** Hours between scheduled backups; null switches the schedule off (backups on demand only). */
  intervalHours: z.number().positive().max(24 * 31).nullable().default(24),
  keep: z
    .strictObject({
      /** The newest backup of each of this many recent days that have one. */
      daily: z.number().int().min(0).max(366).default(7),
      /** The newest backup of each of this many recent weeks that have one. */
      weekly: z.number().int().min(0).max(520).default(4),
    })
    .default({ daily: 7, weekly: 4 }),
  /** Where backups go; relative to the data folder unless absolute. Another disk is better. */
  folder: z.string().trim().min(1).max(1000).default('backups'),
  /** Pages copied per step of the online backup: smaller steps let the app answer in between. */
  pagesPerStep: z.number().int().min(1).max(1_000_000).default(256),
});

/** How often the timer looks whether a backup is due; the clock decides whether one is. */
const CHECK_EVERY_MS = 10 * 60_000;
const FIRST_CHECK_MS = 2 * 60_000;

export default defineModule({
  name: 'backups',
  version: '0.1.0',
  description: 'Verified online backups of the database, on a schedule and on demand; restore (and undo) from the settings window.',
  configSchema,
  contract: backupsContract,
  setup(ctx) {
    const folder = new BackupFolder(isAbsolute(ctx.config.folder) ? ctx.config.folder : join(ctx.dataDir, ctx.config.folder));
    const service = new BackupService(ctx as never, folder, ctx.config);
    // Once createApp has bound the change subscribers (the audit trail): changes reported during setup reach nobody.
    queueMicrotask(() => {
      const failed = (error: Error) => ctx.log(`Problem: checking the backups folder failed: ${error.message}`);
      try {
        service.afterStart().catch(failed);
      } catch (error) {
        failed(error as Error);
      }
    });

    let timer: NodeJS.Timeout | undefined;
    const check = (delay: number) => {
      timer = setTimeout(() => {
        service
          .runDue()
          .catch((error: Error) => ctx.log(`Problem: the scheduled backup failed: ${error.message}`))
          .finally(() => check(CHECK_EVERY_MS));
      }, delay);
      // A pending check must not keep a test run or a closing app alive.
      timer.unref();
    };
    if (ctx.config.intervalHours) check(FIRST_CHECK_MS);

    return {
      stop: () => {
        clearTimeout(timer);
        service.stop();
      },
      handlers: {
        // A file found unchecked at start (the pre-restore copy) is being checked off the thread:
        // the list waits for that check, so it shows the result rather than "not checked".
        'backups.list': async () => {
          // Not a wait for this connection: other calls go on meanwhile (a large copy takes a while to check).
          await ctx.storage.released(service.startupChecked());
          return service.list();
        },
        'backups.status': () => service.status(),
        'backups.start': (_input, call) => {
          const { job, done } = service.start('manual', call.actor);
          void done;
          return job;
        },
        'backups.runDue': async () => ({ backup: await service.runDue() }),
        'backups.verify': ({ name }, call) => service.verify(name, call.actor),
        'backups.restore': ({ name }, call) => service.restore(name, call.actor),
      },
    };
  },
});
