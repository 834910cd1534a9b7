import { test as base, chromium, type Browser, type Page } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runHarness } from '../support/harness';
import type { UsersOption } from '../support/usersSwitch';

export const projectRoot = resolve(import.meta.dirname, '../..');
export const screenshotDir = join(projectRoot, 'test-results', 'screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the built browser harness on a free loopback port with its own data folder. Sign-in
 * (the users module) is off unless `users` asks for it.
 */
export async function startHarness(dataDir = mkdtempSync(join(tmpdir(), 'aw-browser-')), users: UsersOption = false): Promise<Harness> {
  const running = await runHarness(projectRoot, ['--data-dir', dataDir], users);
  return {
    url: running.url,
    dataDir,
    stop: async () => {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const test = base.extend<
  { users: UsersOption; harness: Harness; app: Page; shot: (name: string) => Promise<void> },
  { browser: Browser }
>({
  /** Sign-in is off unless a spec says `test.use({ users: true })` (or gives the module's config). */
  users: [false, { option: true }],
  browser: [
    async ({}, use) => {
      if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  harness: async ({ users }, use) => {
    const harness = await startHarness(undefined, users);
    await use(harness);
    await harness.stop();
  },
  app: async ({ browser, harness }, use) => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(harness.url);
    await use(page);
    await context.close();
    if (errors.length) throw new Error(`The page logged errors:\n${errors.join('\n')}`);
  },
  shot: async ({ app }, use) => {
    mkdirSync(screenshotDir, { recursive: true });
    await use(async (name) => {
      await app.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
    });
  },
});

export { expect } from '@playwright/test';
