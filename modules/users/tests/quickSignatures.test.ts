import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { readRows, startPerTest } from './usersApp';
import type { User } from '../contract';

const start = startPerTest();

/**
 * A signed-in person's e-signatures are checked against the PIN they signed in with, held in memory
 * for that session, not by another scrypt run; every attempt is still counted and locked out.
 */
describe('quick e-signatures', () => {
  it('signs with the PIN the person signed in with, without a scrypt run, and refuses a wrong one', async () => {
    const app = await start({ scryptCost: 17 }); // slow on purpose: a full check takes far longer than the quick one
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    let item = await app.item('at QC');
    const wrong = await app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '000000' } }, 'qc');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^PIN incorrect: nothing was signed/) } });
    const started = performance.now();
    item = await app.t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '271828' } }, 'qc');
    expect(performance.now() - started).toBeLessThan(100); // a scrypt at cost 17 alone takes several hundred ms here
    expect(item.currentStep).toBe(2);
    expect(readRows<{ signer_name: string }>(app, "select signer_name from user_signatures where meaning like 'Approved at Quality Control'")).toEqual([{ signer_name: 'Quinn' }]);
  });

  it('counts wrong PINs against the lockout exactly as the full check does', async () => {
    const app = await start({ maxFailedAttempts: 3, maxFailedAttemptsAllTerminals: 3 });
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    const item = await app.item('at QC');
    const tries = await Promise.all(
      Array.from({ length: 20 }, () => app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '111111' } }, 'qc')),
    );
    expect(tries.every((t) => !t.ok)).toBe(true);
    // Locked now: the right PIN is refused like the rest, unchecked.
    const right = await app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '271828' } }, 'qc');
    expect(right).toMatchObject({ ok: false, error: { message: expect.stringContaining('locked') } });
    const failures = readRows<{ n: number }>(app, "select count(*) as n from user_attempt_limits where failures > 0");
    expect(failures[0]!.n).toBeGreaterThan(0);
  });

  it('after a wrong PIN, the right one is counted and gives the person a fresh count (the quick path skips counting only when nothing is counted)', async () => {
    const app = await start({ maxFailedAttempts: 3, maxFailedAttemptsAllTerminals: 3 });
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    let item = await app.item('at QC');
    const counted = () => readRows<{ scope: string; failures: number; pending: number }>(app, 'select scope, failures, pending from user_attempt_limits order by scope');
    for (let i = 0; i < 2; i++) {
      expect((await app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '000000' } }, 'qc')).ok).toBe(false);
    }
    expect(counted().filter((r) => r.scope.startsWith('person'))).toEqual([
      { scope: 'person', failures: 2, pending: 0 },
      { scope: 'person-terminal', failures: 2, pending: 0 },
    ]);
    item = await app.t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '271828' } }, 'qc');
    expect(counted().filter((r) => r.scope.startsWith('person'))).toEqual([]);
    // Clean again: the next right signatures leave nothing behind either, and two more wrong ones do not lock (the count started again).
    const second = await app.item('at QC');
    await app.t.call<WorkItem>('workItems.approve', { id: second.id, expectedVersion: second.version, signature: { secret: '271828' } }, 'qc');
    expect(counted().filter((r) => r.scope.startsWith('person'))).toEqual([]);
  });

  it('takes the full check again once the PIN was reset, so the old PIN signs nothing', async () => {
    const app = await start();
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    const item = await app.item('at QC');
    const quinn = (await app.t.call<User[]>('users.list', {}, 'office')).find((u) => u.number === 'Q1')!;
    await app.t.call('users.resetSecret', { id: quinn.id, secret: '918273' }, 'office');
    const old = await app.t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '271828' } }, 'qc');
    expect(old.ok).toBe(false);
  });
});
