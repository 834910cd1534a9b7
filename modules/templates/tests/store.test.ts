/**
 * The templates store on SQLite and PostgreSQL (tests/support/storageMatrix.ts): what each function
 * returns and writes, the same on both — the rule flags as booleans, times in ms as numbers, the
 * unique key and (template, version), a template joined with its current version, the order by
 * name ignoring the case of A–Z only. Saved versions cannot be deleted, so each test makes its own
 * templates (keys unique per test) and looks only at those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../../src/core/modules/api';
import { openStorages, STORAGES, type OpenStorages } from '../../../tests/support/storageMatrix';
import * as store from '../store';

let storages: OpenStorages;
beforeAll(async () => {
  storages = await openStorages(['departments', 'templates']);
}, 120_000);
afterAll(() => storages?.close());

/** Past 2^31: a bigint on PostgreSQL. */
const NOW = Date.parse('2026-03-01T08:00:00Z');
const RULES = { commentOnReject: true, commentOnEveryAction: false, noSelfApproval: true, eSignature: false };
const STEPS = JSON.stringify([{ department: 'ENG', minSignoffs: 1 }, { department: 'QC', minSignoffs: 2, targetHours: 24 }]);

const version = (templateId: number, number: number, name: string, rules: Partial<typeof RULES> = {}): store.VersionRow => ({
  templateId,
  version: number,
  name,
  description: `${name}, version ${number}`,
  stepsJson: STEPS,
  ...RULES,
  ...rules,
  origin: number === 1 ? 'created' : 'edited',
  createdAt: NOW + number,
  createdById: 'operator:ann',
  createdByName: 'Ann',
});

/** A template at version 1 with this name. */
const template = async (tx: Tx, key: string, name: string, active = true) => {
  const id = await store.insertTemplate(tx, { key, active, createdAt: NOW });
  await store.insertVersion(tx, version(id, 1, name));
  return id;
};

