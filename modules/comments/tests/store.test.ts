/**
 * The comments store (store.ts) on both adapters, on freshly migrated databases: what each function
 * returns and writes, with times past 2^31 as numbers, comments of one millisecond in posting order,
 * a taken revision number written nothing, and a text replaced only while it is what was read.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/core/modules/api';
import { addItem } from '../../../tests/support/coreRows';
import { openStorages, STORAGES, type OpenStorages } from '../../../tests/support/storageMatrix';
import {
  addComment,
  commentOf,
  commentsOf,
  countRevisions,
  itemExists,
  keepRevision,
  replaceText,
  revisionsOf,
  revisionsOnItem,
  type NewComment,
  type RevisionRow,
} from '../store';

let storages: OpenStorages;
beforeAll(async () => {
  storages = await openStorages(['comments']);
}, 120_000);
afterAll(() => storages?.close());

const T0 = Date.parse('2026-03-01T08:00:00Z');
const ann = { authorId: 'operator:ann', authorName: 'Ann Inspector' };

describe.each(STORAGES)('the comments store on %s', (dialect) => {
  const storage = (): Storage => storages.of(dialect);
  const newItem = () => storage().run((tx) => addItem(tx));
  const add = (comment: Partial<NewComment> & { itemId: number }) => storage().run((tx) => addComment(tx, { ...ann, createdAt: T0, text: 'Torque checked', ...comment }));
  const revision = (commentId: number, n: number, text: string): RevisionRow => ({
    commentId,
    revision: n,
    text,
    writtenAt: T0 + n,
    replacedAt: T0 + n + 1,
    replacedById: 'operator:ann',
    replacedByName: 'Ann Inspector',
  });

  it('adds a comment and reads it back whole, times as numbers', async () => {
    const itemId = await newItem();
    const added = await add({ itemId, text: 'Brake wear 2 mm', createdAt: T0 + 5 });
    expect(added).toEqual({ id: expect.any(Number), itemId, ...ann, createdAt: T0 + 5, text: 'Brake wear 2 mm', editedAt: null });
    expect(await storage().read((r) => commentOf(r, added.id))).toEqual(added);
    expect(await storage().read((r) => commentOf(r, added.id + 1000))).toBeUndefined();
  });

  it('knows which items exist', async () => {
    const itemId = await newItem();
    expect(await storage().read((r) => itemExists(r, itemId))).toBe(true);
    expect(await storage().read((r) => itemExists(r, itemId + 1000))).toBe(false);
  });

  it("lists an item's comments oldest first, those of one millisecond in the order they were posted", async () => {
    const itemId = await newItem();
    const other = await newItem();
    const later = await add({ itemId, text: 'later', createdAt: T0 + 60_000 });
    const earlier = await add({ itemId, text: 'earlier', createdAt: T0 });
    await add({ itemId: other, text: 'another item', createdAt: T0 });
    const sameMs = await add({ itemId, text: 'same millisecond, posted after', createdAt: T0 + 60_000 });
    expect((await storage().read((r) => commentsOf(r, itemId))).map((c) => c.id)).toEqual([earlier.id, later.id, sameMs.id]);
    expect(await storage().read((r) => commentsOf(r, itemId + 1000))).toEqual([]);
  });

  it('keeps earlier wordings; a revision number already taken writes nothing', async () => {
    const itemId = await newItem();
    const { id } = await add({ itemId });
    expect(await storage().read((r) => countRevisions(r, id))).toBe(0);
    expect(await storage().run((tx) => keepRevision(tx, revision(id, 1, 'v1')))).toBe(true);
    expect(await storage().run((tx) => keepRevision(tx, revision(id, 1, 'someone else’s v1')))).toBe(false);
    expect(await storage().read((r) => revisionsOf(r, id))).toEqual([revision(id, 1, 'v1')]);
    expect(await storage().read((r) => countRevisions(r, id))).toBe(1);
  });

  it('reads revisions by revision number, and an item’s by comment then revision', async () => {
    const itemId = await newItem();
    const first = await add({ itemId });
    const second = await add({ itemId });
    const elsewhere = await add({ itemId: await newItem() });
    await storage().run(async (tx) => {
      // Written out of order: the reads put them in order.
      await keepRevision(tx, revision(second.id, 2, 's2'));
      await keepRevision(tx, revision(first.id, 2, 'f2'));
      await keepRevision(tx, revision(second.id, 1, 's1'));
      await keepRevision(tx, revision(first.id, 1, 'f1'));
      await keepRevision(tx, revision(elsewhere.id, 1, 'e1'));
    });
    expect((await storage().read((r) => revisionsOf(r, second.id))).map((r) => r.text)).toEqual(['s1', 's2']);
    expect(await storage().read((r) => revisionsOnItem(r, itemId))).toEqual([
      revision(first.id, 1, 'f1'),
      revision(first.id, 2, 'f2'),
      revision(second.id, 1, 's1'),
      revision(second.id, 2, 's2'),
    ]);
    expect(await storage().read((r) => countRevisions(r, first.id))).toBe(2);
  });

  it('replaces the text only while it is what was read, its earlier wording kept first', async () => {
    const itemId = await newItem();
    const { id } = await add({ itemId, text: 'v1' });
    const editedAt = T0 + 2 ** 33;
    await storage().run((tx) => keepRevision(tx, { ...revision(id, 1, 'v1'), replacedAt: editedAt }));
    expect(await storage().run((tx) => replaceText(tx, { id, before: 'not what it says', text: 'v2', editedAt }))).toBeUndefined();
    expect(await storage().read((r) => commentOf(r, id))).toMatchObject({ text: 'v1', editedAt: null });

    const updated = await storage().run((tx) => replaceText(tx, { id, before: 'v1', text: 'v2', editedAt }));
    expect(updated).toEqual({ id, itemId, ...ann, createdAt: T0, text: 'v2', editedAt });
    expect(await storage().read((r) => commentOf(r, id))).toEqual(updated);
  });

  it('cannot replace a text whose earlier wording was not kept (the database refuses)', async () => {
    const { id } = await add({ itemId: await newItem(), text: 'v1' });
    await expect(storage().run((tx) => replaceText(tx, { id, before: 'v1', text: 'v2', editedAt: T0 + 1 }))).rejects.toThrow(/earlier text must be kept/);
    const rows = await storage().read((r) => r.all(sql`select text as "text" from comments where id = ${id}`));
    expect(rows).toEqual([{ text: 'v1' }]);
  });
});
