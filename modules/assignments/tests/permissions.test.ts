import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import type { ItemAssignment } from '../contract';
import { startAssignmentsApp, type AssignmentsApp } from './assignmentsApp';

/**
 * Who may change an item's assignment, checked in the core through the real handlers. The item
 * waits at Quality Control (QC). "Own" people belong to QC, "other" people to Engineering; the
 * administrator belongs to no department. Tess and Uma are QC staff who get picked.
 */
type Action = 'take' | 'release' | 'assign' | 'reassign' | 'unassign';
type Who = 'staff own' | 'staff other' | 'lead own' | 'lead other' | 'admin';
const WHO: Who[] = ['staff own', 'staff other', 'lead own', 'lead other', 'admin'];

const ALLOWED: Record<Action, Who[]> = {
  take: ['staff own', 'lead own'],
  // The holder may always give the item up, even after leaving the department ("other": moved to Engineering since).
  release: ['staff own', 'staff other', 'lead own', 'lead other'],
  assign: ['lead own', 'admin'],
  reassign: ['lead own', 'admin'],
  unassign: ['lead own', 'admin'],
};

const LEADS = 'a lead of Quality Control or an administrator';
const REFUSAL: Record<Action, (who: Who) => string> = {
  take: (who) => (who === 'admin' ? 'Ada Admin is not a member of Quality Control, where this item is now.' : 'Only Quality Control members can take this item.'),
  release: () => 'never refused',
  assign: (who) => `Only ${LEADS} can assign this item to someone else${who === 'staff own' ? '; you can take it yourself while nobody holds it' : ''}.`,
  reassign: (who) => `Only ${LEADS} can assign this item to someone else${who === 'staff own' ? '; you can take it yourself while nobody holds it' : ''}.`,
  unassign: () => `Only Tess QC (to release it), ${LEADS} can unassign this item.`,
};

let app: AssignmentsApp;
const ids: Record<string, number> = {};
const SESSION: Record<Who, string> = { 'staff own': 'S-QC', 'staff other': 'S-ENG', 'lead own': 'L-QC', 'lead other': 'L-ENG', admin: 'office' };

beforeAll(async () => {
  app = await startAssignmentsApp();
  ids['staff own'] = await app.person('Sam QC', 'S-QC', 'staff', ['QC']);
  ids['staff other'] = await app.person('Eve Eng', 'S-ENG', 'staff', ['ENG']);
  ids['lead own'] = await app.person('Lee QC', 'L-QC', 'lead', ['QC']);
  ids['lead other'] = await app.person('Len Eng', 'L-ENG', 'lead', ['ENG']);
  ids['tess'] = await app.person('Tess QC', 'T-QC', 'staff', ['QC']);
  ids['uma'] = await app.person('Uma QC', 'U-QC', 'staff', ['QC']);
  ids['admin'] = 1;
}, 60_000);
afterAll(() => app.cleanup());

const assignAsAdmin = (item: WorkItem, userId: number) => app.t.call<ItemAssignment>('assignments.assign', { itemId: item.id, userId, expectedVersion: item.version }, 'office');
const setDepartments = async (who: Who, departments: string[]) => {
  const numbers: Record<string, string> = { 'staff other': 'S-ENG', 'lead other': 'L-ENG' };
  const names: Record<string, string> = { 'staff other': 'Eve Eng', 'lead other': 'Len Eng' };
  const role = who.startsWith('lead') ? 'lead' : 'staff';
  await app.t.call('users.update', { id: ids[who], name: names[who], number: numbers[who], role, departments }, 'office');
};

/** Prepares the item for the action and returns the call the person makes. */
async function prepare(action: Action, who: Who) {
  const item = await app.itemAtQc(`${action} by ${who}`);
  const me = ids[who]!;
  const call = (userId: number | null) => () => app.t.app.invoke('assignments.assign', { itemId: item.id, userId, expectedVersion: item.version }, SESSION[who]);
  switch (action) {
    case 'take':
      return call(me);
    case 'release':
      if (who === 'admin') return null;
      if (who.endsWith('other')) {
        await setDepartments(who, ['QC']);
        await assignAsAdmin(item, me);
        await setDepartments(who, ['ENG']);
      } else {
        await assignAsAdmin(item, me);
      }
      return call(null);
    case 'assign':
      return call(ids['tess']!);
    case 'reassign':
      await assignAsAdmin(item, ids['tess']!);
      return call(ids['uma']!);
    case 'unassign':
      await assignAsAdmin(item, ids['tess']!);
      return call(null);
  }
}

const cases = (Object.keys(ALLOWED) as Action[]).flatMap((action) =>
  WHO.filter((who) => !(action === 'release' && who === 'admin')).map((who) => ({ action, who, allowed: ALLOWED[action].includes(who) })),
);

describe('the permission matrix', () => {
  it.each(cases)('$action by $who: allowed $allowed', async ({ action, who, allowed }) => {
    const act = (await prepare(action, who))!;
    const before = app.rows();
    const result = await act();
    if (allowed) {
      expect(result).toMatchObject({ ok: true });
      expect(app.rows()).not.toBe(before);
      return;
    }
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN', message: REFUSAL[action](who) }) });
    expect(app.rows()).toBe(before);
  });
});