describe.each(STORAGES)('the templates store on %s', (dialect) => {
  const storage = () => storages.of(dialect);

  it('inserts a template at version 1, found by id and by exact key, active or not as asked', async () => {
    const [on, off] = await storage().run(async (tx) => [await template(tx, 'heavy-check', 'Heavy check'), await template(tx, 'line-check', 'Line check', false)]);
    await storage().read(async (r) => {
      expect(await store.templateById(r, on!)).toEqual({ id: on, key: 'heavy-check', active: true, currentVersion: 1 });
      expect(await store.templateByKey(r, 'heavy-check')).toEqual({ id: on, key: 'heavy-check', active: true, currentVersion: 1 });
      expect(await store.templateByKey(r, 'line-check')).toEqual({ id: off, key: 'line-check', active: false, currentVersion: 1 });
      expect(await store.templateByKey(r, 'Heavy-Check')).toBeUndefined();
      expect(await store.templateById(r, on! + 1000)).toBeUndefined();
    });
  });

  it('keeps a version as written: flags as booleans, steps JSON byte for byte, times in ms', async () => {
    const id = await storage().run(async (tx) => {
      const id = await store.insertTemplate(tx, { key: 'flags', active: true, createdAt: NOW });
      await store.insertVersion(tx, version(id, 1, 'Flags', { commentOnReject: false, commentOnEveryAction: true, noSelfApproval: false, eSignature: true }));
      return id;
    });
    expect(await storage().read((r) => store.versionOf(r, id, 1))).toEqual({
      templateId: id,
      version: 1,
      name: 'Flags',
      description: 'Flags, version 1',
      stepsJson: STEPS,
      commentOnReject: false,
      commentOnEveryAction: true,
      noSelfApproval: false,
      eSignature: true,
      origin: 'created',
      createdAt: NOW + 1,
      createdById: 'operator:ann',
      createdByName: 'Ann',
    });
    expect(await storage().read((r) => store.versionOf(r, id, 2))).toBeUndefined();
  });

  it('refuses a taken key and a version saved twice, writing nothing', async () => {
    const id = await storage().run((tx) => template(tx, 'taken', 'Taken'));
    await expect(storage().run((tx) => template(tx, 'taken', 'Other'))).rejects.toThrow(/unique/i);
    await expect(
      storage().run(async (tx) => {
        await store.insertVersion(tx, version(id, 2, 'Taken'));
        await store.insertVersion(tx, version(id, 2, 'Taken again'));
      }),
    ).rejects.toThrow(/unique|primary key|duplicate/i);
    expect((await storage().read((r) => store.versionsOf(r, id))).map((v) => v.version)).toEqual([1]);
  });

  it('saves later versions, moves the current one and the active flag; versions come latest first', async () => {
    const id = await storage().run((tx) => template(tx, 'versions', 'Versions'));
    await storage().run(async (tx) => {
      await store.insertVersion(tx, version(id, 2, 'Versions renamed', { eSignature: true }));
      expect(await store.setCurrentVersion(tx, id, 2)).toEqual({ changes: 1 });
      expect(await store.setTemplateActive(tx, id, false)).toEqual({ changes: 1 });
    });
    expect(await storage().read((r) => store.templateById(r, id))).toEqual({ id, key: 'versions', active: false, currentVersion: 2 });
    const versions = await storage().read((r) => store.versionsOf(r, id));
    expect(versions.map((v) => [v.version, v.name, v.eSignature])).toEqual([
      [2, 'Versions renamed', true],
      [1, 'Versions', false],
    ]);
    const mine = (await storage().read(store.allVersions)).filter((v) => v.templateId === id);
    expect(mine.map((v) => v.version)).toEqual([1, 2]);
    await storage().run((tx) => store.setTemplateActive(tx, id, true));
    expect(await storage().read((r) => store.templateById(r, id))).toMatchObject({ active: true });
  });

  it('lists templates with their current version, by name ignoring the case of A–Z only, then by id; active only unless asked', async () => {
    const names = ['beta', 'Émile', 'alpha', 'Zulu', '_x', 'émile', 'Alpha', 'Beta2'];
    const ids = await storage().run(async (tx) => {
      const made: number[] = [];
      for (const [i, name] of names.entries()) made.push(await template(tx, `order-${i}`, name, name !== 'Zulu'));
      // The current version's name counts, not the first one's.
      await store.insertVersion(tx, version(made[0]!, 2, 'Yankee'));
      await store.setCurrentVersion(tx, made[0]!, 2);
      return made;
    });
    const listed = async (includeInactive: boolean) =>
      (await storage().read((r) => store.currentTemplates(r, includeInactive))).filter((c) => ids.includes(c.template.id));
    const all = await listed(true);
    expect(all.map((c) => c.version.name)).toEqual(['_x', 'alpha', 'Alpha', 'Beta2', 'Yankee', 'Zulu', 'Émile', 'émile']);
    expect(all[0]).toEqual({ template: { id: ids[4], key: 'order-4', active: true, currentVersion: 1 }, version: version(ids[4]!, 1, '_x') });
    expect(all.find((c) => c.template.id === ids[0])).toMatchObject({ template: { currentVersion: 2 }, version: { version: 2, name: 'Yankee' } });
    expect((await listed(false)).map((c) => c.version.name)).toEqual(['_x', 'alpha', 'Alpha', 'Beta2', 'Yankee', 'Émile', 'émile']);
  });

  it("setup's statements: any template, the inserts, the list and every version", async () => {
    const { any, insertTemplate, insertVersion, current, allVersions, toCurrent, toVersion } = store.setupStatements;
    const d = storage().sql;
    await storage().run(async (tx) => {
      const { id } = (await tx.get<{ id: number }>(insertTemplate(d, { key: 'setup', active: true, createdAt: NOW })))!;
      await tx.run(insertVersion(d, version(id, 1, 'Setup', { eSignature: true })));
      expect(await tx.get(any)).toEqual({ any: 1 });
      const listed = (await tx.all(current(d))).map(toCurrent).find((c) => c.template.id === id);
      expect(listed).toEqual({ template: { id, key: 'setup', active: true, currentVersion: 1 }, version: version(id, 1, 'Setup', { eSignature: true }) });
      expect((await tx.all(allVersions)).map(toVersion).filter((v) => v.templateId === id)).toEqual([version(id, 1, 'Setup', { eSignature: true })]);
    });
  });
});
