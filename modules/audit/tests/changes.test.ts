import { describe, expect, it } from 'vitest';
import { readableChanges, subjectOf } from '../readable';

const names = new Map([
  ['QC', 'Quality Control'],
  ['ENG', 'Engineering'],
]);

describe('what an entry changed, in words', () => {
  it('lists only the fields that differ', () => {
    expect(readableChanges({ name: 'QC', code: 'QC', active: true }, { name: 'Quality', code: 'QC', active: false }, names)).toEqual([
      { field: 'Name', before: 'QC', after: 'Quality' },
      { field: 'Active', before: 'yes', after: 'no' },
    ]);
  });

  it('lists what a creation or deletion had, without empty fields', () => {
    expect(readableChanges(null, { name: 'Stores', deactivatedAt: null, description: '', metadata: {}, tags: [] }, names)).toEqual([{ field: 'Name', after: 'Stores' }]);
    expect(readableChanges({ name: 'Stores' }, null, names)).toEqual([{ field: 'Name', before: 'Stores' }]);
  });

  it('names departments and steps instead of codes and indexes', () => {
    expect(readableChanges({ step: 0, stepName: 'Engineering' }, { step: 1, stepName: 'Quality Control', comment: 'ok' }, names)).toEqual([
      { field: 'Step', before: 'Engineering', after: 'Quality Control' },
      { field: 'Comment', after: 'ok' },
    ]);
    expect(readableChanges({ departments: ['ENG'], role: 'staff' }, { departments: ['ENG', 'QC'], role: 'lead' }, names)).toEqual([
      { field: 'Departments', before: 'Engineering', after: 'Engineering, Quality Control' },
      { field: 'Role', before: 'staff', after: 'lead' },
    ]);
    expect(subjectOf({ entity: 'department', entityId: 'QC', action: 'deactivated', before: null, after: null }, names)).toBe('Department Quality Control (QC)');
    expect(subjectOf({ entity: 'department', entityId: '*', action: 'reordered', before: null, after: null }, names)).toBe('All departments');
    expect(subjectOf({ entity: 'session', entityId: 'a3f9c0de-secret', action: 'signed-in', before: null, after: { userId: 3 } }, names)).toBe('Sign-in');
    expect(subjectOf({ entity: 'audit-coverage', entityId: 'users', action: 'declared', before: null, after: null }, names)).toBe('Coverage: users module');
  });
});
