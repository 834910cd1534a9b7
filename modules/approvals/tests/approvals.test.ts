import { afterEach, describe, expect, it } from 'vitest';
import { discoveredModules } from '../../../src/core/modules/discovered';
import { defineModule } from '../../../src/core/modules/types';
import type { WorkflowChoice, WorkItem, WorkItemDetail } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { ApprovalRecord, ApprovalRules } from '../contract';

/**
 * The approvals module against a stand-in templates module whose rules the test sets, so
 * each rule is checked on its own. (The real templates module is covered in its own tests.)
 */
const strict: WorkflowChoice = {
  id: 'template:strict',
  label: 'Strict',
  version: 3,
  steps: [
    { name: 'Engineering', ref: 'ENG' },
    { name: 'Quality Control', ref: 'QC', minSignoffs: 2 },
    { name: 'Operations', ref: 'OPS' },
  ],
};

function templatesWith(rules: ApprovalRules) {
  return {
    folder: 'templates',
    definition: defineModule({
      name: 'templates',
      version: '0.0.0-test',
      description: 'stand-in',
      setup: () => ({
        workflowProvider: { list: () => [strict], resolve: (id: string) => (id === strict.id ? strict : null) },
        exports: {
          rulesFor: (source: { id: string; version?: number }) => (source.id === strict.id && source.version === 3 ? rules : null),
        },
      }),
    }),
  };
}

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

function start(rules: Partial<ApprovalRules>) {
  const modules = [
    ...discoveredModules.filter((m) => m.folder === 'approvals'),
    templatesWith({ commentOnReject: false, commentOnEveryAction: false, noSelfApproval: false, ...rules }),
  ];
  const t = startApp({ modules });
  apps.push(t);
  return t;
}

const ann = 'ann-terminal';
const bob = 'bob-terminal';
const cat = 'cat-terminal';

async function people(t: TempApp) {
  await t.call('operator.set', { name: 'Ann Planner' }, ann);
  await t.call('operator.set', { name: 'Bob Engineer' }, bob);
  await t.call('operator.set', { name: 'Cat Inspector' }, cat);
}

async function createAs(t: TempApp, session: string) {
  return t.call<WorkItem>('workItems.create', { title: 'Flap track inspection', workflowId: strict.id, submit: true }, session);
}

const eventsOf = async (t: TempApp, id: number) => (await t.call<WorkItemDetail>('workItems.get', { id })).events;

describe('no self-approval', () => {
  it('refuses the creator with FORBIDDEN and a reason, writes nothing, and lets another person approve', async () => {
    const t = start({ noSelfApproval: true });
    await people(t);
    const item = await createAs(t, ann);
    const refused = await t.fail('workItems.approve', { id: item.id, expectedVersion: item.version }, ann);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/You created this item.*Strict.*someone else/) });
    expect(await eventsOf(t, item.id)).toHaveLength(1);
    const moved = await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version }, bob);
    expect(moved.currentStep).toBe(1);
  });

  it('shows the refusal as a hint to the creator only', async () => {
    const t = start({ noSelfApproval: true });
    await people(t);
    const item = await createAs(t, ann);
    const forAnn = await t.call<WorkItemDetail>('workItems.get', { id: item.id }, ann);
    expect(forAnn.hints.find((h) => h.action === 'approve')?.blocked).toMatch(/You created this item/);
    const forBob = await t.call<WorkItemDetail>('workItems.get', { id: item.id }, bob);
    expect(forBob.hints.find((h) => h.action === 'approve')?.blocked).toBeUndefined();
  });

  it('does not apply when the template allows it', async () => {
    const t = start({});
    await people(t);
    const item = await createAs(t, ann);
    expect((await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version }, ann)).currentStep).toBe(1);
  });
});

