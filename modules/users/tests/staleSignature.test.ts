import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import type { Signature } from '../contract';
import { startPerTest } from './usersApp';

/**
 * A signature binds to what the signer saw: the step and version when the dialog opened. If
 * someone else moved the item meanwhile, the core refuses and nothing is signed.
 */
const start = startPerTest();

describe('a signature on a step its signer never saw', () => {
  it('is refused when the item moved on meanwhile, by version or by step, and nothing is signed', async () => {
    const app = await start();
    await app.addUser('Quinn Inspector', 'Q1', 'staff', ['QC'], '271828');
    await app.addUser('Rita Inspector', 'R1', 'lead', ['QC', 'OPS'], '314159');
    await app.signIn('qc-1', 'Q1', '271828');
    await app.signIn('qc-2', 'R1', '314159');
    const seen = await app.item('at QC'); // what both dialogs opened on: Quality Control
    const signedBefore = (await app.t.call<Signature[]>('users.signatures', { itemId: seen.id }, 'qc-1')).length;

    // Rita approves QC first; the item now waits at Operations, where she may sign too.
    const moved = await app.t.call<WorkItem>('workItems.approve', { id: seen.id, expectedVersion: seen.version, expectedStep: 1, signature: { secret: '314159' } }, 'qc-2');
    expect(moved.currentStep).toBe(2);

    // Her own second dialog, opened at QC, cannot land on Operations even with the new version.
    const byStep = await app.t.fail('workItems.approve', { id: seen.id, expectedVersion: moved.version, expectedStep: 1, signature: { secret: '314159' } }, 'qc-2');
    expect(byStep).toMatchObject({
      code: 'STALE_VERSION',
      message: 'This item was changed since you opened it, so nothing was done and nothing was signed. Look at it again and retry (it is at Operations now).',
      details: { expectedStep: 1, actualStep: 2 },
    });
    // Quinn's dialog still holds the version it opened with.
    const byVersion = await app.t.fail('workItems.approve', { id: seen.id, expectedVersion: seen.version, expectedStep: 1, signature: { secret: '271828' } }, 'qc-1');
    expect(byVersion).toMatchObject({ code: 'STALE_VERSION', message: expect.stringContaining('nothing was signed') });

    const signatures = await app.t.call<Signature[]>('users.signatures', { itemId: seen.id }, 'qc-1');
    expect(signatures).toHaveLength(signedBefore + 1);
    expect(signatures.at(-1)).toMatchObject({ meaning: 'Approved at Quality Control', signer: { name: 'Rita Inspector' } });
    expect((await app.t.call<{ item: WorkItem }>('workItems.get', { id: seen.id }, 'qc-1')).item.version).toBe(moved.version);
  });
});
