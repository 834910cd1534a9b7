import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, projectRoot, screenshotDir, startHarness, test, type Harness } from './fixtures';

/**
 * The settings window's Backups panel against the real core: back up now (with its progress
 * bar), restore with its confirmation, undo, a damaged backup refused, and the error state.
 */

// ~48 MB of filler copied one page per step: the backup takes about a second, long enough to watch.
function prepareDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'aw-browser-backups-'));
  const settings = JSON.parse(readFileSync(join(projectRoot, 'resources', 'default-settings.json'), 'utf8'));
  settings.modules.backups.config = { ...settings.modules.backups.config, pagesPerStep: 1 };
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  const db = new Database(join(dataDir, 'aviation-workflow.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('create table test_filler (bytes blob)');
  const insert = db.prepare('insert into test_filler values (randomblob(4000))');
  db.transaction(() => {
    for (let i = 0; i < 12_000; i++) insert.run();
  })();
  db.close();
  return dataDir;
}

async function call(harness: Harness, channel: string, input: unknown = {}) {
  const response = await fetch(`${harness.url}__api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const result = (await response.json()) as { ok: boolean; value?: any; error?: { message: string } };
  if (!result.ok) throw new Error(`${channel}: ${result.error?.message}`);
  return result.value;
}

const titles = async (harness: Harness) => ((await call(harness, 'workItems.list', {})).rows as { title: string }[]).map((r) => r.title);

test.describe('the Backups panel', () => {
  let harness: Harness;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });

  test.beforeEach(async ({ browser }) => {
    harness = await startHarness(prepareDataDir());
    page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${harness.url}#/settings/backups`);
  });
  test.afterEach(async () => {
    await page.context().close();
    await harness.stop();
    expect(errors).toEqual([]);
  });

  test('backs up now with a progress bar, restores after confirming, and undoes the restore', async () => {
    await expect(page.getByRole('heading', { name: 'Backups' })).toBeVisible();
    await expect(page.getByText('No backups yet')).toBeVisible();
    await expect(page.getByText(/Scheduled once a day; the next is due within minutes/)).toBeVisible();
    await shot('backups-empty');

    await call(harness, 'workItems.create', { title: 'In the backup', steps: [{ name: 'Engineering' }], submit: true });
    // On an idle machine the real backup can finish before the panel's first look at it, so every
    // status answer is shown as the copy stood part-way (43 %) until the in-progress view has been
    // checked; then the real answers pass. (Faking only the first answer raced: a later real one at
    // 0 % could replace it before the check saw it.) The real progress (monotonic, ending at 100)
    // is checked in modules/backups/tests.
    let holding = true;
    await page.route('**/__api/backups.status', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { ok: boolean; value: { job: { state: string; progress: number; finishedAt: string | null; backup: unknown } | null } };
      if (holding && body.ok && body.value.job) {
        body.value.job = { ...body.value.job, state: 'copying', progress: 43, finishedAt: null, backup: null };
      }
      await route.fulfill({ response, json: body });
    });
    await page.getByRole('button', { name: 'Back up now' }).click();
    const progress = page.getByRole('progressbar', { name: 'Backup progress' });
    await expect(progress).toBeVisible();
    await expect(page.getByRole('button', { name: 'Back up now' })).toBeDisabled();
    await shot('backups-in-progress');
    holding = false;
    await expect(page.getByText('Backup saved and verified')).toBeVisible({ timeout: 20_000 });
    const rows = page.getByRole('table', { name: 'Backups' }).locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first().getByText('Verified')).toBeVisible();
    await expect(rows.first().getByText('On demand')).toBeVisible();
    await expect(rows.first().getByText(/MB$/)).toBeVisible();
    await shot('backups-done');

    await call(harness, 'workItems.create', { title: 'Written after the backup', steps: [{ name: 'Engineering' }], submit: true });
    await rows.first().getByRole('button', { name: /Restore the backup from/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
    await expect(dialog.getByText(/Work recorded after it is not in the restored database/)).toBeVisible();
    await shot('backups-restore-confirm');
    await dialog.getByRole('button', { name: 'Restore and restart' }).click();

    // The core restarts on the backup and the page reloads: the backup and the copy made before the restore.
    await expect(rows).toHaveCount(2, { timeout: 20_000 });
    await expect(rows.getByText('Before a restore')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /^Restored backup-/ })).toContainText('Undo restore puts it back');
    await expect(rows.nth(0).getByText('Verified')).toBeVisible();
    expect(await titles(harness)).toEqual(['In the backup']);
    await shot('backups-after-restore');

    await page.getByRole('button', { name: /^Undo the restore: go back to the database as it was at/ }).click();
    await page.getByRole('dialog', { name: 'Restore this backup?' }).getByRole('button', { name: 'Restore and restart' }).click();
    await expect(rows).toHaveCount(3, { timeout: 20_000 });
    expect((await titles(harness)).sort()).toEqual(['In the backup', 'Written after the backup']);
  });

  test('refuses to restore a damaged backup, saying why, and marks it damaged', async () => {
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(page.getByText('Backup saved and verified')).toBeVisible({ timeout: 20_000 });
    const folder = join(harness.dataDir, 'backups');
    const file = join(folder, readdirSync(folder).find((f) => f.endsWith('.sqlite'))!);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x42), 0, 100, 0);
    writeSync(fd, Buffer.alloc(65_536, 0xa5), 0, 65_536, Math.floor(statSync(file).size / 2));
    closeSync(fd);

    await page.getByRole('button', { name: /Restore the backup from/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
    await dialog.getByRole('button', { name: 'Restore and restart' }).click();
    await expect(dialog.getByRole('alert', { name: 'Not restored' })).toContainText(/is damaged and was not restored .* Nothing was changed; choose another backup\./);
    await expect(dialog.getByRole('button', { name: 'Restore and restart' })).toBeHidden();
    await expect(page.getByRole('table', { name: 'Backups' }).getByText('Damaged')).toBeVisible();
    await shot('backups-restore-refused');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(page.getByRole('table', { name: 'Backups' }).getByText('Damaged')).toBeVisible();
    expect(readdirSync(harness.dataDir)).not.toContain('pending-restore.json');
    await expect(page.getByText('Backup saved and verified')).toBeHidden();
    await shot('backups-damaged');
  });

  test('shows what went wrong when the list cannot be loaded', async () => {
    await page.route('**/__api/backups.list', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'The backups folder could not be read.' } }) }),
    );
    await page.reload();
    await expect(page.getByRole('alert')).toContainText('The backups folder could not be read.');
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
    await shot('backups-list-error');
  });
});
