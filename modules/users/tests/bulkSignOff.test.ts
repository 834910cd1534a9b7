import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../src/shared/events';
import type { BulkSignOffResult, ItemHints, WorkItem } from '../../../src/shared/types';
import type { Signature } from '../contract';
import { ADMIN, readRows, startPerTest, type UsersApp } from './usersApp';

/**
 * Bulk sign-off (workItems.approveMany) through the real handlers and database, with sign-in on:
 * Quinn (QC lead) signs several items waiting at Quality Control with one PIN.
 */
const start = startPerTest();
const QUINN = { number: 'QC-7', secret: '271828' };

async function quinnAtQc(): Promise<UsersApp> {
  const app = await start();
  await app.addUser('Quinn Inspector', QUINN.number, 'lead', ['QC'], QUINN.secret);
  await app.signIn('qc', QUINN.number, QUINN.secret);
  return app;
}

/** The items as the review showed them: number, version and step. */
const shown = (...items: WorkItem[]) => items.map((i) => ({ id: i.id, expectedVersion: i.version, expectedStep: i.currentStep! }));
const bulk = (items: ReturnType<typeof shown>, secret?: string, comment?: string) => ({
  items,
  ...(secret === undefined ? {} : { signature: { secret } }),
  ...(comment === undefined ? {} : { comment }),
});

const versionOf = async (app: UsersApp, id: number) => (await app.t.call('workItems.get', { id }, 'office')).item.version as number;
const signaturesOf = (app: UsersApp, id: number) => app.t.call<Signature[]>('users.signatures', { itemId: id }, 'office');
const failedSignatures = (app: UsersApp) => app.changes.filter((c) => c.action === 'signature-failed').length;

