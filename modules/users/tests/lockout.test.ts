import { describe, expect, it } from 'vitest';
import type { AppErrorData } from '../../../src/shared/errors';
import type { WorkItem } from '../../../src/shared/types';
import type { SessionState } from '../contract';
import { ADMIN, startPerTest, type UsersApp } from './usersApp';

/**
 * Guessing PINs, as an attacker at a terminal would: bursts of parallel guesses, guesses from
 * several terminals, and at everybody from one terminal. Every attempt is counted before its
 * slow check runs, so however many arrive at once only the allowed number is ever evaluated.
 */
const start = startPerTest();

const failures = (app: UsersApp, action: string) => app.changes.filter((c) => c.action === action);
const guess = (app: UsersApp, number: string, secret: string, session: string) => app.t.app.invoke('users.signIn', { number, secret }, session);
const errorOf = (r: Awaited<ReturnType<typeof guess>>): AppErrorData => {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
};

describe('a burst of guesses at one person', () => {
  it('evaluates only the allowed number of 200 parallel guesses, and the right PIN among them gets the same answer as the rest', async () => {
    const app = await start();
    const guesses = Array.from({ length: 200 }, (_, i) => (i === 120 ? ADMIN.secret : String(100000 + i)));
    const replies = await Promise.all(guesses.map((secret) => guess(app, ADMIN.number, secret, 'attack')));

    expect(replies.every((r) => !r.ok)).toBe(true);
    const evaluated = replies.filter((r) => errorOf(r).message.startsWith('PIN or password incorrect.'));
    expect(evaluated).toHaveLength(5);
    expect(failures(app, 'sign-in-failed')).toHaveLength(5);
    // Every other reply, the right PIN's included, is the same refusal, word for word.
    const refused = replies.filter((r) => !evaluated.includes(r)).map(errorOf);
    expect(refused).toHaveLength(195);
    expect(new Set(refused.map((e) => JSON.stringify(e))).size).toBe(1);
    expect(refused[0]).toMatchObject({ code: 'FORBIDDEN', details: { scope: 'person-terminal' } });
    expect(JSON.stringify(errorOf(replies[120]!))).toBe(JSON.stringify(refused[0]));
    expect(await app.t.call<SessionState>('users.sessionState', {}, 'attack')).toMatchObject({ state: 'signed-out' });
    expect(failures(app, 'locked-out')).toHaveLength(1);
  });

  it('keeps counting after a lockout: each wrong attempt after it locks again for twice as long, and a good one starts afresh', async () => {
    const app = await start({ maxFailedAttempts: 3, lockoutMinutes: 10 });
    for (let i = 0; i < 3; i++) await app.t.fail('users.signIn', { number: ADMIN.number, secret: '111111' }, 'attack');
    const untilOf = (e: AppErrorData) => Date.parse((e.details as { lockedUntil: string }).lockedUntil) - app.now();

    app.advance(11);
    expect(untilOf(await app.t.fail('users.signIn', { number: ADMIN.number, secret: '111112' }, 'attack'))).toBe(20 * 60_000);
    app.advance(21);
    expect(untilOf(await app.t.fail('users.signIn', { number: ADMIN.number, secret: '111113' }, 'attack'))).toBe(40 * 60_000);
    expect(failures(app, 'locked-out').map((c) => (c.after as { failures: number }).failures)).toEqual([3, 4, 5]);

    app.advance(41);
    await app.signIn('attack', ADMIN.number, ADMIN.secret);
    await app.t.call('users.signOut', {}, 'attack');
    expect((await app.t.fail('users.signIn', { number: ADMIN.number, secret: '111114' }, 'attack')).message).toContain('2 more attempts');
  });

  it('does not make another person wait behind 40 guesses at someone else', async () => {
    // The shipped cost (64 MiB, ~0.2 s a check) rather than the tests' cheap one: the order below is about whole checks.
    const app = await start({ scryptCost: 16 });
    await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    const order: string[] = [];
    const attack = Array.from({ length: 40 }, (_, i) =>
      guess(app, ADMIN.number, String(200000 + i), 'attack').then((r) => {
        if (errorOf(r).message.startsWith('PIN or password incorrect.')) order.push('checked guess');
      }),
    );
    const sam = app.t.call('users.signIn', { number: 'S200', secret: '135790' }, 'bench').then(() => order.push('Sam signed in'));
    await Promise.all([...attack, sam]);
    // The guesses are checked one at a time; Sam's check runs beside the first, not after all of them
    // (done before the third, whatever else this machine is doing meanwhile).
    expect(order.filter((o) => o === 'checked guess')).toHaveLength(5);
    expect(order.indexOf('Sam signed in')).toBeLessThanOrEqual(2);
  });
});

