import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, type CoreApp, type CreateAppOptions } from '../../../src/core/app';
import type { AppErrorData, Result } from '../../../src/shared/errors';

/**
 * startApp() as in tests/support/tempApp.ts, kept here so this folder type-checks on its own:
 * the test that deletes a module folder copies src/ and modules/ but not tests/, and
 * tsconfig.node.json type-checks modules/<m>/tests too.
 */
export const projectRoot = resolve(import.meta.dirname, '../../..');

export interface TempApp {
  app: CoreApp;
  dataDir: string;
  call<T = any>(channel: string, input?: unknown, session?: string): Promise<T>;
  fail(channel: string, input?: unknown, session?: string): Promise<AppErrorData>;
  reopen(extra?: Partial<CreateAppOptions>): TempApp;
  cleanup(): void;
}

export const makeDataDir = () => mkdtempSync(join(tmpdir(), 'aw-templates-test-'));

export function startApp(extra: Partial<CreateAppOptions> = {}, dataDir = makeDataDir()): TempApp {
  const logs: string[] = [];
  const app = createApp({ dataDir, assetsRoot: projectRoot, log: (m) => logs.push(m), ...extra });
  const self: TempApp = {
    app,
    dataDir,
    async call(channel, input = {}, session) {
      const r: Result<unknown> = await app.invoke(channel, input, session);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
      return r.value as any;
    },
    async fail(channel, input = {}, session) {
      const r = await app.invoke(channel, input, session);
      if (r.ok) throw new Error(`${channel} was expected to fail but returned ${JSON.stringify(r.value)}`);
      return r.error;
    },
    reopen(more = {}) {
      app.close();
      return startApp({ ...extra, ...more }, dataDir);
    },
    cleanup() {
      try {
        app.close();
      } catch {
        /* already closed */
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
