import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { discoveredModules } from '../../../src/core/modules/discovered';
import { defineModule } from '../../../src/core/modules/types';
import type { AppStatus, WorkflowChoice, WorkItem } from '../../../src/shared/types';
import { makeDataDir, projectRoot, startApp, type TempApp } from '../../../tests/support/tempApp';
import type { TemplateDetail, TemplateExport, TemplateImport, TemplateSummary } from '../contract';
import type { TemplateRulesDirectory } from '../index';

// Everything goes through startApp() and the real channels. Two small fixture modules help:
// "probe" depends on templates and keeps its exports (what the approvals module will call), and
// a stand-in "departments" whose departments a test can switch off (the real module cannot yet).

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

let exported: TemplateRulesDirectory;
const probe = {
  folder: 'probe',
  definition: defineModule({
    name: 'probe',
    version: '1.0.0',
    description: 'Reads what the templates module exports',
    dependsOn: ['templates'],
    setup: ({ use }) => {
      exported = use<TemplateRulesDirectory>('templates');
      return {};
    },
  }),
};

const fakeDepartments = new Map<string, { name: string; code: string; active: boolean }>();
const standInDepartments = {
  folder: 'departments',
  definition: defineModule({
    name: 'departments',
    version: '0.0.0',
    description: 'Stand-in departments for tests',
    setup: () => ({ exports: { byCode: (code: string) => fakeDepartments.get(code) ?? null } }),
  }),
};

function start(options: { standIn?: boolean; settings?: (defaults: any) => any } = {}): TempApp {
  const dataDir = makeDataDir();
  if (options.settings) {
    const defaults = JSON.parse(readFileSync(join(projectRoot, 'resources', 'default-settings.json'), 'utf8'));
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(options.settings(defaults)));
  }
  if (options.standIn) {
    fakeDepartments.clear();
    for (const [code, name] of [['ENG', 'Engineering'], ['QC', 'Quality Control'], ['OPS', 'Operations'], ['NDT', 'Non-destructive testing']] as const) {
      fakeDepartments.set(code, { code, name, active: true });
    }
  }
  const modules = options.standIn
    ? [...discoveredModules.filter((m) => m.folder !== 'departments'), standInDepartments, probe]
    : [...discoveredModules, probe];
  const t = startApp({ modules }, dataDir);
  apps.push(t);
  return t;
}

const rowCounts = (t: TempApp) => {
  const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { templates: one('select count(*) n from templates'), versions: one('select count(*) n from template_versions') };
  } finally {
    db.close();
  }
};

const heavyCheck = {
  name: 'Heavy check',
  description: 'C-check work packages',
  steps: [{ department: 'ENG' }, { department: 'QC', minSignoffs: 2, targetHours: 24 }, { department: 'OPS', targetHours: 8 }],
  rules: { commentOnReject: true, commentOnEveryAction: false, noSelfApproval: true, eSignature: false },
};