describe('who can be picked, and what the screens are told', () => {
  it('refuses inactive people and non-members for everyone, the admin included, changing nothing', async () => {
    const item = await app.itemAtQc('Eligibility');
    const ina = await app.person('Ina QC', 'I-QC', 'staff', ['QC']);
    await app.t.call('users.setActive', { id: ina, active: false }, 'office');
    const before = app.rows();
    for (const session of ['office', 'L-QC']) {
      expect(await app.t.fail('assignments.assign', { itemId: item.id, userId: ina }, session)).toMatchObject({ code: 'FORBIDDEN', message: 'Ina QC is inactive and cannot be assigned.' });
      expect(await app.t.fail('assignments.assign', { itemId: item.id, userId: ids['staff other'] }, session)).toMatchObject({
        code: 'FORBIDDEN',
        message: 'Eve Eng is not a member of Quality Control, where this item is now.',
      });
      expect(await app.t.fail('assignments.assign', { itemId: item.id, userId: 999 }, session)).toMatchObject({ code: 'NOT_FOUND', message: 'There is no user #999.' });
    }
    expect(app.rows()).toBe(before);
  });

  it('offers a lead the active QC members, and staff only Take with a reason for the rest', async () => {
    const item = await app.itemAtQc('Choices');
    const lead = await app.t.call<ItemAssignment>('assignments.forItem', { itemId: item.id }, 'L-QC');
    expect(lead).toMatchObject({ step: { index: 1, name: 'Quality Control' }, assignee: null, may: { take: true, release: false, assign: true, unassign: false }, note: null });
    const names = lead.candidates.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Sam QC', 'Lee QC', 'Tess QC', 'Uma QC']));
    expect(names).not.toContain('Eve Eng');
    expect(names).not.toContain('Ina QC');

    const staff = await app.t.call<ItemAssignment>('assignments.forItem', { itemId: item.id }, 'S-QC');
    expect(staff).toMatchObject({ may: { take: true, release: false, assign: false, unassign: false }, candidates: [], note: null });
    await app.t.call('assignments.assign', { itemId: item.id, userId: ids['staff own'], expectedVersion: item.version }, 'S-QC');
    expect(await app.t.call('assignments.forItem', { itemId: item.id }, 'S-QC')).toMatchObject({
      assignee: { name: 'Sam QC', assignedBy: { name: 'Sam QC' }, active: true, member: true },
      may: { take: false, release: true, assign: false, unassign: true },
    });
    expect(await app.t.call('assignments.forItem', { itemId: item.id }, 'T-QC')).toMatchObject({
      may: { take: false, release: false, assign: false, unassign: false },
      note: `This item is assigned to Sam QC; only ${LEADS} can reassign it.`,
    });
    expect(await app.t.call('assignments.forItem', { itemId: item.id }, 'S-ENG')).toMatchObject({
      may: { take: false, release: false, assign: false, unassign: false },
      note: `Only ${LEADS} can change who holds this item.`,
    });
    const unheld = await app.itemAtQc('Nobody holds it');
    expect(await app.t.call('assignments.forItem', { itemId: unheld.id }, 'S-ENG')).toMatchObject({
      note: `Only Quality Control members can take this item; ${LEADS} assigns it.`,
    });
    // A lead sees no Take once someone holds it: they pick anyone, themselves too, under Reassign.
    expect(await app.t.call('assignments.forItem', { itemId: item.id }, 'L-QC')).toMatchObject({ may: { take: false, release: false, assign: true, unassign: true } });
  });

  it('says no to no-ops, drafts and finished items', async () => {
    const item = await app.itemAtQc('No-ops');
    expect(await app.t.fail('assignments.assign', { itemId: item.id, userId: null }, 'L-QC')).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Nobody is assigned to this item at Quality Control.' });
    await app.t.call('assignments.assign', { itemId: item.id, userId: ids['tess'] }, 'L-QC');
    expect(await app.t.fail('assignments.assign', { itemId: item.id, userId: ids['tess'] }, 'L-QC')).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Tess QC is already assigned to this item at Quality Control.' });

    const draft = await app.t.call<WorkItem>('workItems.create', { title: 'Draft', workflowId: 'template:standard' }, 'office');
    expect(await app.t.fail('assignments.assign', { itemId: draft.id, userId: ids['tess'] }, 'office')).toMatchObject({ code: 'INVALID_TRANSITION', message: 'A draft is assigned once it is submitted.' });
    const cancelled = await app.t.call<WorkItem>('workItems.cancel', { id: draft.id, expectedVersion: draft.version, signature: { secret: '424242' } }, 'office');
    expect(await app.t.fail('assignments.assign', { itemId: cancelled.id, userId: ids['tess'] }, 'office')).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Cancelled items are not assigned.' });
    expect(await app.t.call('assignments.forItem', { itemId: cancelled.id }, 'office')).toMatchObject({ step: null, notAssignable: 'Cancelled items are not assigned.', candidates: [] });
    expect(await app.t.fail('assignments.forItem', { itemId: 98765 }, 'office')).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a signed-out terminal gets SIGNED_OUT for every assignments call', async () => {
    for (const channel of ['assignments.forItem', 'assignments.history', 'assignments.mine', 'assignments.assign']) {
      const input = channel === 'assignments.mine' ? {} : channel === 'assignments.assign' ? { itemId: 1, userId: null } : { itemId: 1 };
      expect((await app.t.fail(channel, input, 'nobody-here')).code).toBe('SIGNED_OUT');
    }
  });
});
