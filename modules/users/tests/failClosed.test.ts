import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type CoreApp } from '../../../src/core/app';
import { discoveredModules } from '../../../src/core/modules/discovered';
import type { AppStatus } from '../../../src/shared/types';
import { projectRoot, startApp, type TempApp } from '../../../tests/support/tempApp';
import type { SessionState } from '../contract';
import { ADMIN, startUsersApp, type UsersApp } from './usersApp';

/**
 * Sign-in cannot be switched off behind the app's back (finding 6). Once people sign in, the
 * database remembers it: a start without the users module — "enabled": false typed into
 * settings.json, the module folder gone, or the module unable to start — is locked (every call
 * but app.status refused, SIGNED_OUT) with a message naming the file and the fix, instead of an
 * anonymous operator who may administer and unsigned approvals. Only an administrator switching
 * it off from the app (recorded) lets the app run without it. An invalid config never locks
 * anyone out: the module runs with its last good config, or its defaults.
 */
const apps: { cleanup(): void }[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

const settingsOf = (dataDir: string) => join(dataDir, 'settings.json');
const editSettings = (dataDir: string, edit: (settings: { modules: Record<string, { enabled: boolean; config?: Record<string, unknown> }> }) => void) => {
  const settings = JSON.parse(readFileSync(settingsOf(dataDir), 'utf8'));
  edit(settings);
  writeFileSync(settingsOf(dataDir), JSON.stringify(settings, null, 2));
};

/** Opens the data folder as it is (the test switch in tempApp would rewrite the users entry). */
function open(dataDir: string, modules = discoveredModules): CoreApp {
  const app = createApp({ dataDir, assetsRoot: projectRoot, log: () => {}, modules });
  apps.push({ cleanup: () => app.close() });
  return app;
}

async function withPeople(): Promise<UsersApp> {
  const app = await startUsersApp();
  await app.addUser('Sam Staff', 'E1042', 'staff', ['QC'], 'hangar door 7');
  await app.item('at QC');
  app.t.app.close();
  apps.push(app);
  return app;
}

/** Every call but the status is refused with `message`, and nothing is written. */
async function expectLocked(app: CoreApp, message: string) {
  for (const [channel, input] of [
    ['workItems.list', {}],
    ['workItems.create', { title: 'x', steps: [{ name: 'Engineering' }], submit: true }],
    ['operator.set', { name: 'Mallory' }],
    ['modules.setEnabled', { name: 'users', enabled: false }],
    ['departments.create', { name: 'Stores', code: 'STO' }],
    ['users.signIn', { number: ADMIN.number, secret: ADMIN.secret }],
    ['users.setupFirstAdmin', { name: 'Mallory', number: 'M1', secret: '271828', confirm: '271828' }],
  ] as const) {
    const r = await app.invoke(channel, input, 'bench');
    expect(r, channel).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT', message } });
  }
  expect(app.status('bench')).toMatchObject({ actor: null, signIn: true, canAdminister: false });
}

const trail = (dataDir: string) => {
  const db = new Database(join(dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    return db.prepare('select actor_name, entity, entity_id, action from audit_log order by seq').all() as Record<string, string>[];
  } finally {
    db.close();
  }
};

const itemsIn = (dataDir: string) => {
  const db = new Database(join(dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    return (db.prepare('select count(*) as n from work_items').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('a database with people, started without its sign-in module', () => {
  it('("enabled": false typed into settings.json) starts locked, naming the file and the fix; switching it back on lets people in', async () => {
    const { t } = await withPeople();
    editSettings(t.dataDir, (s) => void (s.modules['users']!.enabled = false));
    const locked = open(t.dataDir);
    const status = locked.status('bench');
    expect(status.problems[0]).toBe(
      `Sign-in is required for this database: people sign in with the "users" module, but ${settingsOf(t.dataDir)} switches it off ("enabled": false under "modules" → "users"), which was not done from the app. ` +
        `Nobody can use the app until it is back on: set "enabled": true for "users" in ${settingsOf(t.dataDir)} and restart. ` +
        '(To work without sign-in, an administrator switches the module off in Settings → Modules, which is recorded in the audit trail.)',
    );
    await expectLocked(
      locked,
      `Nobody can sign in: the "users" module this database needs for signing in is switched off in the settings file. An administrator must switch it back on in ${settingsOf(t.dataDir)} (see the start-up problems).`,
    );
    expect(itemsIn(t.dataDir)).toBe(1);
    locked.close();
    apps.pop();
    // The audit trail has it: sign-in went missing outside the app, and the start was locked.
    expect(trail(t.dataDir).at(-1)).toMatchObject({ actor_name: 'Start-up', entity: 'module', entity_id: 'users', action: 'sign-in-missing-at-start' });

    editSettings(t.dataDir, (s) => void (s.modules['users']!.enabled = true));
    const fixed = open(t.dataDir);
    expect(fixed.status().problems).toEqual([]);
    expect(await fixed.invoke('users.signIn', { number: ADMIN.number, secret: ADMIN.secret }, 'office')).toMatchObject({ ok: true });
    expect(fixed.status('office')).toMatchObject({ actor: { name: 'Ada Admin' }, canAdminister: true });
  });

  it('(the module folder gone from the app) starts locked, saying it is not installed', async () => {
    const { t } = await withPeople();
    const locked = open(
      t.dataDir,
      discoveredModules.filter((m) => m.folder !== 'users' && m.folder !== 'assignments'),
    );
    expect(locked.status().problems[0]).toBe(
      'Sign-in is required for this database: people sign in with the "users" module, but it is not installed (its folder modules/users is missing from the app). ' +
        'Nobody can use the app until it is back: reinstall the app, then restart.',
    );
    await expectLocked(locked, 'Nobody can sign in: the "users" module this database needs for signing in is not installed. Reinstall the app (see the start-up problems).');
  });

  it('(unable to start: the departments it needs switched off by hand) starts locked, saying why', async () => {
    const { t } = await withPeople();
    editSettings(t.dataDir, (s) => void (s.modules['departments']!.enabled = false));
    const locked = open(t.dataDir);
    expect(locked.status().problems[0]).toMatch(
      new RegExp(`^Sign-in is required for this database: people sign in with the "users" module, but it could not start \\(Module "users" is disabled: it needs module "departments", which is switched off in the settings file\\.\\)\\. Nobody can use the app until that is fixed in ${settingsOf(t.dataDir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; then restart\\.$`),
    );
    await expectLocked(locked, 'Nobody can sign in: the "users" module could not start. An administrator must fix the settings file (see the start-up problems).');
  });

  it('remembers sign-in for a database from before this note existed, at its first start with the module', async () => {
    const { t } = await withPeople();
    const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'));
    db.prepare('delete from core_sign_in').run();
    db.close();
    open(t.dataDir).close();
    apps.pop();
    editSettings(t.dataDir, (s) => void (s.modules['users']!.enabled = false));
    expect(open(t.dataDir).status().problems[0]).toMatch(/^Sign-in is required for this database/);
  });

  it('an administrator switching it off from the app is recorded, and the next start runs without sign-in', async () => {
    const app = await startUsersApp();
    apps.push(app);
    await app.addUser('Sam Staff', 'E1042', 'staff', ['QC'], 'hangar door 7');
    // What sign-in needs cannot be switched off under it: nobody could sign in after the restart.
    expect(await app.t.fail('modules.setEnabled', { name: 'departments', enabled: false }, 'office')).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'Sign-in (the "users" module) needs the "departments" module: switched off, nobody could sign in after the restart. Switch "users" off first, or keep "departments" on.',
      details: { name: 'departments', neededBy: 'users' },
    });
    // Staff may not; an administrator may.
    await app.signIn('bench', 'E1042', 'hangar door 7');
    expect((await app.t.fail('modules.setEnabled', { name: 'users', enabled: false }, 'bench')).code).toBe('FORBIDDEN');
    await app.t.call('modules.setEnabled', { name: 'users', enabled: false }, 'office');
    expect(app.changes.at(-1)).toMatchObject({ entity: 'module', entityId: 'users', action: 'switched-off', actor: { name: 'Ada Admin' } });
    app.t.app.close();
    expect(trail(app.t.dataDir).at(-1)).toMatchObject({ actor_name: 'Ada Admin', entity: 'module', entity_id: 'users', action: 'switched-off' });

    const without = open(app.t.dataDir);
    expect(without.status()).toMatchObject({ signIn: false, canAdminister: true, actor: { name: 'Hangar operator' } });
    expect(without.status().problems.join('\n')).not.toMatch(/Sign-in is required/);
    expect(await without.invoke('workItems.list', {})).toMatchObject({ ok: true });
  });

  it('a new database whose module is switched off by hand before anyone was added is not locked (nobody relies on sign-in yet)', async () => {
    const app = await startUsersApp({}, { setup: false });
    apps.push(app);
    app.t.app.close();
    editSettings(app.t.dataDir, (s) => void (s.modules['users']!.enabled = false));
    const without = open(app.t.dataDir);
    expect(without.status()).toMatchObject({ signIn: false, canAdminister: true });
  });
});

describe('an invalid users config', () => {
  it('never locks anyone out: the module runs with its defaults (no last good config yet), then with its last good one, and says so', async () => {
    const t: TempApp = startApp({ users: { idleLockMinutes: -5 } });
    apps.push(t);
    let status = await t.call<AppStatus>('app.status');
    expect(status.modules.find((m) => m.name === 'users')).toMatchObject({ state: 'enabled' });
    expect(status.problems).toEqual([
      `Module "users" runs with its default config: its config in ${settingsOf(t.dataDir)} is invalid at "idleLockMinutes": Too small: expected number to be >=1. Fix that value (or remove it to use the default) and restart.`,
    ]);
    // The first administrator can be set up and signs in.
    expect(await t.call<SessionState>('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'office')).toMatchObject({ state: 'signed-in', idleLockMinutes: 10 });

    // A good value is used and kept as the last good one; a bad one later falls back to it.
    editSettings(t.dataDir, (s) => void (s.modules['users']!.config = { scryptCost: 14, idleLockMinutes: 30 }));
    t.app.close();
    let again = open(t.dataDir);
    expect(again.status().problems).toEqual([]);
    again.close();
    apps.pop();
    editSettings(t.dataDir, (s) => void (s.modules['users']!.config = { scryptCost: 14, idleLockMinutes: -5 }));
    again = open(t.dataDir);
    status = again.status();
    expect(status.problems).toEqual([expect.stringMatching(/^Module "users" runs with its last good config \(kept in .*settings\.json\.last-good\): its config in .* is invalid at "idleLockMinutes"/)]);
    expect(await again.invoke('users.signIn', { number: ADMIN.number, secret: ADMIN.secret }, 'office')).toMatchObject({ ok: true, value: { state: 'signed-in', idleLockMinutes: 30 } });
  });
});
