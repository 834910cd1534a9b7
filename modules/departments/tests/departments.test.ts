import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoveredModules } from '../../../src/core/modules/discovered';
import { defineModule } from '../../../src/core/modules/types';
import type { AppStatus, WorkflowChoice, WorkItem } from '../../../src/shared/types';
import { makeDataDir, projectRoot, startApp, type TempApp } from '../../../tests/support/tempApp';
import type { Department, DepartmentUsage } from '../contract';
import type { DepartmentDirectory } from '../index';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

const NOW = Date.parse('2026-03-01T08:00:00Z');
const open = (extra: Parameters<typeof startApp>[0] = {}, dataDir?: string) => {
  const t = startApp({ clock: () => NOW, ...extra }, dataDir);
  apps.push(t);
  return t;
};

/** A data folder whose settings file gives the departments module these defaults (templates off). */
function withDefaults(defaults: unknown, dataDir = makeDataDir()) {
  const settings = JSON.parse(readFileSync(join(projectRoot, 'resources/default-settings.json'), 'utf8'));
  settings.modules.departments.config.defaults = defaults;
  settings.modules.templates.enabled = false;
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  return dataDir;
}

/** The departments table as it is on disk, read past the app. */
function rows(t: TempApp) {
  const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    return db.prepare('select * from departments order by id').all();
  } finally {
    db.close();
  }
}

const list = (t: TempApp, includeInactive = false) => t.call<Department[]>('departments.list', { includeInactive });
const names = async (t: TempApp, includeInactive = false) => (await list(t, includeInactive)).map((d) => d.name);
const byCode = async (t: TempApp, code: string) => (await list(t, true)).find((d) => d.code === code)!;

const STEPS = [
  { name: 'Engineering', ref: 'ENG' },
  { name: 'Quality Control', ref: 'QC' },
  { name: 'Operations', ref: 'OPS' },
];
const createItem = (t: TempApp, title: string, extra: Record<string, unknown> = {}) =>
  t.call<WorkItem>('workItems.create', { title, steps: STEPS, submit: true, ...extra });
const approve = async (t: TempApp, item: WorkItem, times: number) => {
  for (let i = 0; i < times; i++) item = await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version });
  return item;
};

describe('first run', () => {
  it('creates the defaults from the settings file, in order and active', async () => {
    const t = open();
    expect(await list(t)).toEqual([
      { id: 1, name: 'Engineering', code: 'ENG', position: 0, active: true, deactivatedAt: null },
      { id: 2, name: 'Quality Control', code: 'QC', position: 1, active: true, deactivatedAt: null },
      { id: 3, name: 'Operations', code: 'OPS', position: 2, active: true, deactivatedAt: null },
    ]);
  });

  it('takes whatever defaults the settings file names', async () => {
    const t = open({}, withDefaults([{ name: 'Line  Maintenance ', code: 'LM' }, { name: 'Stores', code: 'ST' }]));
    expect((await list(t)).map((d) => [d.name, d.code, d.position])).toEqual([
      ['Line Maintenance', 'LM', 0],
      ['Stores', 'ST', 1],
    ]);
  });

  it('applies the defaults once: deleting them all, or changing the file later, does not bring them back', async () => {
    const dataDir = withDefaults([{ name: 'Line Maintenance', code: 'LM' }]);
    const t = open({}, dataDir);
    await t.call('departments.delete', { id: (await byCode(t, 'LM')).id });
    t.app.close();
    withDefaults([{ name: 'Stores', code: 'ST' }], dataDir);
    const again = open({}, dataDir);
    expect(await list(again, true)).toEqual([]);
  });

  it('disables the module, naming the entry, when the settings file repeats a code or a name', async () => {
    for (const [defaults, where] of [
      [[{ name: 'Engineering', code: 'ENG' }, { name: 'Avionics', code: 'ENG' }], 'defaults.1.code'],
      [[{ name: 'Engineering', code: 'ENG' }, { name: 'ENGINEERING', code: 'EN2' }], 'defaults.1.name'],
    ] as const) {
      const t = open({}, withDefaults(defaults));
      const status = await t.call<AppStatus>('app.status');
      expect(status.modules.find((m) => m.name === 'departments')?.state).toBe('failed');
      expect(status.problems.join('\n')).toContain(`invalid at "${where}"`);
    }
  });
});

