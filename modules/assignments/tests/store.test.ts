/**
 * The assignments store (store.ts) on both adapters, on freshly migrated databases: what each
 * function returns and writes, with times past 2^31 as numbers and nulls kept, the current row
 * replaced in place (insert … on conflict do update), a user's rows longest held first with ties by
 * item, and the triggers refusing a current row written without its history row first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage, Tx } from '../../../src/core/modules/api';
import { addItem } from '../../../tests/support/coreRows';
import { openStorages, STORAGES, type OpenStorages } from '../../../tests/support/storageMatrix';
import {
  assignmentOf,
  assignmentsOf,
  everyAssignment,
  historyOf,
  putAssignment,
  recordHistory,
  removeAssignment,
  type AssignmentRow,
  type NewHistory,
} from '../store';

let storages: OpenStorages;
beforeAll(async () => {
  storages = await openStorages(['assignments']);
}, 120_000);
afterAll(() => storages?.close());

const T0 = Date.parse('2026-06-01T08:00:00Z');
const lead = { id: 'user:3', name: 'Lee QC' };

const row = (itemId: number, userId: number, assignedAt: number, more: Partial<AssignmentRow> = {}): AssignmentRow => ({
  itemId,
  stepIndex: 1,
  stepEnteredAt: T0 - 3_600_000,
  itemVersion: 2,
  userId,
  userName: `User ${userId}`,
  userNumber: `N-${userId}`,
  assignedAt,
  assignedById: lead.id,
  assignedByName: lead.name,
  reason: null,
  ...more,
});

const historyFor = (current: AssignmentRow, from: AssignmentRow | null = null): NewHistory => ({
  itemId: current.itemId,
  action: from ? 'reassigned' : 'assigned',
  stepIndex: current.stepIndex,
  stepName: 'Quality Control',
  itemVersion: current.itemVersion,
  fromUserId: from?.userId ?? null,
  fromUserName: from?.userName ?? null,
  toUserId: current.userId,
  toUserName: current.userName,
  actorId: current.assignedById,
  actorName: current.assignedByName,
  at: current.assignedAt,
  reason: current.reason,
});

const ended = (from: AssignmentRow, at: number): NewHistory => ({
  ...historyFor(from, from),
  action: 'ended',
  toUserId: null,
  toUserName: null,
  at,
  reason: 'Approved at Quality Control, moved to Operations.',
});

/** Records the change, then makes `current` the item's row: the order the triggers insist on. */
const assign = async (tx: Tx, current: AssignmentRow, from: AssignmentRow | null = null) => {
  await recordHistory(tx, historyFor(current, from));
  await putAssignment(tx, current);
};

describe.each(STORAGES)('the assignments store on %s', (dialect) => {
  const storage = (): Storage => storages.of(dialect);
  const newItem = () => storage().run((tx) => addItem(tx, { steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], currentStep: 1 }));

  it('writes a current row and reads it back whole: times as numbers, a missing reason as null', async () => {
    const itemId = await newItem();
    const held = row(itemId, 7, T0, { reason: null });
    await storage().run((tx) => assign(tx, held));
    expect(await storage().read((r) => assignmentOf(r, itemId))).toEqual(held);
    expect(await storage().read((r) => assignmentOf(r, itemId + 1000))).toBeUndefined();
  });

  it('replaces the item’s row in place when it is reassigned', async () => {
    const itemId = await newItem();
    const first = row(itemId, 7, T0);
    const second = row(itemId, 8, T0 + 60_000, { stepIndex: 2, stepEnteredAt: T0 + 1, itemVersion: 3, reason: 'Uma knows it', assignedById: 'user:1', assignedByName: 'Ada Admin' });
    await storage().run((tx) => assign(tx, first));
    await storage().run((tx) => assign(tx, second, first));
    expect(await storage().read((r) => assignmentOf(r, itemId))).toEqual(second);
    expect(await storage().read((r) => r.all(everyAssignment))).toContainEqual(second);
    expect((await storage().read((r) => r.all<AssignmentRow>(everyAssignment))).filter((a) => a.itemId === itemId)).toHaveLength(1);
  });

  it('removes the row once its end is recorded', async () => {
    const itemId = await newItem();
    const held = row(itemId, 7, T0);
    await storage().run((tx) => assign(tx, held));
    await storage().run(async (tx) => {
      await recordHistory(tx, ended(held, T0 + 1));
      await removeAssignment(tx, itemId);
    });
    expect(await storage().read((r) => assignmentOf(r, itemId))).toBeUndefined();
  });

  it('the database refuses a current row, or its removal, without its history row first', async () => {
    const itemId = await newItem();
    await expect(storage().run((tx) => putAssignment(tx, row(itemId, 7, T0)))).rejects.toThrow(/must be recorded in assignment_history first/);
    const held = row(itemId, 7, T0);
    await storage().run((tx) => assign(tx, held));
    await expect(storage().run((tx) => removeAssignment(tx, itemId))).rejects.toThrow(/must be recorded in assignment_history first/);
    expect(await storage().read((r) => assignmentOf(r, itemId))).toEqual(held);
  });

  it("lists what a user holds longest held first, rows of one millisecond by item, at most the limit", async () => {
    const [a, b, c, d, e] = [await newItem(), await newItem(), await newItem(), await newItem(), await newItem()];
    await storage().run(async (tx) => {
      await assign(tx, row(c, 41, T0 + 5_000));
      await assign(tx, row(b, 41, T0 + 5_000));
      await assign(tx, row(a, 41, T0 + 9_000));
      await assign(tx, row(d, 41, T0));
      await assign(tx, row(e, 42, T0));
    });
    const held = (limit: number) => storage().read(async (r) => (await assignmentsOf(r, 41, limit)).map((x) => x.itemId));
    expect(await held(500)).toEqual([d, b, c, a]);
    expect(await held(2)).toEqual([d, b]);
    expect(await storage().read((r) => assignmentsOf(r, 43, 500))).toEqual([]);
  });

  it("reads an item's history oldest first, nulls kept", async () => {
    const itemId = await newItem();
    const first = row(itemId, 7, T0, { reason: 'Tess knows this aircraft' });
    const second = row(itemId, 8, T0 + 60_000);
    await storage().run(async (tx) => {
      await assign(tx, first);
      await assign(tx, second, first);
      await recordHistory(tx, ended(second, T0 + 2 ** 33));
      await removeAssignment(tx, itemId);
    });
    const entries = await storage().read((r) => historyOf(r, itemId));
    expect(entries.map(({ id: _id, ...entry }) => entry)).toEqual([historyFor(first), historyFor(second, first), ended(second, T0 + 2 ** 33)]);
    expect(entries.map((entry) => entry.id)).toEqual([...entries.map((entry) => entry.id)].sort((x, y) => x - y));
    expect(new Set(entries.map((entry) => typeof entry.id))).toEqual(new Set(['number']));
    expect(await storage().read((r) => historyOf(r, itemId + 1000))).toEqual([]);
  });
});
