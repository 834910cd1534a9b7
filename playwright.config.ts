import { defineConfig } from '@playwright/test';

/** Browser tests run the built renderer in Debian's Chromium against the real core (see tests/browser/fixtures.ts). */
export default defineConfig({
  testDir: 'tests',
  testMatch: ['browser/**/*.spec.ts', 'electron/**/*.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // .ci/run allows one retry: a test that passes only on its retry is still named in the summary
  // ("flaky"), but one slow moment on a CI machine does not throw away everything else.
  retries: Number(process.env['PLAYWRIGHT_RETRIES'] ?? 0),
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1360, height: 860 },
    trace: 'retain-on-failure',
  },
});