describe('a lock applies first where the guesses came from', () => {
  it('locks a person at every terminal only after guesses from several, and an administrator gets in with their recovery code', async () => {
    const app = await start({}, { setup: false });
    const setup = await app.t.call<SessionState & { recoveryCode: string }>('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'office');
    await app.t.call('users.signOut', {}, 'office');
    for (const terminal of ['t1', 't2', 't3']) {
      for (let i = 0; i < 5; i++) await app.t.fail('users.signIn', { number: ADMIN.number, secret: '777777' }, terminal);
    }
    // Fifteen wrong attempts at three terminals: now every terminal refuses, the admin's own too.
    const everywhere = await app.t.fail('users.signIn', { number: ADMIN.number, secret: ADMIN.secret }, 'office');
    expect(everywhere).toMatchObject({ code: 'FORBIDDEN', details: { scope: 'person' } });
    expect(everywhere.message).toContain('Ada Admin is locked at every terminal until');
    const locks = failures(app, 'locked-out').map((c) => c.after as { terminal: string; where: string });
    expect(locks).toMatchObject([
      { terminal: 't1', where: 'this terminal' },
      { terminal: 't2', where: 'this terminal' },
      { terminal: 't3', where: 'this terminal' },
      { terminal: 't3', where: 'every terminal' },
    ]);

    const wrongCode = await app.t.fail('users.signInWithRecoveryCode', { number: ADMIN.number, code: 'AAAAA-AAAAA-AAAAA-AAAAA' }, 'office');
    expect(wrongCode).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('That recovery code is not valid') });
    const typed = setup.recoveryCode.toLowerCase().replace(/-/g, ' ');
    const recovered = await app.t.call<SessionState & { recoveryCode: string }>('users.signInWithRecoveryCode', { number: ADMIN.number, code: typed }, 'office');
    expect(recovered).toMatchObject({ state: 'signed-in', user: { name: 'Ada Admin' } });
    expect(recovered.recoveryCode).not.toBe(setup.recoveryCode);
    expect(app.changes.filter((c) => c.entity === 'user').map((c) => c.action).slice(-2)).toEqual(['recovery-code-used', 'recovery-code-created']);
    // Used once: the old code no longer works; the terminal the guesses came from still refuses them.
    await app.t.call('users.signOut', {}, 'office');
    expect((await app.t.fail('users.signInWithRecoveryCode', { number: ADMIN.number, code: setup.recoveryCode }, 'office')).code).toBe('FORBIDDEN');
    await app.signIn('office', ADMIN.number, ADMIN.secret);
    expect((await app.t.fail('users.signIn', { number: ADMIN.number, secret: ADMIN.secret }, 't1')).details).toMatchObject({ scope: 'person-terminal' });
    const listed = (await app.t.call<{ number: string; lockedAt: { terminal: string }[]; hasRecoveryCode: boolean }[]>('users.list', {}, 'office')).find(
      (u) => u.number === ADMIN.number,
    );
    expect(listed).toMatchObject({ hasRecoveryCode: true, lockedAt: [{ terminal: 't1' }, { terminal: 't2' }, { terminal: 't3' }] });
  });

  it('gives recovery codes only to administrators, and a new one only for the PIN', async () => {
    const app = await start();
    await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    expect((await app.t.fail('users.signInWithRecoveryCode', { number: 'S200', code: 'AAAAA-AAAAA-AAAAA-AAAAA' }, 'bench')).code).toBe('FORBIDDEN');
    expect((await app.t.fail('users.newRecoveryCode', { secret: '000000' }, 'office')).message).toMatch(/^The current PIN or password is incorrect/);
    const { recoveryCode } = await app.t.call<{ recoveryCode: string }>('users.newRecoveryCode', { secret: ADMIN.secret }, 'office');
    await app.t.call('users.signOut', {}, 'office');
    await app.t.call('users.signInWithRecoveryCode', { number: ADMIN.number, code: recoveryCode }, 'bench');
    await app.signIn('bench2', 'S200', '135790');
    expect((await app.t.fail('users.newRecoveryCode', { secret: '135790' }, 'bench2')).code).toBe('FORBIDDEN');
  });

  it('limits wrong sign-ins at one terminal across everybody, and an administrator sees it in the trail', async () => {
    const app = await start({ maxFailedSignInsPerTerminal: 6 });
    await app.addUser('Sam Staff', 'S200', 'staff', ['QC'], '135790');
    await app.addUser('Lee Lead', 'L300', 'lead', ['QC'], '246810');
    for (const number of ['S200', 'L300', 'S200', 'L300', 'X1']) await app.t.fail('users.signIn', { number, secret: '999999' }, 'kiosk');
    const sixth = await app.t.fail('users.signIn', { number: 'Z9', secret: '999999' }, 'kiosk');
    expect(sixth.message).toBe('Nobody active has the number Z9. Check it, or pick your name from the list.');
    // Now the kiosk refuses every sign-in for a while, a right PIN included; other terminals work.
    const refused = await app.t.fail('users.signIn', { number: 'S200', secret: '135790' }, 'kiosk');
    expect(refused).toMatchObject({ code: 'FORBIDDEN', details: { scope: 'terminal' }, message: expect.stringMatching(/^This terminal refuses sign-ins until/) });
    await app.signIn('bench', 'S200', '135790');
    expect(failures(app, 'sign-in-locked')).toMatchObject([{ entity: 'terminal', entityId: 'kiosk', actor: { id: 'terminal:kiosk' } }]);
    app.advance(16);
    await app.signIn('kiosk', 'L300', '246810');
  });
});