describe('departments.create', () => {
  it('adds a trimmed department at the end of the order, active', async () => {
    const t = open();
    const created = await t.call<Department>('departments.create', { name: '  Non-Destructive \t Testing ', code: ' NDT ' });
    expect(created).toEqual({ id: 4, name: 'Non-Destructive Testing', code: 'NDT', position: 3, active: true, deactivatedAt: null });
    expect(await names(t)).toEqual(['Engineering', 'Quality Control', 'Operations', 'Non-Destructive Testing']);
  });

  it('refuses a name that exists, ignoring case and spacing, and a code that exists — changing nothing', async () => {
    const t = open();
    const before = rows(t);
    const name = await t.fail('departments.create', { name: 'quality  CONTROL', code: 'QC2' });
    expect(name).toMatchObject({
      code: 'VALIDATION',
      message: 'A department named "Quality Control" already exists.',
      details: { issues: [{ path: ['name'], message: 'A department named "Quality Control" already exists.' }] },
    });
    const code = await t.fail('departments.create', { name: 'Quality Assurance', code: 'QC' });
    expect(code).toMatchObject({ code: 'VALIDATION', message: 'The code "QC" is already used by Quality Control.' });
    expect(code.details).toMatchObject({ issues: [{ path: ['code'] }] });
    const both = await t.fail('departments.create', { name: 'Operations', code: 'OPS' });
    expect((both.details as { issues: { path: string[] }[] }).issues.map((i) => i.path[0])).toEqual(['name', 'code']);
    expect(rows(t)).toEqual(before);
  });

  it('says when the name belongs to an inactive department', async () => {
    const t = open();
    await t.call('departments.setActive', { id: (await byCode(t, 'OPS')).id, active: false });
    const error = await t.fail('departments.create', { name: 'Operations', code: 'OPS2' });
    expect(error.message).toBe('A department named "Operations" already exists (inactive); reactivate it instead.');
  });

  it.each([
    [{ name: '', code: 'X' }, 'name', 'Enter a name'],
    [{ name: '   ', code: 'X' }, 'name', 'Enter a name'],
    [{ name: 'x'.repeat(81), code: 'X' }, 'name', 'A name is at most 80 characters'],
    [{ name: 'Bell\u0007', code: 'X' }, 'name', 'A name cannot contain control characters'],
    [{ name: 'Avionics', code: '' }, 'code', 'Enter a code'],
    [{ name: 'Avionics', code: 'av' }, 'code', 'Codes are capital letters'],
    [{ name: 'Avionics', code: 'AV 1' }, 'code', 'Codes are capital letters'],
    [{ name: 'Avionics', code: 'ÄV' }, 'code', 'Codes are capital letters'],
    [{ name: 'Avionics', code: 'A'.repeat(13) }, 'code', 'A code is at most 12 characters'],
    [{ name: 'Avionics' }, 'code', ''],
    [{ name: 42, code: 'AV' }, 'name', ''],
    [{ name: 'Avionics', code: 'AV', active: false }, '', ''],
  ])('refuses %j (field %s) and changes nothing', async (input, field, message) => {
    const t = open();
    const before = rows(t);
    const error = await t.fail('departments.create', input);
    expect(error.code).toBe('VALIDATION');
    const issue = (error.details as { issues: { path: string[]; message: string }[] }).issues[0]!;
    if (field) expect(issue.path[0]).toBe(field);
    expect(issue.message).toContain(message);
    expect(rows(t)).toEqual(before);
  });
});

describe('departments.rename', () => {
  it('renames in place, keeping code, order and id', async () => {
    const t = open();
    const qc = await byCode(t, 'QC');
    const renamed = await t.call<Department>('departments.rename', { id: qc.id, name: ' Quality  Assurance ' });
    expect(renamed).toEqual({ ...qc, name: 'Quality Assurance' });
    expect(await names(t)).toEqual(['Engineering', 'Quality Assurance', 'Operations']);
  });

  it('allows changing only the case of its own name', async () => {
    const t = open();
    const qc = await byCode(t, 'QC');
    expect(await t.call('departments.rename', { id: qc.id, name: 'Quality control' })).toMatchObject({ name: 'Quality control' });
  });

  it('refuses a name another department has, an unknown id, and a code change — changing nothing', async () => {
    const t = open();
    const qc = await byCode(t, 'QC');
    const before = rows(t);
    expect(await t.fail('departments.rename', { id: qc.id, name: 'ENGINEERING' })).toMatchObject({
      code: 'VALIDATION',
      message: 'A department named "Engineering" already exists.',
      details: { issues: [{ path: ['name'] }] },
    });
    expect(await t.fail('departments.rename', { id: 99, name: 'Avionics' })).toMatchObject({
      code: 'NOT_FOUND',
      message: 'There is no department #99; it may have been deleted meanwhile.',
    });
    // Codes are fixed once created: the contract has no way to send one.
    expect((await t.fail('departments.rename', { id: qc.id, name: 'QA', code: 'QA' })).code).toBe('VALIDATION');
    expect((await t.fail('departments.rename', { id: qc.id, name: '' })).code).toBe('VALIDATION');
    expect((await t.fail('departments.rename', { id: -1, name: 'QA' })).code).toBe('VALIDATION');
    expect(rows(t)).toEqual(before);
  });
});

