import type { Browser, Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHarness, type RunningHarness } from '../support/harness';
import { enrollHarness, runSiteServer, type RunningSiteServer } from '../support/siteServer';
import { expect, projectRoot, test } from './fixtures';
import { api } from './signIn';

/**
 * Site mode in the browser: one site server and two terminals (browser harnesses with --site). The
 * first is enrolled through its first screen, the second through the API; an item made at the
 * first arrives live at the second with a "your turn" notification; with the server stopped both
 * show the unreachable banner and refuse changes, and the banner goes by itself once it is back.
 * Sign-in is off: the second terminal's departments (its dashboard choice) say whose turn it is.
 */
const screensDir = join(projectRoot, 'test-results', 'screens-site');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
];
const QC = 'Quality Control';

let server: RunningSiteServer;
let first: RunningHarness;
let second: RunningHarness;
const dataDirs: string[] = [];
const pages: Page[] = [];
const pageErrors: string[] = [];

/** Screenshots at both window sizes, back at the first afterwards. */
async function shots(page: Page, name: string) {
  mkdirSync(screensDir, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150); // the layout settles (navbar breakpoints)
    await page.screenshot({ path: join(screensDir, `${name}-${size.width}x${size.height}.png`), animations: 'disabled' });
  }
  await page.setViewportSize(SIZES[0]!);
}

async function openPage(browser: Browser, url: string, terminalDepartments: string[] = []): Promise<Page> {
  const context = await browser.newContext({ viewport: SIZES[0]! });
  if (terminalDepartments.length) {
    // This terminal's "my departments" (its dashboard choice), as a person would have picked them.
    await context.addInitScript((departments) => {
      localStorage.setItem('aviation-workflow.terminal', JSON.stringify({ state: { myDepartments: departments }, version: 1 }));
    }, terminalDepartments);
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  pages.push(page);
  return page;
}

const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-site-terminal-'));
  dataDirs.push(dir);
  return dir;
};

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await runSiteServer(projectRoot);
  first = await runHarness(projectRoot, ['--data-dir', newDataDir(), '--site', server.url]);
  second = await runHarness(projectRoot, ['--data-dir', newDataDir(), '--site', server.url]);
  const enrolled = await enrollHarness(second, server, 'QC bench');
  expect(enrolled.ok).toBe(true);
});

