import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../src/shared/types';
import type { User } from '../contract';
import { nameProblem, numberProblem } from '../personRule';
import { newSecretProblem } from '../secretRule';
import { startUsersApp, type UsersApp } from './usersApp';

const apps: UsersApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
const start = async () => {
  const app = await startUsersApp();
  apps.push(app);
  return app;
};

describe('administering people', () => {
  it('creates, edits, deactivates and reactivates people, reporting each change', async () => {
    const app = await start();
    const sam = await app.addUser('  Sam   Staff ', 'e1042', 'staff', ['QC'], 'hangar door 7');
    expect(sam).toMatchObject({ name: 'Sam Staff', number: 'E1042', role: 'staff', departments: ['QC'], active: true, lockedUntil: null });
    expect(sam).not.toHaveProperty('secretHash');
    const edited = await app.t.call<User>('users.update', { id: sam.id, name: 'Sam Staff', number: 'E1042', role: 'lead', departments: ['QC', 'OPS'] }, 'office');
    expect(edited).toMatchObject({ role: 'lead', departments: ['QC', 'OPS'] });
    expect(app.changes.at(-1)).toMatchObject({
      entity: 'user',
      action: 'updated',
      before: { role: 'staff', departments: ['QC'] },
      after: { role: 'lead', departments: ['QC', 'OPS'] },
      actor: { name: 'Ada Admin' },
    });

    await app.signIn('bench', 'E1042', 'hangar door 7');
    await app.t.call('users.setActive', { id: sam.id, active: false }, 'office');
    // Deactivated: signed out everywhere, and cannot sign in.
    expect((await app.t.fail('workItems.list', {}, 'bench')).code).toBe('SIGNED_OUT');
    expect((await app.t.fail('users.signIn', { number: 'E1042', secret: 'hangar door 7' }, 'bench')).message).toContain('Nobody active has the number E1042');
    expect((await app.t.fail('users.setActive', { id: sam.id, active: false }, 'office')).message).toBe('Sam Staff is already inactive.');
    await app.t.call('users.setActive', { id: sam.id, active: true }, 'office');
    await app.signIn('bench', 'E1042', 'hangar door 7');
    expect(app.changes.filter((c) => c.entity === 'user').map((c) => c.action)).toEqual(['created', 'recovery-code-created', 'created', 'updated', 'deactivated', 'reactivated']);
  });

  it('explains what is wrong with the input', async () => {
    const app = await start();
    const fail = (input: Record<string, unknown>) => app.t.fail('users.create', { name: 'Pat', number: 'P1', role: 'staff', secret: '314159', ...input }, 'office');
    expect((await fail({ secret: '12345' })).message).toBe('secret: A PIN needs at least 6 digits (or use a password of at least 8 characters)');
    expect((await fail({ secret: '111111' })).message).toBe('secret: A PIN cannot be one digit repeated');
    expect((await fail({ secret: 'short1' })).message).toBe('secret: A password needs at least 8 characters (or use a PIN of at least 6 digits)');
    expect((await fail({ name: '  ' })).message).toBe('name: Enter the person’s name');
    expect((await fail({ number: 'A 1' })).message).toBe('number: A number is letters and digits, with - / . inside (e.g. E1042 or UK.66/1234)');
    expect((await fail({ name: ` ${'N'.repeat(101)} ` })).message).toBe('name: A name is at most 100 characters; this one has 101');
    expect((await fail({ name: 'Pat\u0007' })).message).toBe('name: A name cannot contain control characters');
    expect((await fail({ number: 'E'.repeat(31) })).message).toBe('number: A number is at most 30 characters; this one has 31');
    expect((await fail({ secret: ' hangar door 7' })).message).toBe('secret: A password cannot start or end with a space');
    // The person dialog checks with the same rules before it asks, and gets the same answers.
    expect([nameProblem(' '), numberProblem('A 1'), newSecretProblem('１１１１１１'), newSecretProblem('hangar door 7')]).toEqual([
      'Enter the person’s name',
      'A number is letters and digits, with - / . inside (e.g. E1042 or UK.66/1234)',
      'A PIN cannot be one digit repeated',
      null,
    ]);
    expect((await fail({ role: 'boss' })).message).toBe('role: Choose a role: staff, lead or admin');
    expect((await fail({ departments: ['NOPE'] })).message).toBe('There is no department with the code NOPE.');
    expect(await fail({ number: 'a100' })).toMatchObject({
      code: 'VALIDATION',
      message: 'The number A100 already belongs to Ada Admin.',
      details: { issues: [{ path: ['number'], message: 'The number A100 already belongs to Ada Admin.' }] },
    });
    expect(await app.t.call('users.list', {}, 'office')).toHaveLength(1);
  });

  it('never deactivates or demotes the last active administrator', async () => {
    const app = await start();
    const [ada] = await app.t.call<User[]>('users.list', {}, 'office');
    const message = 'Ada Admin is the last active administrator and cannot be deactivated: make someone else an administrator first, or nobody could change the settings.';
    expect(await app.t.fail('users.setActive', { id: ada!.id, active: false }, 'office')).toMatchObject({ code: 'INVALID_TRANSITION', message });
    expect((await app.t.fail('users.update', { id: ada!.id, name: 'Ada Admin', number: 'A100', role: 'lead', departments: [] }, 'office')).message).toBe(
      message.replace('deactivated', 'made lead'),
    );
    expect((await app.t.call<AppStatus>('app.status', {}, 'office')).canAdminister).toBe(true);

    const bo = await app.addUser('Bo Backup', 'B2', 'admin', [], '161803');
    await app.t.call('users.update', { id: ada!.id, name: 'Ada Admin', number: 'A100', role: 'staff', departments: ['ENG'] }, 'office');
    // Ada is staff now: her own terminal may no longer administer.
    expect((await app.t.call<AppStatus>('app.status', {}, 'office')).canAdminister).toBe(false);
    await app.signIn('office', 'B2', '161803');
    expect((await app.t.fail('users.setActive', { id: bo.id, active: false }, 'office')).code).toBe('INVALID_TRANSITION');
  });

  it('a department that people belong to cannot be deleted', async () => {
    const app = await start();
    await app.addUser('Pat', 'P1', 'staff', ['ENG'], '314159');
    const eng = (await app.t.call('departments.list', {}, 'office')).find((d: { code: string }) => d.code === 'ENG');
    expect((await app.t.fail('departments.delete', { id: eng.id }, 'office')).message).toContain('The users list (1 person) uses it');
  });
});
