/**
 * The approvals store (store.ts) on both adapters, on freshly migrated databases: a sign-off record
 * names its event and takes its id, a wording is stored once (and a wording already stored draws no
 * new number), a missing event writes no record, and an item's records read back from their events,
 * times and ids as numbers, in event order with the records kept whole from before migration 0001.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/core/modules/api';
import { addEvent, addItem } from '../../../tests/support/coreRows';
import { openStorages, STORAGES, type OpenStorages } from '../../../tests/support/storageMatrix';
import { recordSignoff, recordsOf, type RecordRow } from '../store';

let storages: OpenStorages;
beforeAll(async () => {
  storages = await openStorages(['approvals']);
}, 120_000);
afterAll(() => storages?.close());

const AT = Date.parse('2026-03-01T09:00:00Z');

describe.each(STORAGES)('the approvals store on %s', (dialect) => {
  const storage = (): Storage => storages.of(dialect);
  const meanings = (text: string) =>
    storage().read((r) => r.all<{ id: number }>(sql`select id as "id" from approval_meanings where text = ${text}`));

  it('records a sign-off naming its event and taking its id; a wording is stored once', async () => {
    const { itemId, eventId } = await storage().run(async (tx) => {
      const itemId = await addItem(tx);
      return { itemId, eventId: await addEvent(tx, { itemId, seq: 2, action: 'approve', fromStep: 0, toStep: 1 }) };
    });
    const meaning = `Approved at Engineering (${dialect})`;
    expect(await storage().run((tx) => recordSignoff(tx, { itemId, eventSeq: 2, meaning }))).toBe(true);
    const second = await storage().run(async (tx) => {
      await addEvent(tx, { itemId, seq: 3, action: 'approve', fromStep: 1, toStep: 1 });
      return recordSignoff(tx, { itemId, eventSeq: 3, meaning });
    });
    expect(second).toBe(true);
    const [stored, ...more] = await meanings(meaning);
    expect(more).toEqual([]);
    const records = await storage().read((r) =>
      r.all(sql`select id as "id", event_seq as "eventSeq", meaning_id as "meaningId" from approval_records where item_id = ${itemId} order by event_seq`),
    );
    expect(records).toEqual([
      { id: eventId, eventSeq: 2, meaningId: stored!.id },
      { id: expect.any(Number), eventSeq: 3, meaningId: stored!.id },
    ]);
  });

  it('draws no new number for a wording already stored', async () => {
    const itemId = await storage().run((tx) => addItem(tx));
    const sign = (seq: number, meaning: string) =>
      storage().run(async (tx) => {
        await addEvent(tx, { itemId, seq, action: 'approve', fromStep: 0 });
        return recordSignoff(tx, { itemId, eventSeq: seq, meaning });
      });
    await sign(2, 'Approved at Stores');
    for (const seq of [3, 4, 5]) await sign(seq, 'Approved at Stores');
    await sign(6, 'Approved at Stores, again in other words');
    const [first] = await meanings('Approved at Stores');
    const [next] = await meanings('Approved at Stores, again in other words');
    expect(next!.id).toBe(first!.id + 1);
  });

  it('writes no record for an event that is not there', async () => {
    const itemId = await storage().run((tx) => addItem(tx));
    expect(await storage().run((tx) => recordSignoff(tx, { itemId, eventSeq: 9, meaning: 'Approved at Engineering' }))).toBe(false);
    expect(await storage().read((r) => recordsOf(r, itemId))).toEqual([]);
  });

  it("reads an item's records from their events, with those kept whole, in event order", async () => {
    const itemId = await storage().run((tx) => addItem(tx));
    const at = AT + 2 ** 33;
    const { approved, rejected } = await storage().run(async (tx) => {
      // Written out of event order: the read puts them in order.
      const rejected = await addEvent(tx, { itemId, seq: 5, action: 'reject', actorId: 'u3', actorName: 'Cat', at: at + 1, fromStep: 1, toStep: 0, comment: 'Redo' });
      await recordSignoff(tx, { itemId, eventSeq: 5, meaning: 'Rejected at Quality Control, returned to Engineering' });
      const approved = await addEvent(tx, { itemId, seq: 2, action: 'approve', actorId: 'u2', actorName: 'Bob', at, fromStep: null, toStep: 1 });
      await recordSignoff(tx, { itemId, eventSeq: 2, meaning: 'Approved at Engineering' });
      return { approved, rejected };
    });
    // Records from before migration 0001 that their event did not reproduce: one between, one of event 2 itself.
    const original = (id: number, eventSeq: number) =>
      sql`insert into approval_records_original (id, item_id, event_seq, action, signer_id, signer_name, at, from_step, from_department, to_step, to_department, meaning, comment)
        values (${id}, ${itemId}, ${eventSeq}, 'approve', 'u9', 'Old Signer', ${AT}, 1, 'Old QC', null, null, 'Approved at Old QC', null)`;
    await storage().run(async (tx) => {
      await tx.run(original(approved - 1, 2));
      await tx.run(original(rejected + 1000, 3));
    });

    const fromEvent = { itemId, fromDepartment: null, toDepartment: null, original: 0 };
    const kept = (id: number, eventSeq: number): RecordRow => ({
      id,
      itemId,
      action: 'approve',
      signerId: 'u9',
      signerName: 'Old Signer',
      at: AT,
      fromStep: 1,
      fromDepartment: 'Old QC',
      toStep: null,
      toDepartment: null,
      meaning: 'Approved at Old QC',
      comment: null,
      eventSeq,
      original: 1,
    });
    expect(await storage().read((r) => recordsOf(r, itemId))).toEqual([
      kept(approved - 1, 2),
      { ...fromEvent, id: approved, action: 'approve', signerId: 'u2', signerName: 'Bob', at, fromStep: 0, toStep: 1, meaning: 'Approved at Engineering', comment: null, eventSeq: 2 },
      kept(rejected + 1000, 3),
      {
        ...fromEvent,
        id: rejected,
        action: 'reject',
        signerId: 'u3',
        signerName: 'Cat',
        at: at + 1,
        fromStep: 1,
        toStep: 0,
        meaning: 'Rejected at Quality Control, returned to Engineering',
        comment: 'Redo',
        eventSeq: 5,
      },
    ]);
  });
});