test.afterAll(async () => {
  for (const page of pages) await page.context().close();
  await Promise.all([first?.stop(), second?.stop()]);
  await server?.dispose();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

test('a new site terminal is enrolled on its first screen: address, fingerprint, code', async ({ browser }) => {
  const page = await openPage(browser, first.url);
  await expect(page.getByRole('heading', { name: 'Connect to the site server' })).toBeVisible();
  const address = page.getByRole('textbox', { name: 'Site server address' });
  await expect(address).toBeFocused();
  await address.fill('');
  await shots(page, 'enrollment-empty');

  // Nothing listens there: said so, specifically.
  await address.fill('https://127.0.0.1:1');
  await address.press('Enter');
  await expect(page.getByRole('alert')).toContainText('The site server does not answer');

  await address.fill(server.url);
  await address.press('Enter');
  const fingerprint = page.getByRole('group', { name: /Server certificate fingerprint/ });
  await expect(fingerprint).toHaveAttribute('aria-label', `Server certificate fingerprint: ${server.caFingerprint}`);
  await expect(fingerprint).toContainText(server.caFingerprint.slice(0, 11));
  await expect(page.getByText(/Compare every group/)).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Enrollment code' })).toBeDisabled();
  await shots(page, 'enrollment-fingerprint');

  await page.getByLabel('Every group matches the server console').check();
  await page.getByRole('textbox', { name: 'Enrollment code' }).fill('WRONG-CODE');
  await page.getByRole('textbox', { name: 'Name of this terminal' }).fill('Engineering bench');
  await page.getByRole('textbox', { name: 'Name of this terminal' }).press('Enter');
  await expect(page.getByRole('alert')).toContainText('The enrollment code was not accepted');

  await page.getByRole('textbox', { name: 'Enrollment code' }).fill(await server.newCode());
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
});

test('an item made at one terminal arrives live at the other, with a "your turn" notification and a badge', async ({ browser }) => {
  const [one] = pages as [Page];
  const two = await openPage(browser, second.url, [QC]);
  await expect(two.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(two.getByRole('link', { name: /Approvals/ })).not.toContainText(/\d/);

  const created = await api(one, 'workItems.create', { title: 'Borescope No. 2 engine', steps: [{ name: QC }], priority: 'urgent', submit: true });
  expect(created.ok).toBe(true);
  const id = created.value.id as number;

  await expect(two.getByRole('table').getByText('Borescope No. 2 engine').first()).toBeVisible();
  const notice = two.getByRole('alert').filter({ hasText: `Your turn: arrived at ${QC}` });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(`#${id} · Borescope No. 2 engine`);
  await expect(two.getByLabel('1 waiting at your departments')).toBeVisible();
  // The terminal that made it does not work for Quality Control: no notice there.
  await expect(one.getByText(`Your turn: arrived at ${QC}`)).toHaveCount(0);
  await shots(two, 'notification');

  await notice.getByRole('button', { name: `Open item #${id}` }).click();
  await expect(two.getByRole('heading', { name: 'Borescope No. 2 engine' })).toBeVisible();
  await expect(two.getByRole('button', { name: 'Approve' })).toBeEnabled();
});

test('with the server stopped both terminals say so and refuse changes; the banner goes once it is back', async () => {
  const [one, two] = pages as [Page, Page];
  await server.stop();
  for (const page of [one, two]) {
    await expect(page.getByRole('status').filter({ hasText: /Site server unreachable since \d{1,2}:\d{2}.*retrying/ })).toBeVisible({ timeout: 20_000 });
  }
  // What they showed stays; what would change data is off, with the reason.
  await expect(two.getByRole('heading', { name: 'Borescope No. 2 engine' })).toBeVisible();
  await expect(two.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(one.getByRole('button', { name: 'New work item' })).toBeDisabled();
  await one.getByRole('button', { name: 'New work item' }).locator('xpath=..').hover();
  await expect(one.getByRole('tooltip')).toContainText('cannot be reached');
  await expect(one.getByRole('table').getByText('Borescope No. 2 engine').first()).toBeVisible();
  await shots(one, 'unreachable-banner');
  await shots(two, 'unreachable-banner-item');

  await server.restart();
  for (const page of [one, two]) {
    await expect(page.getByText(/Site server unreachable/)).toHaveCount(0, { timeout: 40_000 });
  }
  await expect(two.getByRole('button', { name: 'Approve' })).toBeEnabled();
  await expect(one.getByRole('link', { name: 'New work item' })).toBeVisible();
});

test('administrators see the site’s terminals, make enrollment codes and are asked before revoking one', async () => {
  const [one] = pages as [Page];
  await one.goto(`${first.url}#/settings/terminals`);
  const table = one.getByRole('table', { name: 'Terminals' });
  await expect(table.getByRole('row', { name: /Engineering bench/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /QC bench/ })).toBeVisible();
  await shots(one, 'terminals-panel');

  await one.getByRole('button', { name: 'Revoke QC bench' }).click();
  const confirm = one.getByRole('dialog', { name: 'Revoke “QC bench”?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(confirm).toHaveCount(0);

  await one.getByRole('button', { name: 'New enrollment code' }).click();
  const dialog = one.getByRole('dialog', { name: 'New enrollment code' });
  await expect(dialog.getByLabel('Enrollment code')).toHaveText(/\S{4,}/);
  await expect(dialog).toContainText(server.url);
  await expect(dialog.getByRole('group', { name: /Server certificate fingerprint/ })).toHaveAttribute('aria-label', new RegExp(server.caFingerprint));
  await shots(one, 'enrollment-code');
  await dialog.getByRole('button', { name: 'Done' }).click();

  await one.getByRole('link', { name: 'This terminal' }).click();
  await expect(one.getByText('Site terminal')).toBeVisible();
  await expect(one.getByRole('group', { name: /Pinned certificate fingerprint/ })).toHaveAttribute('aria-label', new RegExp(server.caFingerprint));
  await shots(one, 'this-terminal');
});
