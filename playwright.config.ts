import { defineConfig } from '@playwright/test';

/** Browser tests run the built renderer in Debian's Chromium against the real core (see tests/browser/fixtures.ts). */
export default defineConfig({
  testDir: 'tests',
  testMatch: ['browser/**/*.spec.ts', 'electron/**/*.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1360, height: 860 },
    trace: 'retain-on-failure',
  },
});