describe('first run', () => {
  it('creates the "standard" template from the settings file: ENG, QC, OPS, one sign-off each, a reason required to reject', async () => {
    const t = start();
    const list = await t.call<TemplateSummary[]>('templates.list', { includeInactive: true });
    expect(list).toEqual([
      expect.objectContaining({
        key: 'standard',
        name: 'Standard',
        active: true,
        version: 1,
        currentVersion: 1,
        problems: [],
        // A new install asks for a reason on every reject (the shipped settings say so).
        rules: { commentOnReject: true, commentOnEveryAction: false, noSelfApproval: false, eSignature: false },
        steps: [
          { department: 'ENG', name: 'Engineering', minSignoffs: 1, departmentState: 'active' },
          { department: 'QC', name: 'Quality Control', minSignoffs: 1, departmentState: 'active' },
          { department: 'OPS', name: 'Operations', minSignoffs: 1, departmentState: 'active' },
        ],
      }),
    ]);
    const detail = await t.call<TemplateDetail>('templates.get', { id: list[0]!.id });
    expect(detail.versions).toEqual([expect.objectContaining({ version: 1, origin: 'default', savedBy: expect.objectContaining({ id: 'system:first-run' }) })]);
    expect(exported.rulesFor({ id: 'template:standard', version: 1 })).toEqual({ commentOnReject: true, commentOnEveryAction: false, noSelfApproval: false, eSignature: false });
  });

  it('does not create it again on the next start, even after it was edited', async () => {
    const t = start();
    const [standard] = await t.call<TemplateSummary[]>('templates.list');
    await t.call('templates.update', { id: standard!.id, expectedVersion: 1, ...heavyCheck, name: 'Standard' });
    const again = t.reopen({ modules: [...discoveredModules, probe] });
    apps.push(again);
    expect(await again.call<TemplateSummary[]>('templates.list')).toEqual([expect.objectContaining({ key: 'standard', version: 2 })]);
  });

  it('accepts settings defaults with per-step sign-offs, target hours and rules', async () => {
    const t = start({
      settings: (d) => {
        d.modules.templates.config.defaults.push({
          key: 'dual-qc',
          name: 'Dual QC',
          steps: ['ENG', { department: 'QC', minSignoffs: 2, targetHours: 12 }],
          rules: { noSelfApproval: true },
        });
        return d;
      },
    });
    expect((await t.call<AppStatus>('app.status')).problems).toEqual([]);
    const choices = await t.call<WorkflowChoice[]>('workflows.list');
    expect(choices.find((c) => c.id === 'template:dual-qc')?.steps).toEqual([
      { name: 'Engineering', ref: 'ENG' },
      { name: 'Quality Control', ref: 'QC', minSignoffs: 2, targetHours: 12 },
    ]);
    expect(exported.rulesFor({ id: 'template:dual-qc', version: 1 })).toEqual({ commentOnReject: false, commentOnEveryAction: false, noSelfApproval: true, eSignature: false });
  });

  it('refuses to start with a default that names a department that does not exist, saying which', async () => {
    const t = start({
      settings: (d) => {
        d.modules.templates.config.defaults[0].steps = ['ENG', 'XYZ'];
        return d;
      },
    });
    const status = await t.call<AppStatus>('app.status');
    expect(status.problems).toContainEqual(expect.stringContaining('the default template "standard" in the settings file cannot be created: Step 2 uses department "XYZ", which does not exist.'));
  });
});

