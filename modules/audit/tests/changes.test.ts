import { describe, expect, it } from 'vitest';
import { fieldChanges, shortValue, subject } from '../renderer/changes';

describe('what an entry changed, for the screen', () => {
  it('lists only the fields that differ', () => {
    expect(fieldChanges({ name: 'QC', code: 'QC', active: true }, { name: 'Quality', code: 'QC', active: false })).toEqual([
      { field: 'name', before: 'QC', after: 'Quality' },
      { field: 'active', before: true, after: false },
    ]);
  });

  it('lists what a creation or deletion had, without empty fields', () => {
    expect(fieldChanges(null, { name: 'Stores', deactivatedAt: null, description: '', metadata: {}, tags: [] })).toEqual([{ field: 'name', after: 'Stores' }]);
    expect(fieldChanges({ name: 'Stores' }, null)).toEqual([{ field: 'name', before: 'Stores' }]);
  });

  it('shows a field that appeared or went away', () => {
    expect(fieldChanges({ step: 0 }, { step: 1, comment: 'ok' })).toEqual([
      { field: 'step', before: 0, after: 1 },
      { field: 'comment', after: 'ok' },
    ]);
  });

  it('shortens long values and names what changed', () => {
    expect(shortValue('x'.repeat(200), 10)).toBe('xxxxxxxxx…');
    expect(shortValue({ a: [1] })).toBe('{"a":[1]}');
    expect(subject('work-item', '12')).toBe('Work item #12');
    expect(subject('department', 'QC')).toBe('Department QC');
    expect(subject('department', '*')).toBe('All departments');
    expect(subject('audit-coverage', 'users')).toBe('Coverage: users module');
  });
});
