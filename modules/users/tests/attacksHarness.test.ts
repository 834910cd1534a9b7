import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src/shared/errors';
import { runHarness, type RunningHarness } from '../../../tests/support/harness';
import { projectRoot } from '../../../tests/support/tempApp';
import { ADMIN } from './usersApp';

/**
 * Attacks A1/A2 of attacks.test.ts over HTTP, against the built harness (`npx electron-vite build`
 * first): a local program names its session itself (x-aw-session), a new one per request. The
 * harness counts every page as one terminal, this computer, so that buys nothing.
 */
let harness: RunningHarness;
beforeAll(async () => {
  harness = await runHarness(projectRoot, ['--fresh'], { scryptCost: 14 });
  const setup = await harness.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'admin-tab');
  expect(setup.ok).toBe(true);
  expect((await harness.call('users.create', { name: 'Sam Staff', number: 'S200', role: 'staff', departments: ['QC'], secret: '135790' }, 'admin-tab')).ok).toBe(true);
}, 60_000);
afterAll(async () => harness?.stop());

describe('the browser harness, x-aw-session chosen by the caller', () => {
  it('H1 fifteen requests under invented session names check five, and lock Sam at this computer only', async () => {
    const replies: Result<unknown>[] = [];
    for (let i = 0; i < 15; i++) replies.push(await harness.call('users.signIn', { number: 'S200', secret: String(900000 + i) }, `evil-${i}`));
    expect(replies.filter((r) => !r.ok && r.error.message.startsWith('PIN or password incorrect'))).toHaveLength(5);
    expect(replies.at(-1)).toMatchObject({ ok: false, error: { details: { scope: 'person-terminal' } } });
    const sam = ((await harness.call('users.list', {}, 'admin-tab')) as { value: { number: string; lockedUntil: string | null; lockedAt: { terminal: string }[] }[] }).value.find(
      (u) => u.number === 'S200',
    );
    expect(sam).toMatchObject({ lockedUntil: null, lockedAt: [{ terminal: 'browser-harness' }] });
  }, 60_000);

  it('H2 a flood of sign-ins for nobody, each under a fresh session name, is refused at some point', async () => {
    const replies: Result<unknown>[] = [];
    for (let i = 0; i < 60; i++) replies.push(await harness.call('users.signIn', { number: 'NOBODY', secret: 'x' }, `flood-${i}`));
    expect(replies.some((r) => !r.ok && r.error.message.startsWith('This terminal refuses sign-ins'))).toBe(true);
  }, 60_000);
});