describe('departments.reorder', () => {
  it('puts every department, active or not, in the new order', async () => {
    const t = open();
    const [eng, qc, ops] = await list(t);
    await t.call('departments.setActive', { id: qc!.id, active: false });
    const result = await t.call<Department[]>('departments.reorder', { ids: [ops!.id, qc!.id, eng!.id] });
    expect(result.map((d) => [d.code, d.position])).toEqual([
      ['OPS', 0],
      ['QC', 1],
      ['ENG', 2],
    ]);
    expect(await names(t)).toEqual(['Operations', 'Engineering']);
    expect(await names(t, true)).toEqual(['Operations', 'Quality Control', 'Engineering']);
  });

  it('refuses anything but a permutation of all department ids — changing nothing', async () => {
    const t = open();
    const before = rows(t);
    const missing = await t.fail('departments.reorder', { ids: [3, 1] });
    expect(missing).toMatchObject({ code: 'VALIDATION' });
    expect(missing.message).toBe(
      'The new order leaves out Quality Control; it must list every department exactly once. Reload the list and try again.',
    );
    const unknown = await t.fail('departments.reorder', { ids: [3, 2, 1, 7] });
    expect(unknown.message).toMatch(/^The new order names #7, which is not a department/);
    const twice = await t.fail('departments.reorder', { ids: [1, 2, 2, 3] });
    expect(twice.message).toBe('ids: Each department may appear only once in the new order');
    expect((await t.fail('departments.reorder', { ids: [] })).code).toBe('VALIDATION');
    expect((await t.fail('departments.reorder', { ids: [1, 2, 3.5] })).code).toBe('VALIDATION');
    expect((await t.fail('departments.reorder', { ids: '1,2,3' })).code).toBe('VALIDATION');
    expect(rows(t)).toEqual(before);
  });
});

describe('usage and deactivation', () => {
  /** Items standing at every place relative to Quality Control (step 2 of 3). */
  async function seeded() {
    const t = open();
    const later = await createItem(t, 'At Engineering');
    const current = await approve(t, await createItem(t, 'At Quality Control'), 1);
    const earlier = await approve(t, await createItem(t, 'At Operations'), 2);
    const draft = await createItem(t, 'Still a draft', { submit: false });
    const done = await approve(t, await createItem(t, 'Done'), 3);
    const cancelled = await createItem(t, 'Cancelled');
    await t.call('workItems.cancel', { id: cancelled.id, expectedVersion: cancelled.version });
    await t.call('workItems.create', { title: 'Elsewhere', steps: [{ name: 'Operations' }], submit: true });
    // A step given by its department's name is tied to the department by code like a template's.
    const named = await t.call<WorkItem>('workItems.create', { title: 'Named by hand', steps: [{ name: 'quality  control' }], submit: true });
    return { t, later, current, earlier, draft, done, named, qc: await byCode(t, 'QC') };
  }

  it('lists the open items that go through a department, the one waiting there first', async () => {
    const { t, later, current, earlier, draft, named, qc } = await seeded();
    expect(named.steps).toEqual([{ name: 'Quality Control', ref: 'QC' }]);
    const usage = await t.call<DepartmentUsage>('departments.usage', { id: qc.id });
    expect(usage.openItems).toEqual([
      { id: current.id, title: 'At Quality Control', status: 'active', currentStep: 1, currentStepName: 'Quality Control', relation: 'current', steps: [1] },
      { id: named.id, title: 'Named by hand', status: 'active', currentStep: 0, currentStepName: 'Quality Control', relation: 'current', steps: [0] },
      { id: later.id, title: 'At Engineering', status: 'active', currentStep: 0, currentStepName: 'Engineering', relation: 'later', steps: [1] },
      { id: draft.id, title: 'Still a draft', status: 'draft', currentStep: 0, currentStepName: 'Engineering', relation: 'later', steps: [1] },
      { id: earlier.id, title: 'At Operations', status: 'active', currentStep: 2, currentStepName: 'Operations', relation: 'earlier', steps: [1] },
    ]);
    // The standard template uses every default department, so it is listed as a reference too.
    expect(usage).toMatchObject({ openTotal: 5, byRelation: { current: 2, later: 2, earlier: 1 }, closedTotal: 2, references: ['Template "Standard"'], canDelete: false });
    const cut = await t.call<DepartmentUsage>('departments.usage', { id: qc.id, limit: 1 });
    expect(cut.openItems.map((i) => i.id)).toEqual([current.id]);
    expect(cut.openTotal).toBe(5);
  });

  it('a department no item names can be deleted; one that only closed items name cannot', async () => {
    const t = open();
    const ndt = await t.call<Department>('departments.create', { name: 'Non-Destructive Testing', code: 'NDT' });
    expect(await t.call('departments.usage', { id: ndt.id })).toMatchObject({ openItems: [], openTotal: 0, closedTotal: 0, canDelete: true });
    const item = await t.call<WorkItem>('workItems.create', { title: 'Eddy current', steps: [{ name: 'NDT', ref: 'NDT' }], submit: true });
    await approve(t, item, 1);
    expect(await t.call('departments.usage', { id: ndt.id })).toMatchObject({ openTotal: 0, closedTotal: 1, canDelete: false });
  });

  it('deactivating hides the department from the list, keeps it in history and says who is affected', async () => {
    const { t, current, later, named, qc } = await seeded();
    const result = await t.call<DepartmentUsage>('departments.setActive', { id: qc.id, active: false });
    expect(result.department).toEqual({ ...qc, active: false, deactivatedAt: new Date(NOW).toISOString() });
    expect(result.openItems.map((i) => i.id).slice(0, 3)).toEqual([current.id, named.id, later.id]);
    expect(result.openTotal).toBe(5);
    expect(await names(t)).toEqual(['Engineering', 'Operations']);
    expect(await names(t, true)).toEqual(['Engineering', 'Quality Control', 'Operations']);

    // Items keep their steps and move on through the inactive department.
    const moved = await approve(t, await t.call<WorkItem>('workItems.get', { id: current.id }).then((d: any) => d.item), 1);
    expect(moved.currentStep).toBe(2);
    const detail = await t.call('workItems.get', { id: current.id });
    expect(detail.item.steps[1]).toEqual({ name: 'Quality Control', ref: 'QC' });

    expect(await t.fail('departments.setActive', { id: qc.id, active: false })).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: 'Quality Control is already inactive.',
    });
    const back = await t.call<DepartmentUsage>('departments.setActive', { id: qc.id, active: true });
    expect(back.department).toEqual(qc);
    expect(await names(t)).toEqual(['Engineering', 'Quality Control', 'Operations']);
  });

  it('refuses an unknown department and bad input, changing nothing', async () => {
    const t = open();
    const before = rows(t);
    expect((await t.fail('departments.setActive', { id: 99, active: false })).code).toBe('NOT_FOUND');
    expect((await t.fail('departments.setActive', { id: 1, active: 'no' })).code).toBe('VALIDATION');
    expect((await t.fail('departments.setActive', { id: 1 })).code).toBe('VALIDATION');
    expect((await t.fail('departments.usage', { id: 99 })).code).toBe('NOT_FOUND');
    expect((await t.fail('departments.usage', { id: 1, limit: 0 })).code).toBe('VALIDATION');
    expect(rows(t)).toEqual(before);
  });
});

