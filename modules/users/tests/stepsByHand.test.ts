import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import type { Signature } from '../contract';
import { readRows, startPerTest, type UsersApp } from './usersApp';

/**
 * A staff member once made a one-step "Engineering" workflow and self-approved it to completed,
 * and named steps "Quality Control" and "Operations" that pointed at Engineering, so the record
 * read "Approved at Quality Control", e-signed by someone from Engineering. Items start from
 * templates; steps given by hand are an administrator's, and always name real departments.
 */
const start = startPerTest();
const itemCount = (app: UsersApp) => readRows<{ n: number }>(app, 'select count(*) n from work_items')[0]!.n;

describe('steps given by hand', () => {
  it('are refused to staff while templates exist, and nothing is created', async () => {
    const app = await start();
    await app.addUser('Eve Engineer', 'E1', 'staff', ['ENG'], '135790');
    await app.signIn('eng', 'E1', '135790');
    const before = itemCount(app);
    for (const steps of [[{ name: 'Engineering' }], [{ name: 'Quality Control', ref: 'ENG' }, { name: 'Operations', ref: 'ENG' }]]) {
      expect(await app.t.fail('workItems.create', { title: 'My own workflow', steps, submit: true }, 'eng')).toEqual({
        code: 'FORBIDDEN',
        message: 'Items start from a workflow template here. Only an administrator can give the steps by hand.',
        details: { issues: [{ path: ['steps'], message: 'Choose a workflow template' }] },
      });
    }
    expect(itemCount(app)).toBe(before);
    // The template is still open to them.
    await app.t.call('workItems.create', { title: 'From the template', workflowId: 'template:standard' }, 'eng');
  });

  it("given by an administrator, name real, active departments, named from the department's record", async () => {
    const app = await start();
    const fail = (steps: unknown[]) => app.t.fail('workItems.create', { title: 'By hand', steps }, 'office');
    expect((await fail([{ name: 'Quality Control', ref: 'ENG' }])).message).toBe(
      'Step 1 ("ENG") is named "Quality Control", but that department is Engineering. A step takes its department\'s name.',
    );
    expect((await fail([{ name: 'Engineering' }, { name: 'Hangar 3' }])).message).toBe(
      'Step 2 ("Hangar 3") is not a department. Steps are departments: Engineering, Quality Control, Operations.',
    );
    const ops = (await app.t.call<{ id: number; code: string }[]>('departments.list', {}, 'office')).find((d) => d.code === 'OPS')!;
    await app.t.call('departments.setActive', { id: ops.id, active: false }, 'office');
    expect((await fail([{ name: 'Operations' }])).message).toBe('Step 1 ("Operations"): Operations is deactivated; an item cannot be sent there.');

    const item = await app.t.call<WorkItem>('workItems.create', { title: 'By hand', steps: [{ name: 'engineering' }, { name: 'QC', minSignoffs: 2 }] }, 'office');
    expect(item.steps).toEqual([
      { name: 'Engineering', ref: 'ENG' },
      { name: 'Quality Control', ref: 'QC', minSignoffs: 2 },
    ]);
  });

  it('the sign-off record names the department the signer signed at, whatever the step was called', async () => {
    const app = await start();
    await app.addUser('Eve Engineer', 'E1', 'staff', ['ENG'], '135790');
    await app.signIn('eng', 'E1', '135790');
    let item = await app.t.call<WorkItem>('workItems.create', { title: 'Borescope', steps: [{ name: 'Engineering', ref: 'ENG' }, { name: 'QC' }] }, 'office');
    item = await app.t.call('workItems.submit', { id: item.id, expectedVersion: item.version }, 'office');
    item = await app.t.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '135790' } }, 'eng');
    // Eve cannot sign at Quality Control: it is not her department, whatever the step is called.
    expect((await app.t.fail('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '135790' } }, 'eng')).message).toBe(
      'Only Quality Control members can approve or reject here.',
    );
    const [signed] = await app.t.call<Signature[]>('users.signatures', { itemId: item.id }, 'office');
    expect(signed).toMatchObject({ meaning: 'Approved at Engineering', department: 'Engineering', signer: { name: 'Eve Engineer' } });
  });
});
