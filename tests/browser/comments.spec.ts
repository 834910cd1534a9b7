import type { Browser, Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, projectRoot, screenshotDir, startHarness, test } from './fixtures';

async function createItem(app: Page, title: string) {
  const created = await app.evaluate(
    (t) => window.api['workItems.create']({ title: t, workflowId: 'template:standard', submit: true }),
    title,
  );
  expect(created).toMatchObject({ ok: true });
}

/** Full-page screenshots from the top, so the sticky header sits where it belongs. */
async function top(app: Page) {
  await app.evaluate(() => window.scrollTo(0, 0));
}

const commentsPanel = (app: Page) => app.getByRole('region', { name: 'Comments' });

async function post(app: Page, text: string) {
  const panel = commentsPanel(app);
  await panel.getByLabel('Add a comment').fill(text);
  await panel.getByRole('button', { name: 'Post comment' }).click();
  await expect(panel.getByLabel('Add a comment')).toHaveValue('');
}

test('a comment is posted in the item view and shows in the thread and the History', async ({ app, harness, shot }) => {
  await createItem(app, 'Replace brake unit, wheel #3');
  await app.evaluate(() => window.api['operator.set']({ name: 'Ann Inspector' }));
  await app.goto(`${harness.url}#/items/1`);
  await app.reload();
  await expect(app.getByRole('button', { name: /Working here: Ann Inspector/ })).toBeVisible();
  const panel = commentsPanel(app);
  await expect(panel.getByText('No comments yet')).toBeVisible();
  await expect(panel.getByText('0 / 2,000 characters')).toBeVisible();
  await expect(panel.getByText('Comments cannot be edited after posting.')).toBeVisible();
  await top(app);
  await shot('comments-empty');

  // An empty comment is refused by the core, with the message next to the field.
  await panel.getByRole('button', { name: 'Post comment' }).click();
  await expect(panel.getByText('A comment cannot be empty')).toBeVisible();

  const field = panel.getByLabel('Add a comment');
  await field.fill('Wear pin below limit.\nReplacement unit S/N 4471 fitted.');
  await expect(panel.getByText('A comment cannot be empty')).toBeHidden();
  await expect(panel.getByText('55 / 2,000 characters')).toBeVisible();
  await panel.getByRole('button', { name: 'Post comment' }).click();
  await expect(field).toHaveValue('');

  const entry = panel.getByRole('article', { name: 'Comment by Ann Inspector' });
  await expect(entry).toContainText('Wear pin below limit.');
  // Line breaks are kept as typed.
  expect(await entry.getByText(/Wear pin below limit/).innerText()).toBe('Wear pin below limit.\nReplacement unit S/N 4471 fitted.');
  await expect(panel.getByText('No comments yet')).toBeHidden();
  await expect(entry.getByRole('button', { name: 'Edit' })).toHaveCount(0);

  // The comment is in the History, after the item's creation.
  const history = app.getByLabel('History', { exact: true });
  await expect(history).toContainText('Comment');
  await expect(history).toContainText('Replacement unit S/N 4471 fitted.');
  const historyText = await history.innerText();
  expect(historyText.indexOf('Created')).toBeLessThan(historyText.indexOf('Wear pin below limit.'));

  // A transition after the comment comes after it in the History.
  await app.getByRole('button', { name: 'Approve' }).click();
  const dialog = app.getByRole('dialog', { name: 'Approve this step' });
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
  await expect(history).toContainText('Approved at Engineering');
  const after = await history.innerText();
  expect(after.indexOf('Wear pin below limit.')).toBeLessThan(after.indexOf('Approved at Engineering'));

  // Ctrl+Enter posts too.
  await field.fill('Second note');
  await field.press('Control+Enter');
  await expect(panel.getByRole('article')).toHaveCount(2);
  await expect(panel.getByRole('article').nth(1)).toContainText('Second note');
  await top(app);
  await shot('comments-thread');
});

