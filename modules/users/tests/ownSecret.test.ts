import { afterEach, describe, expect, it } from 'vitest';
import { startUsersApp, type UsersApp } from './usersApp';

const apps: UsersApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

async function start() {
  const app = await startUsersApp();
  apps.push(app);
  await app.addUser('Sam Staff', 'S-1', 'staff', ['ENG'], '314159');
  await app.signIn('bench', 'S-1', '314159');
  return app;
}

const change = (current: string, secret: string, confirm = secret) => ({ current, secret, confirm });

describe('changing your own PIN or password', () => {
  it('takes the new one from then on, and records that the person changed it', async () => {
    const app = await start();
    await app.t.call('users.changeOwnSecret', change('314159', 'hangar door 7'), 'bench');
    expect(app.changes.at(-1)).toMatchObject({ entity: 'user', action: 'secret-changed', actor: { name: 'Sam Staff' } });
    expect(JSON.stringify(app.changes)).not.toContain('hangar door 7');

    expect((await app.t.fail('users.signIn', { number: 'S-1', secret: '314159' }, 'other')).code).toBe('FORBIDDEN');
    await app.signIn('other', 'S-1', 'hangar door 7');
    expect((await app.t.call('app.status', {}, 'other')).actor?.name).toBe('Sam Staff');
  });

  it('refuses a wrong current one, counting it towards the lockout, and changes nothing', async () => {
    const app = await start();
    expect(await app.t.fail('users.changeOwnSecret', change('000000', '271828'), 'bench')).toMatchObject({
      code: 'FORBIDDEN',
      message: 'The current PIN or password is incorrect: nothing was changed. 4 more attempts before Sam Staff is locked at this terminal for 15 minutes.',
    });
    expect(app.changes.at(-1)).toMatchObject({ action: 'secret-change-failed', actor: { name: 'Sam Staff' } });
    for (let i = 0; i < 4; i++) await app.t.fail('users.changeOwnSecret', change('000000', '271828'), 'bench');
    expect((await app.t.fail('users.changeOwnSecret', change('314159', '271828'), 'bench')).message).toMatch(/^Sam Staff is locked at this terminal until/);
    // The old PIN still works once the lockout is over; the new one was never set.
    app.advance(16);
    expect((await app.t.fail('users.signIn', { number: 'S-1', secret: '271828' }, 'other')).code).toBe('FORBIDDEN');
    await app.signIn('other', 'S-1', '314159');
  });

  it('checks the new one like any other, and that it was typed twice the same', async () => {
    const app = await start();
    const failures = [
      [change('314159', '314159'), 'secret: The new PIN or password must differ from the current one'],
      [change('314159', '271828', '271829'), 'confirm: The two entries differ; type the same new PIN or password twice'],
      [change('314159', '1234'), 'secret: A PIN needs at least 6 digits'],
      [change('314159', '777777'), 'secret: A PIN cannot be one digit repeated'],
    ] as const;
    for (const [input, message] of failures) {
      const error = await app.t.fail('users.changeOwnSecret', input, 'bench');
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toContain(message);
    }
    expect(app.changes.filter((c) => c.entity === 'user' && c.action.startsWith('secret'))).toEqual([]);
    await app.signIn('other', 'S-1', '314159');
  });

  it('is refused at a terminal where nobody is signed in', async () => {
    const app = await start();
    expect((await app.t.fail('users.changeOwnSecret', change('314159', '271828'), 'kiosk')).code).toBe('SIGNED_OUT');
  });
});