describe('departments.delete', () => {
  it('deletes an unused department for good and closes the gap in the order; its code may be used again', async () => {
    const t = open();
    const ndt = await t.call<Department>('departments.create', { name: 'Non-Destructive Testing', code: 'NDT' });
    await t.call('departments.reorder', { ids: [ndt.id, 1, 2, 3] });
    expect(await t.call('departments.delete', { id: ndt.id })).toEqual({ deleted: { ...ndt, position: 0 } });
    expect((await list(t, true)).map((d) => [d.code, d.position])).toEqual([
      ['ENG', 0],
      ['QC', 1],
      ['OPS', 2],
    ]);
    expect(await t.call('departments.create', { name: 'NDT', code: 'NDT' })).toMatchObject({ position: 3 });
    expect((await t.fail('departments.delete', { id: ndt.id })).code).toBe('NOT_FOUND');
  });

  it('refuses while an open item goes through it, saying which, and changes nothing', async () => {
    const t = open();
    const item = await createItem(t, 'Borescope inspection');
    const before = rows(t);
    const error = await t.fail('departments.delete', { id: (await byCode(t, 'QC')).id });
    expect(error).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: `Quality Control cannot be deleted: 1 open work item goes through it (#${item.id}); Template "Standard" uses it. Deactivate it instead; history keeps its name.`,
    });
    expect(rows(t)).toEqual(before);
  });

  it('refuses while only completed or cancelled items name it (their history keeps the code)', async () => {
    const t = open();
    const item = await createItem(t, 'Cancelled at once');
    await t.call('workItems.cancel', { id: item.id, expectedVersion: item.version });
    const ops = await byCode(t, 'OPS');
    await t.call('departments.setActive', { id: ops.id, active: false });
    const error = await t.fail('departments.delete', { id: ops.id });
    expect(error.message).toBe(
      'Operations cannot be deleted: the history of 1 completed or cancelled item names it; Template "Standard" uses it. It stays inactive; history keeps its name.',
    );
    expect(await names(t, true)).toContain('Operations');
  });

  it('refuses bad input', async () => {
    const t = open();
    expect((await t.fail('departments.delete', {})).code).toBe('VALIDATION');
    expect((await t.fail('departments.delete', { id: '1' })).code).toBe('VALIDATION');
    expect(rows(t)).toHaveLength(3);
  });
});

