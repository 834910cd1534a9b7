import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PENDING_RESTORE_FILE } from '../../../src/core/db/restore';
import type { AppStatus, WorkItem } from '../../../src/shared/types';
import { holdOpen } from '../../../tests/support/holdOpen';
import type { Backup } from '../contract';
import { createItem, dataDirWith, startApp, testClock, waitForJob, HOUR, type TempApp } from './support';

/**
 * Finding 8: a restore moved the database aside while another process had it open; that process's
 * acknowledged writes went into the moved copy and were gone from the live database. The core
 * lock keeps a second core out; anything else that has the file open (here a separate process,
 * as a viewer or a script would) makes the restore wait, changing nothing, and says so.
 */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

const titles = async (t: TempApp) => (await t.call<{ rows: WorkItem[] }>('workItems.list', { limit: 200 })).rows.map((i) => i.title).sort();

describe('a restore while another program has the database open', () => {
  it('is not done (nothing moves, the request stays, the problem is shown) and is done at the next start once it is closed', async () => {
    const clock = testClock();
    const dataDir = dataDirWith({});
    let t = startApp({ clock: clock.read }, dataDir);
    apps.push(t);
    await createItem(t, 'Before the backup');
    await t.call('backups.start');
    const backup = (await waitForJob(t)).backup as Backup;
    clock.advance(HOUR);
    await createItem(t, 'After the backup');
    await t.call('backups.restore', { name: backup.name });

    const other = await holdOpen(join(dataDir, 'aviation-workflow.sqlite'));
    try {
      apps.splice(apps.indexOf(t), 1);
      t = t.reopen({ clock: clock.read });
      apps.push(t);
      expect(await titles(t)).toEqual(['After the backup', 'Before the backup']);
      expect(existsSync(join(dataDir, PENDING_RESTORE_FILE))).toBe(true);
      expect(readdirSync(join(dataDir, 'backups')).filter((f) => f.includes('pre-restore'))).toEqual([]);
      const status = await t.call<AppStatus>('app.status');
      expect(status.problems).toContain(
        `The restore of the backup ${join(dataDir, 'backups', backup.name)} was not done: another program has the database open. ` +
          `Nothing was changed; it is still asked for and is done at the next start once nothing else has ${join(dataDir, 'aviation-workflow.sqlite')} open ` +
          '(close any other program using it, then restart the app).',
      );
      // Work goes on and is kept: the write lands in the live database, which is not moved from under it.
      await createItem(t, 'While the restore waits');
      expect(await titles(t)).toEqual(['After the backup', 'Before the backup', 'While the restore waits']);
    } finally {
      await other.release();
    }

    apps.splice(apps.indexOf(t), 1);
    t = t.reopen({ clock: clock.read });
    apps.push(t);
    expect(await titles(t)).toEqual(['Before the backup']);
    expect(existsSync(join(dataDir, PENDING_RESTORE_FILE))).toBe(false);
    // Nothing was lost: the pre-restore copy holds everything written up to the restore.
    const copy = (await t.call<Backup[]>('backups.list')).find((b) => b.kind === 'pre-restore')!;
    expect(copy.rows).toMatchObject({ workItems: 3 });
  }, 30_000);
});