describe('bulk sign-off', () => {
  it('approves each item with its own event and signature record, exactly as one approval makes them', async () => {
    const app = await quinnAtQc();
    const [single, a, b, c] = [await app.item('at QC'), await app.item('at QC'), await app.item('at QC'), await app.item('at QC')];
    const events: ChangeEvent[] = [];
    app.t.app.onChange((e) => void events.push(e));

    await app.t.call('workItems.approve', { id: single.id, expectedVersion: single.version, expectedStep: 1, comment: 'Checked', signature: { secret: QUINN.secret } }, 'qc');
    const result = await app.t.call<BulkSignOffResult>('workItems.approveMany', bulk(shown(a, b, c), QUINN.secret, 'Checked'), 'qc');

    expect(result.refused).toEqual([]);
    expect(result.approved.map((i) => [i.id, i.currentStep, i.version])).toEqual([
      [a.id, 2, a.version + 1],
      [b.id, 2, b.version + 1],
      [c.id, 2, c.version + 1],
    ]);
    // The event and signature rows of a bulk-approved item equal those of the single approval, but for the item.
    const eventRow = (id: number) =>
      readRows<Record<string, unknown>>(app, `select action, actor_id, actor_name, from_status, to_status, from_step, to_step, comment, terminal, at from transition_events where item_id = ${id} and seq = 4`)[0];
    const signatureRow = (id: number) =>
      readRows<Record<string, unknown>>(app, `select event_seq, action, meaning, signer_id, signer_name, signer_number, signer_role, department, signed_at from user_signatures where item_id = ${id} and event_seq = 4`)[0];
    for (const item of [a, b, c]) {
      expect(eventRow(item.id)).toEqual(eventRow(single.id));
      expect(signatureRow(item.id)).toEqual(signatureRow(single.id));
      expect((await signaturesOf(app, item.id)).map((s) => s.meaning)).toEqual(['Approved at Engineering', 'Approved at Quality Control']);
    }
    expect(signatureRow(a.id)).toMatchObject({ meaning: 'Approved at Quality Control', signer_name: 'Quinn Inspector', department: 'Quality Control' });
    // Other windows and terminals are told which items moved, and Operations that they arrived.
    expect(events.at(-1)).toEqual({
      channel: 'workItems.approveMany',
      items: [a.id, b.id, c.id],
      arrivals: [a, b, c].map((i) => ({ itemId: i.id, title: i.title, priority: 'normal', step: 'Operations' })),
    });
  });

  it('lists an item that changed meanwhile and leaves it untouched; the others go ahead', async () => {
    const app = await quinnAtQc();
    const [a, b, c] = [await app.item('at QC'), await app.item('at QC'), await app.item('at QC')];
    // Someone else sends b back to Engineering after Quinn's review opened.
    await app.t.call('workItems.reject', { id: b.id, expectedVersion: b.version, toStep: 0, comment: 'Wrong part', signature: { secret: ADMIN.secret } }, 'office');
    const movedVersion = await versionOf(app, b.id);

    const result = await app.t.call<BulkSignOffResult>('workItems.approveMany', bulk(shown(a, b, c), QUINN.secret), 'qc');
    expect(result.approved.map((i) => i.id)).toEqual([a.id, c.id]);
    expect(result.refused).toEqual([{ id: b.id, code: 'STALE_VERSION', message: expect.stringMatching(/changed.*\(it is at Engineering now\)\.$/) }]);
    expect(await versionOf(app, b.id)).toBe(movedVersion);
    expect((await signaturesOf(app, b.id)).map((s) => s.signer.name)).toEqual(['Ada Admin', 'Ada Admin']); // nothing of Quinn's
  });

  it("refuses, with the reason, an item waiting at another department, and signs the rest", async () => {
    const app = await quinnAtQc();
    const atQc = await app.item('at QC');
    const draft = await app.item('draft');
    const atEng = await app.t.call<WorkItem>('workItems.submit', { id: draft.id, expectedVersion: draft.version }, 'office');

    const result = await app.t.call<BulkSignOffResult>('workItems.approveMany', bulk(shown(atEng, atQc), QUINN.secret), 'qc');
    expect(result.approved.map((i) => i.id)).toEqual([atQc.id]);
    expect(result.refused).toEqual([{ id: atEng.id, code: 'FORBIDDEN', message: 'Only Engineering members can approve or reject here.' }]);
    expect(await versionOf(app, atEng.id)).toBe(atEng.version);
    expect(await signaturesOf(app, atEng.id)).toEqual([]);
  });

  it('refuses everything to a person without permission there, in the core, without asking their PIN', async () => {
    const app = await quinnAtQc();
    await app.addUser('Eli Engineer', 'E-12', 'staff', ['ENG'], '161803');
    await app.signIn('eng', 'E-12', '161803');
    const [a, b] = [await app.item('at QC'), await app.item('at QC')];
    const result = await app.t.call<BulkSignOffResult>('workItems.approveMany', bulk(shown(a, b), 'not-his-pin'), 'eng');
    expect(result.approved).toEqual([]);
    expect(result.refused.map((r) => [r.id, r.code, r.message])).toEqual([
      [a.id, 'FORBIDDEN', 'Only Quality Control members can approve or reject here.'],
      [b.id, 'FORBIDDEN', 'Only Quality Control members can approve or reject here.'],
    ]);
    expect(failedSignatures(app)).toBe(0);
    expect([await versionOf(app, a.id), await versionOf(app, b.id)]).toEqual([a.version, b.version]);
    // The queue's hints said so before anyone clicked: no approve for Eli, approve for Quinn.
    const forEli = await app.t.call<ItemHints[]>('workItems.hints', { ids: [a.id, b.id] }, 'eng');
    expect(forEli.map((h) => h.hints.find((x) => x.action === 'approve')?.blocked)).toEqual([
      'Only Quality Control members can approve or reject here.',
      'Only Quality Control members can approve or reject here.',
    ]);
    const forQuinn = await app.t.call<ItemHints[]>('workItems.hints', { ids: [a.id] }, 'qc');
    expect(forQuinn).toEqual([
      {
        id: a.id,
        version: a.version,
        hints: expect.arrayContaining([
          { action: 'approve', signatureRequired: true, signatureMeaning: 'Approved at Quality Control', outcome: { status: 'active', step: 2 } },
        ]),
      },
    ]);
  });

  it('checks the PIN once: a wrong one counts one attempt and signs nothing; a missing one is asked for', async () => {
    const app = await quinnAtQc();
    const items = [await app.item('at QC'), await app.item('at QC'), await app.item('at QC')];
    expect(await app.t.fail('workItems.approveMany', bulk(shown(...items), '000000'), 'qc')).toEqual({
      code: 'FORBIDDEN',
      message: 'PIN incorrect: nothing was signed. 4 more attempts before Quinn Inspector is locked at this terminal for 15 minutes.',
      details: { attemptsLeft: 4 }, // one attempt for the batch, not one per item
    });
    expect(failedSignatures(app)).toBe(1);
    expect(await app.t.fail('workItems.approveMany', bulk(shown(...items)), 'qc')).toMatchObject({
      code: 'VALIDATION',
      message: 'signature.secret: This is an electronic signature: enter your PIN or password to sign.',
    });
    for (const item of items) {
      expect(await versionOf(app, item.id)).toBe(item.version);
      expect(await signaturesOf(app, item.id)).toHaveLength(1); // the admin's, at Engineering
    }
    // The right PIN afterwards signs them all.
    const result = await app.t.call<BulkSignOffResult>('workItems.approveMany', bulk(shown(...items), QUINN.secret), 'qc');
    expect(result.approved).toHaveLength(3);
  });

  it('refuses ids without their shown version and step, duplicates, more than 100 items and malformed input, changing nothing', async () => {
    const app = await quinnAtQc();
    const item = await app.item('at QC');
    const refusals: [unknown, string][] = [
      [{ items: [{ id: item.id }], signature: { secret: QUINN.secret } }, 'items.0.expectedVersion: Invalid input: expected number, received undefined'],
      [{ items: [{ id: item.id, expectedVersion: item.version }], signature: { secret: QUINN.secret } }, 'items.0.expectedStep: Invalid input: expected number, received undefined'],
      [bulk([...shown(item), ...shown(item)], QUINN.secret), `items.1.id: Item #${item.id} is listed twice`],
      [
        bulk(Array.from({ length: 101 }, (_, i) => ({ id: i + 1, expectedVersion: 1, expectedStep: 1 })), QUINN.secret),
        'items: At most 100 items can be signed off at once; sign off the others in another batch',
      ],
      [bulk([], QUINN.secret), 'items: Choose at least one item to sign off'],
      [{ ids: [item.id], signature: { secret: QUINN.secret } }, 'items: Invalid input: expected array, received undefined'],
      [{ ...bulk(shown(item), QUINN.secret), everything: true }, 'Unrecognized key: "everything"'],
      [bulk([{ id: -1, expectedVersion: 1, expectedStep: 1 }], QUINN.secret), 'items.0.id: Too small: expected number to be >0'],
      [bulk([{ id: item.id, expectedVersion: '3' as unknown as number, expectedStep: 1 }], QUINN.secret), 'items.0.expectedVersion: Invalid input: expected number, received string'],
    ];
    for (const [input, message] of refusals) {
      expect(await app.t.fail('workItems.approveMany', input, 'qc')).toMatchObject({ code: 'VALIDATION', message });
    }
    expect(await versionOf(app, item.id)).toBe(item.version);
    expect(await signaturesOf(app, item.id)).toHaveLength(1);
    expect(failedSignatures(app)).toBe(0);
  });

  it('lists an item that does not exist, and one whose version was faked, without signing either', async () => {
    const app = await quinnAtQc();
    const item = await app.item('at QC');
    const other = await app.item('at QC');
    const faked = [{ id: other.id, expectedVersion: other.version + 1, expectedStep: 1 }];
    const result = await app.t.call<BulkSignOffResult>(
      'workItems.approveMany',
      bulk([...shown(item), { id: 999_999, expectedVersion: 1, expectedStep: 1 }, ...faked], QUINN.secret),
      'qc',
    );
    expect(result.approved.map((i) => i.id)).toEqual([item.id]);
    expect(result.refused.map((r) => [r.id, r.code])).toEqual([
      [999_999, 'NOT_FOUND'],
      [other.id, 'STALE_VERSION'],
    ]);
    expect(await versionOf(app, other.id)).toBe(other.version);
  });

  it('approves each item once when two people sign the same items at the same moment, and a replay signs nothing', async () => {
    const app = await quinnAtQc();
    await app.addUser('Rosa Reviewer', 'QC-8', 'staff', ['QC'], '314159');
    await app.signIn('qc-2', 'QC-8', '314159');
    const items = [await app.item('at QC'), await app.item('at QC'), await app.item('at QC')];
    const request = bulk(shown(...items), QUINN.secret);
    const [quinn, rosa] = await Promise.all([
      app.t.call<BulkSignOffResult>('workItems.approveMany', request, 'qc'),
      app.t.call<BulkSignOffResult>('workItems.approveMany', bulk(shown(...items), '314159'), 'qc-2'),
    ]);
    expect(quinn.approved.length + rosa.approved.length).toBe(3);
    expect([...quinn.refused, ...rosa.refused].map((r) => r.code)).toEqual(['STALE_VERSION', 'STALE_VERSION', 'STALE_VERSION']);
    for (const item of items) {
      expect(await versionOf(app, item.id)).toBe(item.version + 1);
      expect(await signaturesOf(app, item.id)).toHaveLength(2);
    }
    // The same request again (replayed) finds every item moved on.
    const replay = await app.t.call<BulkSignOffResult>('workItems.approveMany', request, 'qc');
    expect(replay.approved).toEqual([]);
    expect(replay.refused.map((r) => r.code)).toEqual(['STALE_VERSION', 'STALE_VERSION', 'STALE_VERSION']);
  });

  it("applies a site terminal's retried command once, with the kept answer", async () => {
    const app = await quinnAtQc();
    const items = [await app.item('at QC'), await app.item('at QC')];
    const send = () => app.t.app.invoke('workItems.approveMany', bulk(shown(...items), QUINN.secret), 'qc', 'qc', { commandId: 'bulk-1' });
    const first = await send();
    const retried = await send();
    expect(first).toMatchObject({ ok: true, value: { refused: [] } });
    expect(retried).toEqual(first);
    for (const item of items) expect(await signaturesOf(app, item.id)).toHaveLength(2);
  });

  it('refuses a huge array at once, before any item is read or any PIN checked', async () => {
    const app = await quinnAtQc();
    const huge = Array.from({ length: 200_000 }, (_, i) => ({ id: i + 1, expectedVersion: 1, expectedStep: 1 }));
    const started = performance.now();
    expect(await app.t.fail('workItems.approveMany', bulk(huge, '000000'), 'qc')).toMatchObject({ code: 'VALIDATION' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(failedSignatures(app)).toBe(0);
  });
});