describe('required comments', () => {
  it('requires a comment on rejection when the template says so, and nothing else', async () => {
    const t = start({ commentOnReject: true });
    await people(t);
    let item = await createAs(t, ann);
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version }, bob);
    const refused = await t.fail('workItems.reject', { id: item.id, expectedVersion: item.version, toStep: 0, comment: '   ' }, cat);
    expect(refused).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/comment is required for a rejection/) });
    expect(await eventsOf(t, item.id)).toHaveLength(2);
    const hint = (await t.call<WorkItemDetail>('workItems.get', { id: item.id }, cat)).hints;
    expect(hint.find((h) => h.action === 'reject')?.commentRequired).toBe(true);
    expect(hint.find((h) => h.action === 'approve')?.commentRequired).toBeUndefined();
    const rejected = await t.call<WorkItem>('workItems.reject', { id: item.id, expectedVersion: item.version, toStep: 0, comment: 'Wrong AMM revision' }, cat);
    expect(rejected.currentStep).toBe(0);
  });

  it('requires a comment on every action when the template says so', async () => {
    const t = start({ commentOnEveryAction: true });
    await people(t);
    const item = await createAs(t, ann);
    for (const channel of ['workItems.approve', 'workItems.cancel']) {
      expect((await t.fail(channel, { id: item.id, expectedVersion: item.version }, bob)).code).toBe('VALIDATION');
    }
    expect((await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'ok' }, bob)).currentStep).toBe(1);
  });
});

describe('two-person sign-off and the sign-off record', () => {
  it('moves QC only after two distinct people, and records what each signature meant', async () => {
    const t = start({ commentOnReject: true });
    await people(t);
    let item = await createAs(t, ann);
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'Data checked' }, ann);
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version }, bob);
    expect(item.currentStep).toBe(1);
    expect((await t.fail('workItems.approve', { id: item.id, expectedVersion: item.version }, bob)).message).toMatch(/already signed off/);
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version }, cat);
    expect(item.currentStep).toBe(2);
    item = await t.call('workItems.reject', { id: item.id, expectedVersion: item.version, toStep: 0, comment: 'Missing torque values' }, cat);

    const records = await t.call<ApprovalRecord[]>('approvals.records', { itemId: item.id });
    expect(records.map((r) => [r.signer.name, r.action, r.meaning, r.comment])).toEqual([
      ['Ann Planner', 'approve', 'Approved at Engineering', 'Data checked'],
      ['Bob Engineer', 'approve', 'Approved at Quality Control (sign-off 1 of 2)', null],
      ['Cat Inspector', 'approve', 'Approved at Quality Control (sign-off 2 of 2)', null],
      ['Cat Inspector', 'reject', 'Rejected at Operations, returned to Engineering', 'Missing torque values'],
    ]);
    expect(records[3]).toMatchObject({ fromDepartment: 'Operations', toDepartment: 'Engineering', fromStep: 2, toStep: 0 });
  });

  it('answers the rules of an item, null for a custom workflow, NOT_FOUND for none', async () => {
    const t = start({ noSelfApproval: true });
    const item = await createAs(t, ann);
    expect(await t.call('approvals.rules', { itemId: item.id })).toEqual({ commentOnReject: false, commentOnEveryAction: false, noSelfApproval: true });
    const custom = await t.call<WorkItem>('workItems.create', { title: 'x', steps: [{ name: 'Engineering' }], submit: true });
    expect(await t.call('approvals.rules', { itemId: custom.id })).toBeNull();
    expect((await t.fail('approvals.rules', { itemId: 999 })).code).toBe('NOT_FOUND');
  });
});

describe('without rules from templates', () => {
  it('does not start, says why, and the core flow still works', async () => {
    const broken = { folder: 'templates', definition: defineModule({ name: 'templates', version: '0', description: 'no exports', setup: () => ({}) }) };
    const t = startApp({ modules: [...discoveredModules.filter((m) => m.folder === 'approvals'), broken] });
    apps.push(t);
    const status = await t.call('app.status');
    expect(status.problems).toContainEqual(expect.stringMatching(/"approvals" could not be started: the templates module does not offer approval rules/));
    const item = await t.call<WorkItem>('workItems.create', { title: 'x', steps: [{ name: 'Engineering' }], submit: true });
    expect((await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: 1 })).status).toBe('completed');
  });
});
