import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/shared/errors';
import type { WorkItem } from '../../../src/shared/types';
import { ADMIN, readRows, startPerTest, type UsersApp } from './usersApp';

/**
 * Attacks that were tried and held (they pass): kept as regression tests beside attacks.test.ts.
 */
const start = startPerTest();
const checkedFailures = (app: UsersApp) => app.changes.filter((c) => ['sign-in-failed', 'signature-failed', 'secret-change-failed'].includes(c.action));

describe('held', () => {
  it('a burst mixing sign-in, signatures, own-PIN change and new recovery code from eight terminals checks at most 15', async () => {
    const app = await start();
    const item = await app.item('at QC');
    await app.signIn('office2', ADMIN.number, ADMIN.secret);
    const calls: Promise<Result<unknown>>[] = [];
    for (let i = 0; i < 60; i++) {
      const guess = String(600000 + i);
      const here = i % 2 ? 'office' : 'office2';
      if (i % 4 === 0) calls.push(app.t.app.invoke('users.signIn', { number: ADMIN.number, secret: i === 40 ? ADMIN.secret : guess }, `s${i % 6}`));
      if (i % 4 === 1) calls.push(app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: guess } }, here));
      if (i % 4 === 2) calls.push(app.t.app.invoke('users.changeOwnSecret', { current: guess, secret: '777123', confirm: '777123' }, here));
      if (i % 4 === 3) calls.push(app.t.app.invoke('users.newRecoveryCode', { secret: guess }, here));
    }
    const replies = await Promise.all(calls);
    expect(replies.every((r) => !r.ok)).toBe(true);
    expect(checkedFailures(app)).toHaveLength(15);
    expect((await app.t.call<{ item: WorkItem }>('workItems.get', { id: item.id }, 'office')).item.version).toBe(item.version);
  });

  it('two inspectors and an admin approving the same item at once with right PINs: one transition, one signature', async () => {
    const app = await start();
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.addUser('Rita', 'R1', 'staff', ['QC'], '314159');
    await app.signIn('q', 'Q1', '271828');
    await app.signIn('r', 'R1', '314159');
    const item = await app.item('at QC');
    const before = readRows(app, 'select * from user_signatures').length;
    const replies = await Promise.all([
      app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, expectedStep: 1, signature: { secret: '271828' } }, 'q'),
      app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, expectedStep: 1, signature: { secret: '314159' } }, 'r'),
      app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, expectedStep: 1, signature: { secret: '314159' } }, 'r'),
      app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'office'),
    ]);
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(replies.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code))).toEqual(['STALE_VERSION', 'STALE_VERSION', 'STALE_VERSION']);
    expect(readRows(app, 'select * from user_signatures').length).toBe(before + 1);
    expect((await app.t.call<{ item: WorkItem }>('workItems.get', { id: item.id }, 'office')).item.version).toBe(item.version + 1);
  });

  it('a lock expiring during a burst lets exactly one guess be checked; the right PIN in the burst is refused like the rest', async () => {
    const app = await start({ maxFailedAttempts: 3, lockoutMinutes: 10 });
    for (let i = 0; i < 3; i++) await app.t.app.invoke('users.signIn', { number: ADMIN.number, secret: String(100000 + i) }, 'atk');
    app.advance(10); // exactly when the lock ends
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => app.t.app.invoke('users.signIn', { number: ADMIN.number, secret: i === 20 ? ADMIN.secret : String(300000 + i) }, 'atk')),
    );
    expect(replies.filter((r) => r.ok)).toHaveLength(0);
    expect(replies.filter((r) => !r.ok && r.error.message.startsWith('PIN or password incorrect'))).toHaveLength(1);
    expect(JSON.stringify(replies[20])).toBe(JSON.stringify(replies[29]));
  });

  it('deactivating the signer or taking their department away while their PIN is checked refuses the approval', async () => {
    // The full scrypt check, whose run is the window here (a session's quick check has none; see quickSignatures.test.ts).
    const app = await start({ quickSignatures: false });
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    const item = await app.item('at QC');
    const approve = app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '271828' } }, 'qc');
    await new Promise((resolve) => setImmediate(resolve));
    await app.t.call('users.setActive', { id: 2, active: false }, 'office');
    expect(await approve).toMatchObject({ ok: false, error: { code: 'STALE_VERSION', message: expect.stringContaining('nothing was done') } });

    await app.t.call('users.setActive', { id: 2, active: true }, 'office');
    await app.signIn('qc', 'Q1', '271828');
    const again = app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '271828' } }, 'qc');
    await new Promise((resolve) => setImmediate(resolve));
    await app.t.call('users.update', { id: 2, name: 'Quinn', number: 'Q1', role: 'staff', departments: ['ENG'] }, 'office');
    expect(await again).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Only Quality Control members can approve or reject here.' } });
    expect((await app.t.call<{ item: WorkItem }>('workItems.get', { id: item.id }, 'office')).item.version).toBe(item.version);
  });
});