describe('with other modules', () => {
  it('templates follow a rename for new items; items already created keep the old name', async () => {
    const t = open();
    const before = await t.call<WorkItem>('workItems.create', { title: 'Before', workflowId: 'template:standard', submit: true });
    await t.call('departments.rename', { id: (await byCode(t, 'ENG')).id, name: 'Engineering & Design' });
    const [standard] = await t.call<WorkflowChoice[]>('workflows.list');
    expect(standard!.steps[0]).toEqual({ name: 'Engineering & Design', ref: 'ENG' });
    const after = await t.call<WorkItem>('workItems.create', { title: 'After', workflowId: 'template:standard', submit: true });
    expect(after.steps[0]!.name).toBe('Engineering & Design');
    expect((await t.call('workItems.get', { id: before.id })).item.steps[0]).toEqual({ name: 'Engineering', ref: 'ENG' });
    // Both are the same department to this module: the code ties them.
    const usage = await t.call<DepartmentUsage>('departments.usage', { id: (await byCode(t, 'ENG')).id });
    expect(usage.openItems.map((i) => [i.title, i.relation])).toEqual([
      ['Before', 'current'],
      ['After', 'current'],
    ]);
    // …and the item created before the rename still moves on.
    expect((await approve(t, before, 1)).currentStep).toBe(1);
  });

  it('a dependent module can report its own references; they block delete and show in usage', async () => {
    let directory: DepartmentDirectory | undefined;
    const checklists = {
      folder: 'checklists',
      definition: defineModule({
        name: 'checklists',
        version: '1.0.0',
        description: 'A fixture that refers to departments',
        dependsOn: ['departments'],
        setup: ({ use }) => {
          directory = use<DepartmentDirectory>('departments');
          directory.addReferenceSource((code) => (code === 'NDT' ? ['Checklist “Eddy current”'] : []));
          return {};
        },
      }),
    };
    const t = open({ modules: [...discoveredModules, checklists] });
    const ndt = await t.call<Department>('departments.create', { name: 'Non-Destructive Testing', code: 'NDT' });
    expect(directory!.byCode('NDT')).toEqual(ndt);
    expect(directory!.byCode('nope')).toBeNull();
    expect(directory!.list().map((d) => d.code)).toEqual(['ENG', 'QC', 'OPS', 'NDT']);
    expect(await t.call('departments.usage', { id: ndt.id })).toMatchObject({ references: ['Checklist “Eddy current”'], canDelete: false });
    expect((await t.fail('departments.delete', { id: ndt.id })).message).toBe(
      'Non-Destructive Testing cannot be deleted: Checklist “Eddy current” uses it. Deactivate it instead; history keeps its name.',
    );
  });

  it('every command tells the windows to refresh', async () => {
    const t = open();
    const seen: string[] = [];
    t.app.onChange((event) => seen.push(event.channel));
    const ndt = await t.call<Department>('departments.create', { name: 'NDT', code: 'NDT' });
    await t.call('departments.rename', { id: ndt.id, name: 'Non-Destructive Testing' });
    await t.call('departments.reorder', { ids: [4, 3, 2, 1] });
    await t.call('departments.setActive', { id: ndt.id, active: false });
    await t.call('departments.delete', { id: ndt.id });
    await t.call('departments.usage', { id: 1 });
    await t.call('departments.list');
    expect(seen).toEqual(['departments.create', 'departments.rename', 'departments.reorder', 'departments.setActive', 'departments.delete']);
  });
});
