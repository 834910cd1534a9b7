import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';

/**
 * Sign-in switched on but unable to start (a bad config, its departments module off) must
 * not leave the hangar with an anonymous operator who may administer: nobody gets in.
 */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

describe('when the users module is on but cannot start', () => {
  it('refuses every call and says why, instead of falling back to an anonymous operator', async () => {
    const t = startApp({ users: { maxFailedAttempts: -3 } });
    apps.push(t);
    const status = await t.call<AppStatus>('app.status');
    expect(status.modules.find((m) => m.name === 'users')?.state).toBe('failed');
    expect(status).toMatchObject({ actor: null, signIn: true, canAdminister: false });
    expect(status.problems.join('\n')).toMatch(/users/);
    for (const [channel, input] of [
      ['workItems.list', {}],
      ['workItems.create', { title: 'x', steps: [{ name: 'Engineering' }] }],
      ['operator.set', { name: 'Mallory' }],
      ['modules.setEnabled', { name: 'users', enabled: false }],
      ['departments.create', { name: 'Stores', code: 'STO' }],
    ] as const) {
      const error = await t.fail(channel, input);
      expect(error.code, channel).toBe('SIGNED_OUT');
      expect(error.message).toBe('Nobody can sign in: the "users" module could not start. An administrator must fix the settings file (see the start-up problems).');
    }
  });

  it('switched off on purpose, the app runs as the anonymous operator, as before', async () => {
    const t = startApp({ users: false });
    apps.push(t);
    expect(await t.call<AppStatus>('app.status')).toMatchObject({ signIn: false, canAdminister: true });
    expect((await t.call('workItems.list', {})).total).toBe(0);
  });
});
