import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, type CoreApp, type CreateAppOptions } from '../../src/core/app';
import type { AppErrorData, Result } from '../../src/shared/errors';
import { applyUsersSwitch, type UsersOption } from './usersSwitch';

export const projectRoot = resolve(import.meta.dirname, '../..');

export interface TempApp {
  app: CoreApp;
  dataDir: string;
  /** Calls a channel as IPC would and returns the value, failing the test on an error. */
  call<T = any>(channel: string, input?: unknown, session?: string): Promise<T>;
  /** Calls a channel expecting an error and returns it. */
  fail(channel: string, input?: unknown, session?: string): Promise<AppErrorData>;
  /** The log lines the app wrote. */
  logs: string[];
  reopen(extra?: StartOptions): TempApp;
  cleanup(): void;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'aw-test-'));
}

export type StartOptions = Partial<CreateAppOptions> & {
  /** Sign-in (the users module): off unless asked for; `true` or its config switches it on. */
  users?: UsersOption;
};

export function startApp(options: StartOptions = {}, dataDir = makeDataDir()): TempApp {
  const { users = false, ...extra } = options;
  applyUsersSwitch(projectRoot, dataDir, users);
  const logs: string[] = [];
  const app = createApp({ dataDir, assetsRoot: projectRoot, log: (m) => logs.push(m), ...extra });
  const unwrap = (channel: string, r: Result<unknown>) => {
    if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const self: TempApp = {
    app,
    dataDir,
    logs,
    call: async (channel, input = {}, session) => unwrap(channel, await app.invoke(channel, input, session)) as any,
    fail: async (channel, input = {}, session) => {
      const r = await app.invoke(channel, input, session);
      if (r.ok) throw new Error(`${channel} was expected to fail but returned ${JSON.stringify(r.value)}`);
      return r.error;
    },
    reopen(more = {}) {
      app.close();
      return startApp({ ...options, ...more }, dataDir);
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
