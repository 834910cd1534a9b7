import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { UserActivityRow } from '../contract';
import { seedHistory } from './history';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

const person = (actorId: string, actorName: string, counts: Partial<Omit<UserActivityRow, 'actorId' | 'actorName' | 'total'>>): UserActivityRow => {
  const row = { created: 0, submits: 0, approvals: 0, signoffs: 0, rejections: 0, cancels: 0, ...counts };
  return { actorId, actorName, ...row, total: Object.values(row).reduce((a, b) => a + b, 0) };
};

/**
 * Over the history in history.ts. Bob gave C's first Quality Control sign-off (a partial one,
 * hour 4) and Cat its second (which completed it, hour 10); everything else is the terminal's
 * default operator: 6 items created (D as a draft), D submitted at 24, 12 approvals that moved
 * an item on (A ×3, B ×4, C at Engineering, D, E ×3), B rejected at 7, D cancelled at 31.
 */
describe('per-user activity', () => {
  it('counts each kind of transition per person, most active first', async () => {
    const t = await seedHistory(apps);
    expect(await t.call<UserActivityRow[]>('reports.userActivity', { from: '2026-03-01', to: '2026-03-31' })).toEqual([
      person('operator:hangar operator', 'Hangar operator', { created: 6, submits: 1, approvals: 12, rejections: 1, cancels: 1 }),
      // Equal totals: by name.
      person('operator:bob engineer', 'Bob Engineer', { signoffs: 1 }),
      person('operator:cat inspector', 'Cat Inspector', { approvals: 1 }),
    ]);
  });

  it('keeps to the range and the template', async () => {
    const t = await seedHistory(apps);
    // Monday 9 March: E created and approved three times.
    expect(await t.call('reports.userActivity', { from: '2026-03-09', to: '2026-03-09' })).toEqual([
      person('operator:hangar operator', 'Hangar operator', { created: 1, approvals: 3 }),
    ]);
    // Standard only: C (custom steps, Bob's and Cat's only item) drops out, with its create and Engineering approval.
    expect(await t.call('reports.userActivity', { from: '2026-03-01', to: '2026-03-31', workflowId: 'template:standard' })).toEqual([
      person('operator:hangar operator', 'Hangar operator', { created: 5, submits: 1, approvals: 11, rejections: 1, cancels: 1 }),
    ]);
    expect(await t.call('reports.userActivity', { from: '2026-04-01', to: '2026-04-30' })).toEqual([]);
  });

  it('shows a person under the name on their latest event', async () => {
    let now = Date.parse('2026-03-02T08:00:00Z');
    const t = startApp({ clock: () => now });
    apps.push(t);
    // The same person (the id ignores case and spacing) writes their name two ways.
    await t.call('operator.set', { name: 'dana smith' }, 'dana');
    const item = await t.call('workItems.create', { title: 'Borescope', steps: [{ name: 'Engineering' }] }, 'dana');
    now += 3_600_000;
    await t.call('operator.set', { name: 'Dana  Smith' }, 'dana');
    await t.call('workItems.submit', { id: item.id, expectedVersion: item.version }, 'dana');
    expect(await t.call('reports.userActivity', { from: '2026-03-02', to: '2026-03-02' })).toEqual([
      person('operator:dana smith', 'Dana  Smith', { created: 1, submits: 1 }),
    ]);
  });

  it('refuses bad input', async () => {
    const t = startApp();
    apps.push(t);
    expect(await t.fail('reports.userActivity', { from: '2026-03-31', to: '2026-03-01' })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/start date must not be after/) });
    expect(await t.fail('reports.userActivity', { from: '2026-13-01', to: '2026-13-02' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('reports.userActivity', { from: '2026-03-01', to: '2026-03-31', actor: 'bob' })).toMatchObject({ code: 'VALIDATION' });
  });
});
