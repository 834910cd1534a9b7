import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/core/app';
import type { AppStatus } from '../../../src/shared/types';
import { makeDataDir, projectRoot } from '../../../tests/support/tempApp';
import type { SessionState } from '../contract';
import { ADMIN, startUsersApp, type UsersApp } from './usersApp';

const apps: UsersApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
const start = async (...args: Parameters<typeof startUsersApp>) => {
  const app = await startUsersApp(...args);
  apps.push(app);
  return app;
};

describe('first run', () => {
  it('is on in the shipped settings and asks for the first administrator: no default account', () => {
    const dataDir = makeDataDir();
    const app = createApp({ dataDir, assetsRoot: projectRoot, log: () => {} });
    try {
      expect(app.status().modules.find((m) => m.name === 'users')?.state).toBe('enabled');
      expect(app.status()).toMatchObject({ signIn: true, actor: null, canAdminister: false });
    } finally {
      app.close();
    }
    const db = new Database(join(dataDir, 'aviation-workflow.sqlite'), { readonly: true });
    expect(db.prepare('select count(*) n from users').get()).toEqual({ n: 0 });
    db.close();
  });

  it('sets up the first administrator once, signed in at once; afterwards the channel is refused', async () => {
    const { t, changes } = await start({}, { setup: false });
    expect(await t.call<SessionState>('users.sessionState', {}, 'office')).toMatchObject({ state: 'setup', user: null });
    expect((await t.fail('workItems.list', {}, 'office')).code).toBe('SIGNED_OUT');
    expect(await t.fail('users.setupFirstAdmin', { ...ADMIN, confirm: '424243' }, 'office')).toMatchObject({
      code: 'VALIDATION',
      message: 'confirm: The two entries differ; type the same PIN or password twice',
    });
    expect((await t.fail('users.setupFirstAdmin', { ...ADMIN, secret: '1234', confirm: '1234' }, 'office')).message).toBe(
      'secret: A PIN needs at least 6 digits (or use a password of at least 8 characters)',
    );

    const state = await t.call<SessionState & { recoveryCode: string }>('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'office');
    expect(state).toMatchObject({ state: 'signed-in', user: { name: 'Ada Admin', number: 'A100' } });
    expect(await t.call<AppStatus>('app.status', {}, 'office')).toMatchObject({
      canAdminister: true,
      actor: { name: 'Ada Admin', number: 'A100', role: 'admin', departments: [] },
    });
    expect(state.recoveryCode).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    expect(changes.map((c) => `${c.entity} ${c.action}`)).toEqual(['user created', 'user recovery-code-created', 'session signed-in']);

    const again = await t.fail('users.setupFirstAdmin', { name: 'Mallory', number: 'M1', secret: '999111', confirm: '999111' }, 'bench');
    expect(again).toMatchObject({ code: 'FORBIDDEN', message: 'The first administrator is already set up here; sign in instead.' });
    expect(await t.call<SessionState>('users.sessionState', {}, 'bench')).toMatchObject({ state: 'signed-out' });
  });
});

describe('signing in at a shared terminal', () => {
  it('lists active people by name and number only, to anyone', async () => {
    const app = await start();
    await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    const off = await app.addUser('Olga Old', 'O300', 'staff', [], '135790');
    await app.t.call('users.setActive', { id: off.id, active: false }, 'office');
    const people = await app.t.call('users.directory', {}, 'bench');
    expect(people).toEqual([
      { id: expect.any(Number), name: 'Ada Admin', number: 'A100' },
      { id: expect.any(Number), name: 'Sam Staff', number: 'S200' },
    ]);
    expect(await app.t.call('users.directory', { search: 's20' }, 'bench')).toHaveLength(1);
  });

  it('signs in by number or by the picked name; a wrong PIN is refused and recorded', async () => {
    const app = await start();
    const sam = await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    const wrong = await app.t.fail('users.signIn', { number: 's200', secret: '000001' }, 'bench');
    expect(wrong).toMatchObject({ code: 'FORBIDDEN', message: 'PIN or password incorrect. 4 more attempts before Sam Staff is locked at this terminal for 15 minutes.' });
    expect(app.changes.at(-1)).toMatchObject({ entity: 'session', entityId: 'bench', action: 'sign-in-failed', after: { userId: sam.id, terminal: 'bench', attemptsLeft: 4 } });
    expect((await app.t.fail('users.signIn', { number: 'X9', secret: '135790' }, 'bench')).message).toBe(
      'Nobody active has the number X9. Check it, or pick your name from the list.',
    );

    const state = await app.t.call<SessionState>('users.signIn', { userId: sam.id, secret: '135790' }, 'bench');
    expect(state).toMatchObject({ state: 'signed-in', user: { name: 'Sam Staff' } });
    expect(await app.t.call<AppStatus>('app.status', {}, 'bench')).toMatchObject({
      canAdminister: false,
      actor: { id: `user:${sam.id}`, name: 'Sam Staff', number: 'S200', role: 'staff', departments: ['Quality Control'] },
    });
    expect(app.changes.at(-1)).toMatchObject({ entity: 'session', action: 'signed-in', actor: { name: 'Sam Staff' } });

    await app.t.call('users.signOut', {}, 'bench');
    expect((await app.t.fail('workItems.list', {}, 'bench')).code).toBe('SIGNED_OUT');
    expect(app.changes.at(-1)).toMatchObject({ entity: 'session', action: 'signed-out' });
  });

  it('locks a person out at the terminal the guesses came from, says until when, and lets them in after the lockout', async () => {
    const app = await start({ maxFailedAttempts: 3, lockoutMinutes: 20 });
    await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    for (let i = 0; i < 2; i++) await app.t.fail('users.signIn', { number: 'S200', secret: '999999' }, 'bench');
    const locked = await app.t.fail('users.signIn', { number: 'S200', secret: '999999' }, 'bench');
    const until = new Date(app.now() + 20 * 60_000);
    const hhmm = until.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    const lockedMessage = `Sam Staff is locked at this terminal until ${hhmm} after too many wrong PINs or passwords. Try again then or at another terminal, or ask an administrator to unlock.`;
    expect(locked).toEqual({
      code: 'FORBIDDEN',
      message: `PIN or password incorrect. ${lockedMessage}`,
      details: { lockedUntil: until.toISOString(), scope: 'person-terminal' },
    });
    expect(app.changes.filter((c) => c.action === 'locked-out')).toMatchObject([
      { entity: 'user', action: 'locked-out', after: { terminal: 'bench', where: 'this terminal', until: until.toISOString(), failures: 3 }, actor: { id: 'terminal:bench' } },
    ]);
    // While locked, the right PIN gets exactly the answer a wrong one gets, and is not evaluated.
    const right = await app.t.fail('users.signIn', { number: 'S200', secret: '135790' }, 'bench');
    const wrong = await app.t.fail('users.signIn', { number: 'S200', secret: '000000' }, 'bench');
    expect(right).toEqual({ code: 'FORBIDDEN', message: lockedMessage, details: { lockedUntil: until.toISOString(), scope: 'person-terminal' } });
    expect(wrong).toEqual(right);
    // The lock is on this terminal first: Sam signs in at another.
    await app.signIn('hangar-2', 'S200', '135790');

    app.advance(19);
    expect((await app.t.fail('users.signIn', { number: 'S200', secret: '135790' }, 'bench')).message).toBe(lockedMessage);
    app.advance(2);
    await app.signIn('bench', 'S200', '135790');
  });

  it('keeps counts and lockouts across a restart', async () => {
    let app = await start({ maxFailedAttempts: 2 });
    await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    await app.t.fail('users.signIn', { number: 'S200', secret: '999999' }, 'bench');
    app = app.reopen();
    apps.splice(0, 1, app);
    // One failure was kept: the next one locks.
    expect((await app.t.fail('users.signIn', { number: 'S200', secret: '999999' }, 'bench')).message).toContain('is locked at this terminal until');
    app = app.reopen();
    apps.splice(0, 1, app);
    expect(await app.t.fail('users.signIn', { number: 'S200', secret: '135790' }, 'bench')).toMatchObject({ details: { scope: 'person-terminal' } });
  });

  it('an administrator resetting the PIN, or unlocking, lifts the lockout', async () => {
    const app = await start({ maxFailedAttempts: 2 });
    const sam = await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    for (let i = 0; i < 2; i++) await app.t.fail('users.signIn', { number: 'S200', secret: '999999' }, 'bench');
    const locked = (await app.t.call('users.list', {}, 'office')).find((u: { id: number }) => u.id === sam.id);
    expect(locked).toMatchObject({ lockedUntil: null, lockedAt: [{ terminal: 'bench', until: new Date(app.now() + 15 * 60_000).toISOString() }] });
    const reset = await app.t.call('users.resetSecret', { id: sam.id, secret: 'new password' }, 'office');
    expect(reset).toMatchObject({ lockedUntil: null, lockedAt: [] });
    expect(app.changes.at(-1)).toMatchObject({ entity: 'user', action: 'secret-reset', actor: { name: 'Ada Admin' } });
    expect((await app.t.fail('users.signIn', { number: 'S200', secret: '135790' }, 'bench')).message).toMatch(/^PIN or password incorrect/);
    await app.signIn('bench', 'S200', 'new password');

    for (let i = 0; i < 2; i++) await app.t.fail('users.signIn', { number: 'S200', secret: '999999' }, 'bench');
    expect(await app.t.call('users.unlock', { id: sam.id }, 'office')).toMatchObject({ lockedAt: [] });
    expect(app.changes.at(-1)).toMatchObject({ entity: 'user', action: 'unlocked', before: { terminals: [{ terminal: 'bench' }] }, actor: { name: 'Ada Admin' } });
    expect(await app.t.fail('users.unlock', { id: sam.id }, 'office')).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Sam Staff is not locked out.' });
    await app.signIn('bench', 'S200', 'new password');
  });
});

describe('the idle lock, enforced by the core', () => {
  it('refuses calls once the terminal was idle longer than idleLockMinutes; activity keeps it alive, screens refreshing do not', async () => {
    const app = await start({ idleLockMinutes: 10 });
    await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    await app.signIn('bench', 'S200', '135790');
    // What the person does: a change, or the screen reporting keyboard and pointer use.
    for (const call of [() => app.t.call('workItems.create', { title: 'Borescope', workflowId: 'template:standard' }, 'bench'), () => app.t.call('users.activity', {}, 'bench')]) {
      app.advance(9);
      await call();
    }
    // Reading (a dashboard refreshing itself) is not activity.
    for (let i = 0; i < 3; i++) {
      app.advance(3);
      await app.t.call('workItems.list', {}, 'bench');
    }
    app.advance(1.5);
    expect(await app.t.fail('workItems.list', {}, 'bench')).toMatchObject({ code: 'SIGNED_OUT' });
    expect(await app.t.call<SessionState>('users.sessionState', {}, 'bench')).toMatchObject({ state: 'locked', user: { name: 'Sam Staff' } });
    expect(app.changes.at(-1)).toMatchObject({ entity: 'session', action: 'locked', after: { reason: 'idle' } });
    // The status (polled by screens) is not activity, and the lock stays whatever the clock does next.
    expect((await app.t.call<AppStatus>('app.status', {}, 'bench')).actor).toBeNull();

    // Unlock: the same person's PIN.
    await app.signIn('bench', 'S200', '135790');
    expect(app.changes.at(-1)).toMatchObject({ action: 'unlocked' });
    await app.t.call('workItems.list', {}, 'bench');
  });

  it('locks on request; someone else may sign in instead (switch user)', async () => {
    const app = await start();
    await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    await app.addUser('Lee Lead', 'L300', 'lead', ['QC'], '246810');
    await app.signIn('bench', 'S200', '135790');
    expect(await app.t.call<SessionState>('users.lock', {}, 'bench')).toMatchObject({ state: 'locked', user: { name: 'Sam Staff' } });
    expect((await app.t.fail('workItems.list', {}, 'bench')).code).toBe('SIGNED_OUT');
    await app.signIn('bench', 'L300', '246810');
    expect((await app.t.call<AppStatus>('app.status', {}, 'bench')).actor?.name).toBe('Lee Lead');
    expect(app.changes.slice(-2).map((c) => c.action)).toEqual(['signed-out', 'signed-in']);
  });
});

describe('stronger hashes later', () => {
  it('re-hashes with the higher cost at the next good sign-in', async () => {
    let app = await start();
    await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    const hash = () => {
      const db = new Database(join(app.t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
      try {
        return (db.prepare("select secret_hash h from users where number = 'S200'").get() as { h: string }).h;
      } finally {
        db.close();
      }
    };
    expect(hash()).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
    app = app.reopen({ scryptCost: 15 });
    apps.splice(0, 1, app);
    await app.t.fail('users.signIn', { number: 'S200', secret: '999999' }, 'bench');
    expect(hash()).toMatch(/^\$scrypt\$ln=14,/);
    await app.signIn('bench', 'S200', '135790');
    expect(hash()).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    await app.t.call('users.signOut', {}, 'bench');
    await app.signIn('bench', 'S200', '135790');
  });
});
