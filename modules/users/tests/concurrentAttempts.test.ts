import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/shared/errors';
import type { WorkItem } from '../../../src/shared/types';
import type { User } from '../contract';
import { readRows, startPerTest, type UsersApp } from './usersApp';

/**
 * One person making several right attempts at the same moment (two windows, a site server taking
 * several sign-offs of theirs at once, a bulk sign-off) is not a burst of guesses: every one is
 * checked and signs, and nothing is left counted against them. Guesses mixed in with them still
 * get no more checks than the limit allows.
 */
const start = startPerTest();

const QUINN = { name: 'Quinn Inspector', number: 'Q1', secret: '271828' };
const checkedWrong = (r: Result<unknown>) => !r.ok && /^(PIN or password incorrect|PIN incorrect)/.test(r.error.message);
const signInAt = (app: UsersApp, session: string, terminal: string, secret = QUINN.secret) =>
  app.t.app.invoke('users.signIn', { number: QUINN.number, secret }, session, terminal);
const approveAt = (app: UsersApp, item: WorkItem, secret: string, session: string, terminal: string) =>
  app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret } }, session, terminal);

async function withQuinn(config: Record<string, unknown>) {
  const app = await start(config);
  await app.addUser(QUINN.name, QUINN.number, 'lead', ['QC'], QUINN.secret);
  return app;
}
async function itemsAtQc(app: UsersApp, n: number): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  for (let i = 0; i < n; i++) items.push(await app.item('at QC'));
  return items;
}
const quinnOf = async (app: UsersApp) => (await app.t.call<User[]>('users.list', {}, 'office')).find((u) => u.number === QUINN.number)!;
/** Nothing counted against anyone: a count back at nothing, with no lock, is no row at all. */
const countRows = (app: UsersApp) => readRows<{ scope: string; key: string; failures: number; pending: number }>(app, 'select * from user_attempt_limits');

describe('many right attempts by one person at once', () => {
  for (const quickSignatures of [false, true]) {
    it(`10 e-signatures with the right PIN at once, from two windows of one terminal, all sign and leave nothing counted (quickSignatures ${quickSignatures})`, async () => {
      const app = await withQuinn({ quickSignatures });
      for (const window of ['w1', 'w2']) expect(await signInAt(app, window, 'hangar')).toMatchObject({ ok: true });
      const [spare, ...items] = await itemsAtQc(app, 11);
      const replies = await Promise.all(items.map((item, i) => approveAt(app, item, QUINN.secret, i % 2 ? 'w2' : 'w1', 'hangar')));

      expect(replies.filter((r) => !r.ok)).toEqual([]);
      expect(readRows(app, "select * from user_signatures where signer_name = 'Quinn Inspector'")).toHaveLength(10);
      expect(countRows(app)).toEqual([]);
      expect(await quinnOf(app)).toMatchObject({ lockedUntil: null, lockedAt: [] });
      // Zero failures counted: a wrong PIN now has the whole allowance left.
      const wrong = await approveAt(app, spare!, '000000', 'w1', 'hangar');
      expect(wrong).toMatchObject({ ok: false, error: { message: expect.stringContaining('4 more attempts before Quinn Inspector is locked at this terminal') } });
    });
  }

  it('12 e-signatures with the right PIN at once from three terminals all sign, past the all-terminals limit (8)', async () => {
    const app = await withQuinn({ quickSignatures: false, maxFailedAttempts: 5, maxFailedAttemptsAllTerminals: 8 });
    const terminals = ['t1', 't2', 't3'];
    for (const terminal of terminals) expect(await signInAt(app, terminal, terminal)).toMatchObject({ ok: true });
    const items = await itemsAtQc(app, 12);
    const replies = await Promise.all(items.map((item, i) => approveAt(app, item, QUINN.secret, terminals[i % 3]!, terminals[i % 3]!)));

    expect(replies.filter((r) => !r.ok)).toEqual([]);
    expect(countRows(app)).toEqual([]);
    expect(await quinnOf(app)).toMatchObject({ lockedUntil: null, lockedAt: [] });
  });

  it('10 sign-ins with the right PIN at once, in ten windows of one terminal, all sign in and leave nothing counted', async () => {
    const app = await withQuinn({});
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => signInAt(app, `w${i}`, 'kiosk')));

    expect(replies.filter((r) => !r.ok)).toEqual([]);
    expect(countRows(app)).toEqual([]);
    expect(await quinnOf(app)).toMatchObject({ lockedUntil: null, lockedAt: [] });
    expect(app.changes.filter((c) => c.action === 'signed-in' && c.entity === 'session')).toHaveLength(11); // the admin's set-up, then Quinn's ten
  });
});

describe('guesses mixed with right attempts, all at once', () => {
  it('35 e-signatures at once, 5 of them with the right PIN: at most 5 wrong PINs are checked', async () => {
    const app = await withQuinn({ quickSignatures: false });
    await signInAt(app, 'w1', 'hangar');
    const items = await itemsAtQc(app, 5);
    const right = new Map([2, 9, 16, 23, 30].map((at, i) => [at, items[i]!]));
    const replies = await Promise.all(
      Array.from({ length: 35 }, (_, i) => approveAt(app, right.get(i) ?? items[0]!, right.has(i) ? QUINN.secret : String(500000 + i), 'w1', 'hangar')),
    );

    expect(replies.filter(checkedWrong).length).toBeLessThanOrEqual(5);
    expect(app.changes.filter((c) => c.action === 'signature-failed').length).toBeLessThanOrEqual(5);
  });

  it('30 sign-ins at once at one terminal, every third with the right PIN: at most 5 wrong ones are checked', async () => {
    const app = await withQuinn({});
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => signInAt(app, `w${i}`, 'kiosk', i % 3 === 2 ? QUINN.secret : String(700000 + i))));

    expect(replies.filter(checkedWrong).length).toBeLessThanOrEqual(5);
    expect(app.changes.filter((c) => c.action === 'sign-in-failed').length).toBeLessThanOrEqual(5);
  });

  it('right attempts at one terminal do not give a guesser at another more than its 5 checks', async () => {
    const app = await withQuinn({ quickSignatures: false });
    await signInAt(app, 'office-quinn', 'office-q');
    const items = await itemsAtQc(app, 6);
    const replies = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => signInAt(app, `evil${i}`, 'evil', String(800000 + i))),
      ...items.map((item) => approveAt(app, item, QUINN.secret, 'office-quinn', 'office-q')),
    ]);

    expect(replies.slice(0, 20).filter(checkedWrong).length).toBeLessThanOrEqual(5);
    expect(replies.slice(20).filter((r) => !r.ok)).toEqual([]);
    expect(await quinnOf(app)).toMatchObject({ lockedUntil: null, lockedAt: [{ terminal: 'evil' }] });
  });
});