describe('e-signatures under a burst of guesses', () => {
  it('evaluates at most the allowed number of 50 parallel signatures with wrong PINs, and signs nothing', async () => {
    const app = await start();
    const item = await app.item('at QC');
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: String(300000 + i) } }, 'office'),
      ),
    );
    expect(replies.every((r) => !r.ok)).toBe(true);
    expect(failures(app, 'signature-failed')).toHaveLength(5);
    expect(new Set(replies.map(errorOf).filter((e) => !e.message.startsWith('PIN incorrect')).map((e) => JSON.stringify(e))).size).toBe(1);
    const after = await app.t.fail('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'office');
    expect(after.details).toMatchObject({ scope: 'person-terminal' });
    expect((await app.t.call<{ item: WorkItem }>('workItems.get', { id: item.id }, 'office')).item.version).toBe(item.version);
  });

  it('is checked off the main thread: other calls are answered while a signature is being checked', async () => {
    // Without the session's quick verifier, so the full scrypt check runs (a quick check takes no time to wait for).
    const app = await start({ scryptCost: 16, quickSignatures: false });
    const item = await app.item('at QC');
    const order: string[] = [];
    const approve = app.t
      .call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'office')
      .then(() => order.push('approved'));
    const read = app.t.call('workItems.list', {}, 'office').then(() => order.push('listed'));
    await Promise.all([approve, read]);
    expect(order).toEqual(['listed', 'approved']);
  });
});
