/**
 * The departments store on SQLite and PostgreSQL (tests/support/storageMatrix.ts): what each
 * function returns and writes, the same on both — `active` a boolean, times in ms as numbers, the
 * unique name key and code, the order, and the work items found through a frozen workflow's JSON.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tx } from '../../../src/core/modules/api';
import { openStorages, STORAGES, type OpenStorages } from '../../../tests/support/storageMatrix';
import * as store from '../store';

let storages: OpenStorages;
beforeAll(async () => {
  storages = await openStorages(['departments']);
}, 120_000);
afterAll(() => storages?.close());

/** Past 2^31: a bigint on PostgreSQL. */
const NOW = Date.parse('2026-03-01T08:00:00Z');
const department = (code: string, name: string, position: number): store.NewDepartment => ({
  name,
  nameKey: name.toLowerCase(),
  code,
  position,
  createdAt: NOW,
});

describe.each(STORAGES)('the departments store on %s', (dialect) => {
  const storage = () => storages.of(dialect);
  const all = () => storage().read(store.allDepartments);

  beforeEach(async () => {
    await storage().run(async (tx) => {
      await tx.run(sql`delete from departments`);
      await tx.run(sql`delete from departments_meta`);
    });
  });

  it('inserts a department, active, and finds it by id, by exact code and by name key', async () => {
    const created = await storage().run((tx) => store.insertDepartment(tx, department('QC', 'Quality Control', 0)));
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Quality Control',
      nameKey: 'quality control',
      code: 'QC',
      position: 0,
      active: true,
      createdAt: NOW,
      deactivatedAt: null,
    });
    await storage().read(async (r) => {
      expect(await store.departmentById(r, created.id)).toEqual(created);
      expect(await store.departmentByCode(r, 'QC')).toEqual(created);
      expect(await store.departmentByCode(r, 'qc')).toBeUndefined();
      expect(await store.departmentByNameKey(r, 'quality control')).toEqual(created);
      expect(await store.departmentByNameKey(r, 'Quality Control')).toBeUndefined();
      expect(await store.departmentById(r, created.id + 1000)).toBeUndefined();
    });
  });

  it('refuses a second department with a taken code or name key, writing nothing', async () => {
    await storage().run((tx) => store.insertDepartment(tx, department('QC', 'Quality Control', 0)));
    const again = (row: store.NewDepartment) =>
      storage().run(async (tx) => {
        await store.insertDepartment(tx, department('OPS', 'Operations', 1));
        await store.insertDepartment(tx, row);
      });
    await expect(again(department('QC', 'Quality Assurance', 2))).rejects.toThrow(/unique/i);
    await expect(again(department('QA', 'Quality Control', 2))).rejects.toThrow(/unique/i);
    expect((await all()).map((d) => d.code)).toEqual(['QC']);
  });

  it('lists every department by position, then by id; lastPosition is null when there are none', async () => {
    expect(await storage().read(store.lastPosition)).toBeNull();
    await storage().run(async (tx) => {
      await store.insertDepartment(tx, department('B', 'Bravo', 1));
      await store.insertDepartment(tx, department('A', 'Alpha', 2));
      await store.insertDepartment(tx, department('C', 'Charlie', 1));
      await store.insertDepartment(tx, department('D', 'Delta', 0));
    });
    expect((await all()).map((d) => d.code)).toEqual(['D', 'B', 'C', 'A']);
    expect(await storage().read(store.lastPosition)).toBe(2);
  });

  it('renames, deactivates (a boolean false, with the time) and reactivates, returning the row as written', async () => {
    const qc = await storage().run((tx) => store.insertDepartment(tx, department('QC', 'Quality Control', 0)));
    await storage().run((tx) => store.insertDepartment(tx, department('ENG', 'Engineering', 1)));
    const renamed = await storage().run((tx) => store.renameDepartment(tx, qc.id, 'Quality Assurance', 'quality assurance'));
    expect(renamed).toEqual({ ...qc, name: 'Quality Assurance', nameKey: 'quality assurance' });
    await expect(storage().run((tx) => store.renameDepartment(tx, qc.id, 'Engineering', 'engineering'))).rejects.toThrow(/unique/i);
    expect(await storage().run((tx) => store.renameDepartment(tx, qc.id + 1000, 'X', 'x'))).toBeUndefined();

    const later = NOW + 3_600_000;
    const inactive = await storage().run((tx) => store.setDepartmentActive(tx, qc.id, false, later));
    expect(inactive).toEqual({ ...renamed, active: false, deactivatedAt: later });
    expect(await storage().read((r) => store.departmentByCode(r, 'QC'))).toEqual(inactive);
    const active = await storage().run((tx) => store.setDepartmentActive(tx, qc.id, true, null));
    expect(active).toEqual({ ...renamed, active: true, deactivatedAt: null });
  });

  it('moves and deletes by id', async () => {
    const [a, b] = await storage().run(async (tx) => [
      await store.insertDepartment(tx, department('A', 'Alpha', 0)),
      await store.insertDepartment(tx, department('B', 'Bravo', 1)),
    ]);
    await storage().run(async (tx) => {
      expect(await store.setPosition(tx, a!.id, 1)).toEqual({ changes: 1 });
      expect(await store.setPosition(tx, b!.id, 0)).toEqual({ changes: 1 });
    });
    expect((await all()).map((d) => [d.code, d.position])).toEqual([
      ['B', 0],
      ['A', 1],
    ]);
    expect(await storage().run((tx) => store.deleteDepartment(tx, b!.id))).toEqual({ changes: 1 });
    expect(await storage().run((tx) => store.deleteDepartment(tx, b!.id))).toEqual({ changes: 0 });
    expect((await all()).map((d) => d.code)).toEqual(['A']);
  });

  it("setup's statements: the first-run marker, the count, an insert and the list", async () => {
    const { seeded, count, markSeeded, insert, all: list } = store.setupStatements;
    await storage().run(async (tx) => {
      expect(await tx.get(seeded)).toBeUndefined();
      expect(await tx.get(count)).toEqual({ n: 0 });
      await tx.run(markSeeded('2026-03-01T08:00:00.000Z'));
      expect(await tx.get(seeded)).toEqual({ seeded: 1 });
      const created = store.toDepartmentRow((await tx.get<store.StoredDepartment>(insert(department('ENG', 'Engineering', 0))))!);
      expect(created).toMatchObject({ code: 'ENG', active: true });
      expect((await tx.all<store.StoredDepartment>(list)).map(store.toDepartmentRow)).toEqual([created]);
    });
  });

  describe('items through a department, read from their frozen workflow', () => {
    /** A workflow snapshot with these steps, and an item on it for each status given. */
    const itemsOn = async (tx: Tx, steps: unknown[], items: { title: string; status: string; currentStep: number | null }[]) => {
      const { id: workflowId } = (await tx.get<{ id: number }>(
        sql`insert into workflow_snapshots (steps_json, step_count) values (${JSON.stringify(steps)}, ${steps.length}) returning id as "id"`,
      ))!;
      const ids: number[] = [];
      for (const item of items) {
        const { id } = (await tx.get<{ id: number }>(sql`
          insert into work_items (title, priority, status, current_step, workflow_id, created_by_id, created_by_name, created_at, updated_at, version)
          values (${item.title}, 'normal', ${item.status}, ${item.currentStep}, ${workflowId}, 'operator:test', 'Test', ${NOW}, ${NOW}, 1)
          returning id as "id"`))!;
        ids.push(id);
      }
      return { workflowId, ids };
    };

    it('finds open items whose workflow has a step with the code as its ref, and counts closed ones', async () => {
      const steps = [
        { name: 'Engineering', ref: 'ENG' },
        { name: 'Quality Control', ref: 'NDT7', minSignoffs: 2 },
      ];
      const { ids } = await storage().run((tx) =>
        itemsOn(tx, steps, [
          { title: 'Waiting at NDT7', status: 'active', currentStep: 1 },
          { title: 'A draft', status: 'draft', currentStep: 0 },
          { title: 'Done', status: 'completed', currentStep: null },
          { title: 'Cancelled', status: 'cancelled', currentStep: 0 },
        ]),
      );
      // Not through NDT7: the code only as a name, a longer code, a step by hand without a ref.
      await storage().run((tx) =>
        itemsOn(tx, [{ name: 'NDT7' }, { name: 'X', ref: 'NDT77' }, { name: 'ndt7', ref: 'ndt7' }], [
          { title: 'Elsewhere', status: 'active', currentStep: 0 },
          { title: 'Elsewhere, done', status: 'completed', currentStep: null },
        ]),
      );
      const open = await storage().read((r) => store.openItemsThrough(r, 'NDT7'));
      expect(open.sort((a, b) => a.id - b.id)).toEqual([
        { id: ids[0], title: 'Waiting at NDT7', status: 'active', currentStep: 1, stepsJson: JSON.stringify(steps) },
        { id: ids[1], title: 'A draft', status: 'draft', currentStep: 0, stepsJson: JSON.stringify(steps) },
      ]);
      expect(await storage().read((r) => store.closedItemsThrough(r, 'NDT7'))).toBe(2);
      expect(await storage().read((r) => store.openItemsThrough(r, 'NDT77'))).toHaveLength(1);
      expect(await storage().read((r) => store.closedItemsThrough(r, 'NDT77'))).toBe(1);
      expect(await storage().read((r) => store.openItemsThrough(r, 'NONE'))).toEqual([]);
      expect(await storage().read((r) => store.closedItemsThrough(r, 'NONE'))).toBe(0);
    });
  });
});