test('HTML in a comment is shown as text, never run', async ({ app, harness, shot }) => {
  await createItem(app, 'Cabin PA test');
  await app.goto(`${harness.url}#/items/1`);
  const html = '<b>bold?</b> <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  await post(app, html);
  const panel = commentsPanel(app);
  await expect(panel.getByText(html, { exact: true })).toBeVisible();
  await expect(app.getByLabel('History', { exact: true }).getByText(html, { exact: true })).toBeVisible();
  await expect(panel.locator('b, img, script')).toHaveCount(0);
  expect(await app.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await top(app);
  await shot('comments-html-as-text');
});

test('the counter shows the configured limit and a longer comment is refused', async ({ app, harness, shot }) => {
  await createItem(app, 'Landing gear lubrication');
  await app.goto(`${harness.url}#/items/1`);
  const panel = commentsPanel(app);
  const field = panel.getByLabel('Add a comment');
  await field.fill('x'.repeat(2001));
  await expect(panel.getByText('2,001 / 2,000 characters')).toBeVisible();
  await expect(panel.getByText('A comment can be at most 2,000 characters; this one has 2,001.')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Post comment' })).toBeDisabled();
  await top(app);
  await shot('comments-too-long');

  await field.press('End');
  await field.press('Backspace');
  await expect(panel.getByText('2,000 / 2,000 characters')).toBeVisible();
  await expect(panel.getByText(/A comment can be at most/)).toBeHidden();
  await panel.getByRole('button', { name: 'Post comment' }).click();
  await expect(panel.getByRole('article')).toHaveCount(1);
});

/** A harness whose settings file turns on editing with a short window and a small limit. */
async function withEditing(browser: Browser, run: (app: Page, url: string) => Promise<void>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'aw-browser-comments-'));
  const defaults = JSON.parse(readFileSync(join(projectRoot, 'resources', 'default-settings.json'), 'utf8'));
  const comments = { enabled: true, config: { maxLength: 280, allowEditing: true, editWindowMinutes: 30 } };
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ ...defaults, modules: { ...defaults.modules, comments } }));
  const harness = await startHarness(dataDir);
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const errors: string[] = [];
  try {
    const app = await context.newPage();
    app.on('pageerror', (e) => errors.push(e.message));
    app.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await app.goto(harness.url);
    await run(app, harness.url);
  } finally {
    await context.close();
    await harness.stop();
  }
  expect(errors).toEqual([]);
}

test('with editing allowed, the author edits and the earlier text stays viewable', async ({ browser }) => {
  await withEditing(browser, async (app, url) => {
    await createItem(app, 'Fuel quantity indication fault');
    await app.evaluate(() => window.api['operator.set']({ name: 'Bob Engineer' }));
    await app.goto(`${url}#/items/1`);
    await app.reload();
    const panel = commentsPanel(app);
    await expect(panel.getByText('0 / 280 characters')).toBeVisible();
    await expect(panel.getByText(/You can edit your comment for 30 minutes after posting/)).toBeVisible();
    await post(app, 'Probe 3 reads 20% low.');

    const entry = panel.getByRole('article', { name: 'Comment by Bob Engineer' });
    await entry.getByRole('button', { name: 'Edit' }).click();
    const edit = entry.getByLabel('Edit comment');
    await expect(edit).toHaveValue('Probe 3 reads 20% low.');
    await edit.fill('x'.repeat(281));
    await expect(entry.getByText('A comment can be at most 280 characters; this one has 281.')).toBeVisible();
    await expect(entry.getByRole('button', { name: 'Save' })).toBeDisabled();
    await edit.fill('Probe 3 reads 25% low; connector corroded.');
    await entry.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    await expect(entry).toContainText('Probe 3 reads 25% low; connector corroded.');
    await expect(entry.getByText('edited', { exact: true })).toBeVisible();
    await expect(app.getByLabel('History', { exact: true })).toContainText('Probe 3 reads 25% low; connector corroded.');
    await expect(app.getByLabel('History', { exact: true })).toContainText(/Edited /);

    await entry.getByRole('button', { name: 'Show earlier versions (1)' }).click();
    const earlier = entry.getByLabel('Earlier versions');
    await expect(earlier).toContainText('Probe 3 reads 20% low.');
    await expect(earlier).toContainText('Version 1');
    await expect(earlier).toContainText('by Bob Engineer');
    await top(app);
    await app.screenshot({ path: join(screenshotDir, 'comments-edited.png'), fullPage: true, animations: 'disabled' });

    // Another person at another terminal cannot edit Bob's comment.
    const other = await app.context().newPage();
    await other.goto(`${url}#/items/1`);
    await other.evaluate(() => window.api['operator.set']({ name: 'Ann Inspector' }));
    await other.reload();
    const otherEntry = commentsPanel(other).getByRole('article', { name: 'Comment by Bob Engineer' });
    await expect(otherEntry).toContainText('connector corroded');
    await expect(otherEntry.getByRole('button', { name: 'Edit' })).toHaveCount(0);
    await other.close();
  });
});
