import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, type CoreApp, type CreateAppOptions } from '../../../src/core/app';
import type { AppErrorData, Result } from '../../../src/shared/errors';

/*
 * The same helper as tests/support/tempApp.ts, kept inside this module's folder: the test that
 * deletes another module copies src/ and modules/ but not tests/, so a module's tests must not
 * import from tests/ (the copy would no longer type-check).
 */

export const projectRoot = resolve(import.meta.dirname, '../../..');

export interface TempApp {
  app: CoreApp;
  dataDir: string;
  /** Calls a channel as IPC would and returns the value, failing the test on an error. */
  call<T = any>(channel: string, input?: unknown, session?: string): Promise<T>;
  /** Calls a channel expecting an error and returns it. */
  fail(channel: string, input?: unknown, session?: string): Promise<AppErrorData>;
  cleanup(): void;
}

export const makeDataDir = (): string => mkdtempSync(join(tmpdir(), 'aw-departments-'));

export function startApp(extra: Partial<CreateAppOptions> = {}, dataDir = makeDataDir()): TempApp {
  const logs: string[] = [];
  const app = createApp({ dataDir, assetsRoot: projectRoot, log: (m) => logs.push(m), ...extra });
  return {
    app,
    dataDir,
    call: async (channel, input = {}, session) => {
      const r: Result<unknown> = await app.invoke(channel, input, session);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
      return r.value as any;
    },
    fail: async (channel, input = {}, session) => {
      const r = await app.invoke(channel, input, session);
      if (r.ok) throw new Error(`${channel} was expected to fail but returned ${JSON.stringify(r.value)}`);
      return r.error;
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
}
