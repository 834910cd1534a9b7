import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { discoveredModules } from '../../../src/core/modules/discovered';
import { defineModule, type RecordedChange } from '../../../src/core/modules/types';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { Role, User } from '../contract';

/**
 * An app with sign-in on, a clock the test moves, and every reported change captured (as an
 * audit module would see them). scryptCost 14 keeps the many hashes of a test quick; the KDF
 * test checks the shipped default separately.
 */
export interface UsersApp {
  t: TempApp;
  changes: RecordedChange[];
  advance(minutes: number): void;
  now(): number;
  /** Creates a person as the first admin (signed in at 'office') and returns them. */
  addUser(name: string, number: string, role: Role, departments: string[], secret: string): Promise<User>;
  signIn(session: string, number: string, secret: string): Promise<void>;
  /** A Standard-template item (Engineering → Quality Control → Operations) made by the admin: a draft, or waiting at QC. */
  item(stage: 'draft' | 'at QC'): Promise<WorkItem>;
  /** Closes and opens the app on the same data folder, optionally with other config. */
  reopen(config?: Record<string, unknown>): UsersApp;
  cleanup(): void;
}

export const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };

function recorder(changes: RecordedChange[]) {
  const definition = defineModule({
    name: 'recorder',
    version: '1.0.0',
    description: 'Captures the change feed',
    setup: () => ({ on: { change: (c: RecordedChange) => void changes.push(c) } }),
  });
  return { folder: 'recorder', definition };
}

/**
 * `durableSessions`: sign-ins outlive a restart (reopen), as on a site server (CreateAppOptions.durableSessions);
 * left out, a reopen signs everyone out, as in the desktop app.
 */
export async function startUsersApp(config: Record<string, unknown> = {}, options: { setup?: boolean; durableSessions?: boolean } = {}): Promise<UsersApp> {
  let now = Date.parse('2026-06-01T08:00:00Z');
  const changes: RecordedChange[] = [];
  const make = (t: TempApp): UsersApp => ({
    t,
    changes,
    advance: (minutes) => void (now += minutes * 60_000),
    now: () => now,
    addUser: (name, number, role, departments, secret) => t.call('users.create', { name, number, role, departments, secret }, 'office'),
    signIn: async (session, number, secret) => void (await t.call('users.signIn', { number, secret }, session)),
    async item(stage) {
      let item = await t.call<WorkItem>('workItems.create', { title: `Item ${stage}`, workflowId: 'template:standard' }, 'office');
      if (stage === 'at QC') {
        item = await t.call('workItems.submit', { id: item.id, expectedVersion: item.version }, 'office');
        item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'office');
      }
      return item;
    },
    reopen: (config) => make(t.reopen(config ? { users: { scryptCost: 14, ...config } } : {})),
    cleanup: () => t.cleanup(),
  });
  const app = make(
    startApp({
      users: { scryptCost: 14, ...config },
      clock: () => now,
      modules: [...discoveredModules, recorder(changes)],
      ...(options.durableSessions ? { durableSessions: true } : {}),
    }),
  );
  if (options.setup !== false) {
    await app.t.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'office');
  }
  return app;
}

/** startUsersApp for a test file: every app it starts is cleaned up after its test. */
export function startPerTest(): typeof startUsersApp {
  const apps: UsersApp[] = [];
  afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
  return async (...args) => {
    const app = await startUsersApp(...args);
    apps.push(app);
    return app;
  };
}

/** Rows of the app's database file, read beside the running app (read-only). */
export function readRows<T>(app: UsersApp, query: string): T[] {
  const db = new Database(join(app.t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    return db.prepare(query).all() as T[];
  } finally {
    db.close();
  }
}
