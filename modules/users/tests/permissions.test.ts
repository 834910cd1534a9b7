import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkItem, WorkItemDetail } from '../../../src/shared/types';
import type { Role } from '../contract';
import { startUsersApp, type UsersApp } from './usersApp';

/**
 * Who may do what, checked in the core. Departments: Engineering (ENG) → Quality Control (QC)
 * → Operations (OPS), the Standard template. "Own" means a member of the department the action
 * is taken at (the first step's for submit, the current step's otherwise); items are made by the admin.
 */
type Action = 'submit' | 'approve' | 'reject' | 'cancel' | 'admin change';
type Who = 'staff own' | 'staff other' | 'lead own' | 'lead other' | 'admin';

const PEOPLE: Record<Exclude<Who, 'admin'>, { role: Role; submitDept: string; qcDept: string; number: string; secret: string }> = {
  'staff own': { role: 'staff', submitDept: 'ENG', qcDept: 'QC', number: 'S1', secret: '111222' },
  'staff other': { role: 'staff', submitDept: 'QC', qcDept: 'ENG', number: 'S2', secret: '222333' },
  'lead own': { role: 'lead', submitDept: 'ENG', qcDept: 'QC', number: 'L1', secret: '333444' },
  'lead other': { role: 'lead', submitDept: 'OPS', qcDept: 'OPS', number: 'L2', secret: '444555' },
};

const ALLOWED: Record<Action, Who[]> = {
  submit: ['staff own', 'lead own', 'admin'],
  approve: ['staff own', 'lead own', 'admin'],
  reject: ['staff own', 'lead own', 'admin'],
  cancel: ['lead own', 'admin'],
  'admin change': ['admin'],
};

const REFUSAL: Record<Action, (who: Who) => string> = {
  submit: () => 'Only the person who created this item or members of Engineering can submit it.',
  approve: () => 'Only Quality Control members can approve or reject here.',
  reject: () => 'Only Quality Control members can approve or reject here.',
  cancel: (who) => `Only a lead of Quality Control or an administrator can cancel this item${who.startsWith('staff') ? '; staff may cancel only their own drafts' : ''}.`,
  'admin change': () => 'Only an administrator can change this; ask an admin to sign in.',
};

let app: UsersApp;
beforeAll(async () => {
  app = await startUsersApp();
  // Each person twice: one session where they belong to the department the action needs, one where they do not.
  for (const [who, p] of Object.entries(PEOPLE)) {
    await app.addUser(`${who} (submit)`, `${p.number}-S`, p.role, [p.submitDept], p.secret);
    await app.addUser(`${who} (QC)`, `${p.number}-Q`, p.role, [p.qcDept], p.secret);
  }
}, 60_000);
afterAll(() => app.cleanup());