describe('creating a template', () => {
  it('saves version 1 with its steps and rules and offers it for new items', async () => {
    const t = start();
    const created = await t.call<TemplateDetail>('templates.create', heavyCheck);
    expect(created).toMatchObject({
      key: 'heavy-check',
      name: 'Heavy check',
      version: 1,
      active: true,
      rules: heavyCheck.rules,
      steps: [
        { department: 'ENG', minSignoffs: 1 },
        { department: 'QC', name: 'Quality Control', minSignoffs: 2, targetHours: 24 },
        { department: 'OPS', minSignoffs: 1, targetHours: 8 },
      ],
      versions: [expect.objectContaining({ version: 1, origin: 'created', savedBy: { id: 'operator:hangar operator', name: 'Hangar operator' } })],
    });

    const choice = (await t.call<WorkflowChoice[]>('workflows.list')).find((c) => c.id === 'template:heavy-check');
    expect(choice).toEqual({
      id: 'template:heavy-check',
      label: 'Heavy check',
      description: 'C-check work packages',
      version: 1,
      steps: [
        { name: 'Engineering', ref: 'ENG' },
        { name: 'Quality Control', ref: 'QC', minSignoffs: 2, targetHours: 24 },
        { name: 'Operations', ref: 'OPS', targetHours: 8 },
      ],
    });

    // The core engine enforces the two sign-offs the template asked for.
    const item = await t.call<WorkItem>('workItems.create', { title: 'C-check', workflowId: 'template:heavy-check', submit: true });
    // The template forbids self-approval (enforced by the approvals module), so others sign.
    await t.call('operator.set', { name: 'Ann' }, 'ann');
    const atQc = await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version }, 'ann');
    const once = await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: atQc.version }, 'ann');
    expect(once.currentStep).toBe(1);
    await t.call('operator.set', { name: 'Bob' }, 'bob');
    const twice = await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: once.version }, 'bob');
    expect(twice.currentStep).toBe(2);
  });

  it('makes a free key from the name, or takes the one given; a taken key or name is refused', async () => {
    const t = start();
    expect((await t.call<TemplateDetail>('templates.create', { ...heavyCheck, name: 'Ünïcode & Co. — Check!' })).key).toBe('unicode-co-check');
    expect((await t.call<TemplateDetail>('templates.create', { ...heavyCheck, key: 'hc', name: 'HC' })).key).toBe('hc');
    const before = rowCounts(t);
    const keyTaken = await t.fail('templates.create', { ...heavyCheck, key: 'standard', name: 'Other' });
    expect(keyTaken).toMatchObject({ code: 'VALIDATION', message: 'The key "standard" is already used by the template "Standard".' });
    expect(keyTaken.details).toEqual({ issues: [{ path: ['key'], message: keyTaken.message }] });
    const nameTaken = await t.fail('templates.create', { ...heavyCheck, name: ' standard ' });
    expect(nameTaken.message).toBe('There is already a template named "Standard". Choose another name.');
    expect((await t.fail('templates.create', { ...heavyCheck, key: 'Bad Key' })).message).toMatch(/^key: A key is lower-case letters/);
    expect(rowCounts(t)).toEqual(before);
  });

  it('refuses a missing department, naming the step, and writes nothing', async () => {
    const t = start();
    const before = rowCounts(t);
    const error = await t.fail('templates.create', { ...heavyCheck, steps: [{ department: 'ENG' }, { department: 'XYZ' }] });
    expect(error).toMatchObject({ code: 'VALIDATION', message: 'Step 2 uses department "XYZ", which does not exist.' });
    expect(error.details).toEqual({ issues: [{ path: ['steps', 1, 'department'], message: 'Step 2 uses department "XYZ", which does not exist.' }] });
    expect(rowCounts(t)).toEqual(before);
  });

  it('refuses a template with no steps, and bad sign-offs or hours, and writes nothing', async () => {
    const t = start();
    const before = rowCounts(t);
    expect(await t.fail('templates.create', { ...heavyCheck, steps: [] })).toMatchObject({ code: 'VALIDATION', message: 'steps: A template needs at least one step.' });
    expect((await t.fail('templates.create', { ...heavyCheck, steps: [{ department: 'QC', minSignoffs: 6 }] })).message).toBe('steps.0.minSignoffs: At most 5 sign-offs');
    expect((await t.fail('templates.create', { ...heavyCheck, steps: [{ department: 'QC', targetHours: 0 }] })).message).toBe('steps.0.targetHours: Target hours must be more than 0');
    expect((await t.fail('templates.create', { ...heavyCheck, name: '  ' })).message).toBe('name: A template needs a name');
    expect(rowCounts(t)).toEqual(before);
  });

  it('refuses an inactive department', async () => {
    const t = start({ standIn: true });
    fakeDepartments.get('NDT')!.active = false;
    const error = await t.fail('templates.create', { ...heavyCheck, steps: [{ department: 'NDT' }] });
    expect(error.message).toBe('Step 1 uses department "NDT" (Non-destructive testing), which is inactive.');
  });
});

