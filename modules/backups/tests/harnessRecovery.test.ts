import { closeSync, existsSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHarness } from '../../../tests/support/harness';
import { projectRoot } from '../../../tests/support/tempApp';
import { createItem, dataDirWith, startApp, waitForJob } from './support';

/** `npm run web` on a damaged database: it says so and stops, or restores the latest backup when told to. */
const dataDir = dataDirWith({});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the browser harness with a damaged database', () => {
  it('refuses to start without --restore-latest-backup and starts on the backup with it', async () => {
    const t = startApp({ log: () => {} }, dataDir);
    await createItem(t, 'Kept by the backup');
    await t.call('backups.start');
    expect((await waitForJob(t)).state).toBe('done');
    t.app.close();
    const fd = openSync(join(dataDir, 'aviation-workflow.sqlite'), 'r+');
    writeSync(fd, Buffer.alloc(100, 7), 0, 100, 0);
    closeSync(fd);

    const refused = await runHarness(projectRoot, ['--data-dir', dataDir]).then(
      (h) => h.stop().then(() => 'started'),
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/exited with 1/);
    expect(refused).toMatch(/The database is damaged\. Restore the backup from .*\?/);
    expect(refused).toMatch(/--restore-latest-backup/);

    const harness = await runHarness(projectRoot, ['--data-dir', dataDir, '--restore-latest-backup']);
    try {
      const list = (await harness.call('workItems.list', {})) as { ok: true; value: { rows: { title: string }[] } };
      expect(list.value.rows.map((r) => r.title)).toEqual(['Kept by the backup']);
    } finally {
      await harness.stop();
    }
    expect(readdirSync(dataDir).filter((f) => f.startsWith('aviation-workflow.damaged-'))).toHaveLength(1);
    expect(existsSync(join(dataDir, 'pending-restore.json'))).toBe(false);
  }, 60_000);
});