const counts = () => {
  const db = new Database(join(app.t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    const one = (q: string) => (db.prepare(q).get() as { n: number }).n;
    return {
      versions: one('select coalesce(sum(version), 0) n from work_items'),
      events: one('select count(*) n from transition_events'),
      signatures: one('select count(*) n from user_signatures'),
      departments: one('select count(*) n from departments'),
    };
  } finally {
    db.close();
  }
};

/** Signs `who` in at a session of their own and prepares what the action needs; returns the call to make. */
async function prepare(action: Action, who: Who): Promise<() => ReturnType<UsersApp['t']['app']['invoke']>> {
  const session = `${who}/${action}`;
  const secret = who === 'admin' ? '424242' : PEOPLE[who].secret;
  await app.signIn(session, who === 'admin' ? 'A100' : `${PEOPLE[who].number}-${action === 'submit' ? 'S' : 'Q'}`, secret);
  if (action === 'admin change') return () => app.t.app.invoke('departments.create', { name: `Stores ${session}`, code: `ST${cases.length}${who.length}` }, session);
  const item: WorkItem = await app.item(action === 'submit' ? 'draft' : 'at QC');
  const base = { id: item.id, expectedVersion: item.version, ...(action === 'submit' ? {} : { signature: { secret } }) };
  const input = action === 'reject' ? { ...base, toStep: 0, comment: 'redo' } : base;
  return () => app.t.app.invoke(`workItems.${action}`, input, session);
}

const cases = (Object.keys(ALLOWED) as Action[]).flatMap((action) =>
  (['staff own', 'staff other', 'lead own', 'lead other', 'admin'] as Who[]).map((who) => ({ action, who, allowed: ALLOWED[action].includes(who) })),
);

describe('the permission matrix', () => {
  it.each(cases)('$action by $who: allowed $allowed', async ({ action, who, allowed }) => {
    const act = await prepare(action, who);
    const before = counts();
    const result = await act();
    const after = counts();
    if (allowed) {
      expect(result).toMatchObject({ ok: true });
      expect(after).not.toEqual(before);
      return;
    }
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN', message: REFUSAL[action](who) }) });
    expect(after).toEqual(before);
  });
});

describe('the rest of the rules', () => {
  it('lets the creator submit although outside the first department, and staff cancel only their own drafts', async () => {
    await app.signIn('qc-staff', 'S2-S', PEOPLE['staff other'].secret); // staff in QC
    const own = await app.t.call<WorkItem>('workItems.create', { title: 'Mine', workflowId: 'template:standard' }, 'qc-staff');
    const cancelled = await app.t.call<WorkItem>('workItems.cancel', { id: own.id, expectedVersion: own.version, signature: { secret: PEOPLE['staff other'].secret } }, 'qc-staff');
    expect(cancelled.status).toBe('cancelled');
    const again = await app.t.call<WorkItem>('workItems.create', { title: 'Mine too', workflowId: 'template:standard' }, 'qc-staff');
    const submitted = await app.t.call<WorkItem>('workItems.submit', { id: again.id, expectedVersion: again.version }, 'qc-staff');
    expect(submitted.status).toBe('active');
    // Once submitted it is no longer a draft: cancelling is for Engineering's leads now.
    expect(
      (await app.t.fail('workItems.cancel', { id: submitted.id, expectedVersion: submitted.version, signature: { secret: PEOPLE['staff other'].secret } }, 'qc-staff'))
        .message,
    ).toBe('Only a lead of Engineering or an administrator can cancel this item; staff may cancel only their own drafts.');
  });

  it('tells the screens before anyone clicks (hints), and says which department', async () => {
    const item = await app.item('at QC');
    await app.signIn('eng-staff', 'S2-Q', PEOPLE['staff other'].secret); // staff in Engineering
    const detail = await app.t.call<WorkItemDetail>('workItems.get', { id: item.id }, 'eng-staff');
    expect(detail.hints.find((h) => h.action === 'approve')).toEqual({
      action: 'approve',
      blocked: 'Only Quality Control members can approve or reject here.',
      signatureRequired: true,
      signatureMeaning: 'Approved at Quality Control',
      outcome: { status: 'active', step: 2 },
    });
    await app.signIn('qc-staff-2', 'S1-Q', PEOPLE['staff own'].secret);
    const member = await app.t.call<WorkItemDetail>('workItems.get', { id: item.id }, 'qc-staff-2');
    expect(member.hints.find((h) => h.action === 'approve')).toEqual({
      action: 'approve',
      signatureRequired: true,
      signatureMeaning: 'Approved at Quality Control',
      outcome: { status: 'active', step: 2 },
    });
    expect(member.hints.find((h) => h.action === 'cancel')?.blocked).toMatch(/^Only a lead of Quality Control/);
  });

  it('matches steps without a department code by name, and keeps matching a renamed department by code', async () => {
    await app.signIn('office', 'A100', '424242');
    const custom = await app.t.call<WorkItem>('workItems.create', { title: 'Custom', steps: [{ name: 'quality control' }, { name: 'Operations' }], submit: true }, 'office');
    await app.signIn('qc', 'S1-Q', PEOPLE['staff own'].secret);
    const approved = await app.t.call<WorkItem>('workItems.approve', { id: custom.id, expectedVersion: custom.version, signature: { secret: PEOPLE['staff own'].secret } }, 'qc');
    expect(approved.currentStep).toBe(1);

    const item = await app.item('at QC');
    const qc = (await app.t.call('departments.list', {}, 'office')).find((d: { code: string }) => d.code === 'QC');
    await app.t.call('departments.rename', { id: qc.id, name: 'Quality Assurance' }, 'office');
    await app.signIn('eng', 'S2-Q', PEOPLE['staff other'].secret);
    expect((await app.t.fail('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: PEOPLE['staff other'].secret } }, 'eng')).message).toBe(
      'Only Quality Assurance members can approve or reject here.',
    );
    await app.signIn('qc', 'S1-Q', PEOPLE['staff own'].secret);
    await app.t.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: PEOPLE['staff own'].secret } }, 'qc');
    await app.t.call('departments.rename', { id: qc.id, name: 'Quality Control' }, 'office');
  });

  it('lets only administrators see or change users', async () => {
    await app.signIn('lead', 'L1-Q', PEOPLE['lead own'].secret);
    expect(await app.t.fail('users.list', {}, 'lead')).toMatchObject({ code: 'FORBIDDEN', message: 'Only an administrator can see the list of users.' });
    expect(await app.t.fail('users.create', { name: 'X', number: 'X1', role: 'admin', secret: '123123' }, 'lead')).toMatchObject({ code: 'FORBIDDEN' });
    expect((await app.t.fail('modules.setEnabled', { name: 'users', enabled: false }, 'lead')).code).toBe('FORBIDDEN');
    expect((await app.t.fail('templates.list', {}, 'signed-out-bench')).code).toBe('SIGNED_OUT');
  });

  it('shows backups only to administrators (admin queries are refused in the core)', async () => {
    await app.signIn('lead', 'L1-Q', PEOPLE['lead own'].secret);
    for (const channel of ['backups.list', 'backups.status']) {
      expect(await app.t.fail(channel, {}, 'lead')).toMatchObject({ code: 'FORBIDDEN', message: 'Only an administrator can see this; ask an admin to sign in.' });
      await app.t.call(channel, {}, 'office');
    }
  });
});