describe('editing makes a new version; running items keep theirs', () => {
  it('an item created on v1 keeps v1 steps and v1 rules after the template is edited to v2', async () => {
    const t = start();
    const v1 = await t.call<TemplateDetail>('templates.create', heavyCheck);
    const onV1 = await t.call<WorkItem>('workItems.create', { title: 'On v1', workflowId: 'template:heavy-check', submit: true });

    const v2 = await t.call<TemplateDetail>('templates.update', {
      id: v1.id,
      expectedVersion: 1,
      name: 'Heavy check',
      description: 'Now with NDT-free OPS sign-off twice',
      steps: [{ department: 'QC', minSignoffs: 3 }, { department: 'OPS', minSignoffs: 2 }],
      rules: { commentOnReject: false, commentOnEveryAction: true, noSelfApproval: false },
    });
    expect(v2).toMatchObject({ version: 2, currentVersion: 2, steps: [{ department: 'QC', minSignoffs: 3 }, { department: 'OPS', minSignoffs: 2 }] });
    expect(v2.versions.map((v) => [v.version, v.origin])).toEqual([
      [2, 'edited'],
      [1, 'created'],
    ]);

    const kept = (await t.call('workItems.get', { id: onV1.id })).item as WorkItem;
    expect(kept.workflow).toEqual({ id: 'template:heavy-check', label: 'Heavy check', version: 1 });
    expect(kept.steps).toEqual([
      { name: 'Engineering', ref: 'ENG' },
      { name: 'Quality Control', ref: 'QC', minSignoffs: 2, targetHours: 24 },
      { name: 'Operations', ref: 'OPS', targetHours: 8 },
    ]);
    expect(exported.rulesFor(kept.workflow!)).toEqual(heavyCheck.rules);
    expect(exported.rulesFor({ id: 'template:heavy-check', version: 2 })).toEqual({ commentOnReject: false, commentOnEveryAction: true, noSelfApproval: false, eSignature: false });
    expect(exported.rulesFor({ id: 'template:heavy-check' })).toEqual(v2.rules);
    expect(exported.versionFor(kept.workflow!)).toMatchObject({ key: 'heavy-check', version: 1, steps: heavyCheck.steps.map((s) => ({ minSignoffs: 1, ...s })) });
    expect(exported.rulesFor({ id: 'template:heavy-check', version: 3 })).toBeNull();
    expect(exported.rulesFor({ id: 'template:nope', version: 1 })).toBeNull();
    expect(exported.rulesFor({ id: 'custom', version: 1 })).toBeNull();

    const onV2 = await t.call<WorkItem>('workItems.create', { title: 'On v2', workflowId: 'template:heavy-check' });
    expect(onV2.workflow?.version).toBe(2);
    expect(onV2.steps).toEqual([
      { name: 'Quality Control', ref: 'QC', minSignoffs: 3 },
      { name: 'Operations', ref: 'OPS', minSignoffs: 2 },
    ]);

    // v1 can still be looked at.
    const old = await t.call<TemplateDetail>('templates.get', { id: v1.id, version: 1 });
    expect(old).toMatchObject({ version: 1, currentVersion: 2, rules: heavyCheck.rules, description: 'C-check work packages' });
    expect((await t.fail('templates.get', { id: v1.id, version: 9 })).message).toBe('Template "heavy-check" has no version 9; its latest is version 2.');
    expect((await t.fail('templates.get', { id: 999 })).code).toBe('NOT_FOUND');
  });

  it('refuses a stale update and a no-change update, writing nothing', async () => {
    const t = start();
    const v1 = await t.call<TemplateDetail>('templates.create', heavyCheck);
    await t.call('templates.update', { id: v1.id, expectedVersion: 1, ...heavyCheck, description: 'second' });
    const before = rowCounts(t);
    const stale = await t.fail('templates.update', { id: v1.id, expectedVersion: 1, ...heavyCheck, description: 'third' });
    expect(stale).toMatchObject({ code: 'STALE_VERSION', details: { expectedVersion: 1, actualVersion: 2 } });
    expect(stale.message).toMatch(/changed since you opened it: it is now at version 2/);
    const same = await t.fail('templates.update', { id: v1.id, expectedVersion: 2, ...heavyCheck, description: 'second' });
    expect(same).toMatchObject({ code: 'VALIDATION', message: 'Nothing changed since version 2, so no new version was saved.' });
    const missing = await t.fail('templates.update', { id: v1.id, expectedVersion: 2, ...heavyCheck, steps: [{ department: 'ENG' }, { department: 'ENG' }, { department: 'NOPE' }] });
    expect(missing.message).toBe('Step 3 uses department "NOPE", which does not exist.');
    expect(rowCounts(t)).toEqual(before);
  });

  it('keeps saved versions immutable in the database itself', async () => {
    const t = start();
    const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'));
    try {
      expect(() => db.prepare("update template_versions set name = 'x'").run()).toThrow(/immutable/);
      expect(() => db.prepare('delete from template_versions').run()).toThrow(/immutable/);
    } finally {
      db.close();
    }
  });
});

describe('departments that templates use', () => {
  it('cannot be deleted while a template uses them, and say which template', async () => {
    const t = start();
    const ndt = await t.call<{ id: number }>('departments.create', { name: 'Non-Destructive Testing', code: 'NDT' });
    await t.call('templates.create', { name: 'NDT route', steps: [{ department: 'ENG' }, { department: 'NDT' }] });
    const refused = await t.fail('departments.delete', { id: ndt.id });
    expect(refused.message).toMatch(/Non-Destructive Testing cannot be deleted: .*Template "NDT route"/);
    expect((await t.call<TemplateSummary[]>('templates.list')).map((x) => x.name)).toContain('NDT route');
  });
});

describe('active flag and departments that go away', () => {
  it('a deactivated template is not offered; running items go on', async () => {
    const t = start();
    const [standard] = await t.call<TemplateSummary[]>('templates.list');
    const item = await t.call<WorkItem>('workItems.create', { title: 'Running', workflowId: 'template:standard', submit: true });
    expect(await t.call('templates.setActive', { id: standard!.id, active: false })).toMatchObject({ active: false, version: 1 });
    expect(await t.call('workflows.list')).toEqual([]);
    expect(await t.call('templates.list')).toEqual([]);
    expect(await t.call('templates.list', { includeInactive: true })).toHaveLength(1);
    expect((await t.fail('workItems.create', { title: 'x', workflowId: 'template:standard' })).message).toMatch(/no active workflow "template:standard"/);
    expect((await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version })).currentStep).toBe(1);
    expect(await t.call('templates.setActive', { id: standard!.id, active: true })).toMatchObject({ active: true });
    expect(await t.call('workflows.list')).toHaveLength(1);
  });

  it('a template whose department became inactive is not offered, cannot start items or be re-activated, and says why', async () => {
    const t = start({ standIn: true });
    const created = await t.call<TemplateDetail>('templates.create', { ...heavyCheck, name: 'NDT route', steps: [{ department: 'ENG' }, { department: 'NDT', minSignoffs: 2 }] });
    expect((await t.call<WorkflowChoice[]>('workflows.list')).map((c) => c.id)).toContain('template:ndt-route');
    const running = await t.call<WorkItem>('workItems.create', { title: 'Started before', workflowId: 'template:ndt-route', submit: true });

    fakeDepartments.get('NDT')!.active = false;
    expect((await t.call<WorkflowChoice[]>('workflows.list')).map((c) => c.id)).toEqual(['template:standard']);
    const refused = await t.fail('workItems.create', { title: 'x', workflowId: 'template:ndt-route' });
    expect(refused).toMatchObject({
      code: 'VALIDATION',
      message: 'The template "NDT route" cannot be used now: Step 2 uses department "NDT" (Non-destructive testing), which is inactive. Ask an admin to update the template in Settings → Templates.',
    });
    const listed = (await t.call<TemplateSummary[]>('templates.list')).find((x) => x.id === created.id);
    expect(listed).toMatchObject({ problems: ['Step 2 uses department "NDT" (Non-destructive testing), which is inactive.'], steps: [{}, { departmentState: 'inactive' }] });

    await t.call('templates.setActive', { id: created.id, active: false });
    expect((await t.fail('templates.setActive', { id: created.id, active: true })).message).toBe(
      'Template "NDT route" cannot be activated: step 2, "department": Step 2 uses department "NDT" (Non-destructive testing), which is inactive.',
    );
    // The item that started before keeps its steps and goes on.
    await t.call('operator.set', { name: 'Ann' }, 'ann');
    expect((await t.call<WorkItem>('workItems.approve', { id: running.id, expectedVersion: running.version }, 'ann')).currentStep).toBe(1);

    fakeDepartments.delete('NDT');
    expect((await t.call<TemplateSummary[]>('templates.list', { includeInactive: true })).find((x) => x.id === created.id)?.steps[1]).toMatchObject({
      name: 'NDT',
      departmentState: 'missing',
    });
  });
});

describe('export and import', () => {
  const exportOf = async (t: TempApp, id: number, format: 'json' | 'yaml', version?: number) =>
    t.call<TemplateExport>('templates.export', { id, format, ...(version ? { version } : {}) });

  it.each(['json', 'yaml'] as const)('round-trips a template through a %s file into another installation', async (format) => {
    const source = start();
    const created = await source.call<TemplateDetail>('templates.create', heavyCheck);
    const file = await exportOf(source, created.id, format);
    expect(file.fileName).toBe(`heavy-check-v1.template.${format}`);
    const data = format === 'json' ? JSON.parse(file.content) : parseYaml(file.content);
    expect(data).toEqual({
      format: 'aviation-workflow/template',
      formatVersion: 1,
      key: 'heavy-check',
      name: 'Heavy check',
      description: 'C-check work packages',
      rules: heavyCheck.rules,
      steps: [{ department: 'ENG', minSignoffs: 1 }, { department: 'QC', minSignoffs: 2, targetHours: 24 }, { department: 'OPS', minSignoffs: 1, targetHours: 8 }],
      exported: { templateVersion: 1, at: expect.any(String) },
    });

    const target = start();
    const imported = await target.call<TemplateImport>('templates.import', { content: file.content, format });
    expect(imported).toMatchObject({ outcome: 'created', message: 'Imported "Heavy check" as a new template (key "heavy-check", version 1).' });
    expect(imported.template).toMatchObject({ key: 'heavy-check', version: 1, rules: heavyCheck.rules, steps: created.steps, versions: [{ origin: 'imported' }] });
    // Exporting it again gives the same file, apart from when it was exported.
    const again = await exportOf(target, imported.template.id, format);
    const strip = (s: string) => s.replace(/^\s*"?at"?: .*$/m, '');
    expect(strip(again.content)).toBe(strip(file.content));

    // The same file again changes nothing; an edited one becomes the next version.
    const before = rowCounts(target);
    expect(await target.call<TemplateImport>('templates.import', { content: file.content })).toMatchObject({ outcome: 'unchanged' });
    expect(rowCounts(target)).toEqual(before);
    const edited = file.content.replace(/minSignoffs"?: 2/, format === 'json' ? 'minSignoffs": 3' : 'minSignoffs: 3');
    const next = await target.call<TemplateImport>('templates.import', { content: edited });
    expect(next).toMatchObject({ outcome: 'new-version', template: { version: 2, steps: [{}, { minSignoffs: 3 }, {}] } });
    expect(next.message).toMatch(/as version 2 of the existing template "heavy-check". Items already running keep version 1/);
  });

  it('exports an older version on request', async () => {
    const t = start();
    const [standard] = await t.call<TemplateSummary[]>('templates.list');
    await t.call('templates.update', { id: standard!.id, expectedVersion: 1, ...heavyCheck, name: 'Standard' });
    const v1 = await exportOf(t, standard!.id, 'yaml', 1);
    expect(v1.fileName).toBe('standard-v1.template.yaml');
    expect(v1.content).toMatch(/^# Aviation Workflow template file \(format 1\)/);
    expect(parseYaml(v1.content).steps).toEqual([{ department: 'ENG', minSignoffs: 1 }, { department: 'QC', minSignoffs: 1 }, { department: 'OPS', minSignoffs: 1 }]);
    expect((await t.fail('templates.export', { id: standard!.id, version: 5, format: 'json' })).code).toBe('NOT_FOUND');
    expect((await t.fail('templates.export', { id: standard!.id, format: 'xml' })).message).toBe('format: The format is "json" or "yaml"');
  });

  it('reads a hand-written YAML file without being told the format, with shorthand steps and default rules', async () => {
    const t = start();
    const content = ['format: aviation-workflow/template', 'formatVersion: 1', 'name: Line check', 'steps:', '  - ENG', '  - department: QC', '    minSignoffs: 2', ''].join('\n');
    const result = await t.call<TemplateImport>('templates.import', { content });
    expect(result.template).toMatchObject({
      key: 'line-check',
      description: '',
      rules: { commentOnReject: false, commentOnEveryAction: false, noSelfApproval: false, eSignature: false },
      steps: [{ department: 'ENG', minSignoffs: 1 }, { department: 'QC', minSignoffs: 2 }],
    });
  });

  describe('refuses malformed files with the line and field, changing nothing', () => {
    const good = { format: 'aviation-workflow/template', formatVersion: 1, key: 'x-check', name: 'X check', steps: [{ department: 'ENG' }, { department: 'QC' }] };
    const json = (data: unknown) => JSON.stringify(data, null, 2);
    const cases: [string, string, 'json' | 'yaml' | undefined, string][] = [
      ['broken JSON', '{\n  "format": "aviation-workflow/template",\n  "name" "X"\n}', 'json', 'The file is not valid JSON: line 3, column 10: '],
      ['truncated JSON', '{\n  "format": "aviation-workflow/template",\n', undefined, 'The file is not valid JSON: line 3'],
      ['broken YAML', 'format: aviation-workflow/template\nsteps:\n  - department: ENG\n   minSignoffs: 2\n', 'yaml', 'The file is not valid YAML: line 4, column 1: Sequence item without - indicator'],
      ['plain text', 'just some notes', undefined, 'This is not a template file: Expected a template (fields such as "format", "name" and "steps"), found plain text.'],
      ['an empty file', '   \n', undefined, 'This is not a template file: The file is empty.'],
      ['no format marker', json({ ...good, format: undefined }), undefined, 'This is not an Aviation Workflow template file: "format": An Aviation Workflow template file starts with "format": "aviation-workflow/template".'],
      ['a newer format', json({ ...good, formatVersion: 2 }), undefined, 'This template file cannot be read: line 3, column 20, "formatVersion": The file is format version 2, written by a newer version of the app; this app reads format version 1.'],
      ['an unknown field', json({ ...good, steps: [{ department: 'ENG', minSignOffs: 2 }] }), undefined, 'The file is not a valid template: line 7, column 5, step 1: Unknown field "minSignOffs"'],
      ['too many sign-offs', 'format: aviation-workflow/template\nformatVersion: 1\nname: X\nsteps:\n  - department: ENG\n  - department: QC\n    minSignoffs: 7\n', 'yaml', 'The file is not a valid template: line 7, column 18, step 2, "minSignoffs": At most 5 sign-offs'],
      ['a missing name', json({ ...good, name: undefined }), undefined, 'The file is not a valid template: "name": A template needs a name'],
      ['no steps', json({ ...good, steps: [] }), undefined, 'The file is not a valid template: line 6, column 12, "steps": A template needs at least one step.'],
      ['an unknown department', json({ ...good, steps: [{ department: 'ENG' }, { department: 'XYZ' }] }), undefined, 'The template cannot be imported: line 11, column 21, step 2, "department": Step 2 uses department "XYZ", which does not exist.'],
    ];
    it.each(cases)('%s', async (_what, content, format, message) => {
      const t = start();
      const before = rowCounts(t);
      const error = await t.fail('templates.import', { content, ...(format ? { format } : {}) });
      expect(error.code).toBe('VALIDATION');
      expect(error.message.slice(0, message.length)).toBe(message);
      expect((error.details as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
      expect(rowCounts(t)).toEqual(before);
    });

    it('lists every problem, each with its line', async () => {
      const t = start();
      const content = 'format: aviation-workflow/template\nformatVersion: 1\nname: X\nsteps:\n  - department: ENG\n    minSignoffs: 0\n  - department: QC\n    targetHours: -1\n';
      const error = await t.fail('templates.import', { content });
      expect(error.message).toMatch(/\(and 1 more problem\)$/);
      expect((error.details as { issues: unknown[] }).issues).toEqual([
        { path: ['steps', 0, 'minSignoffs'], message: 'At least 1 sign-off', line: 6, column: 18 },
        { path: ['steps', 1, 'targetHours'], message: 'Target hours must be more than 0', line: 8, column: 18 },
      ]);
    });

    it('refuses a file that is too large before reading it', async () => {
      const t = start();
      expect((await t.fail('templates.import', { content: 'x'.repeat(200_001) })).message).toMatch(/too large/);
    });
  });
});
