/** Which departments' queue the Approvals screen shows, as its address says. */
export type QueueScope = { kind: 'mine'; departments: string[] } | { kind: 'all' } | { kind: 'department'; name: string };

/** The address of one department's queue (`#/approvals/department/Quality%20Control`). */
export const departmentQueuePath = (name: string) => `/approvals/department/${encodeURIComponent(name)}`;
export const ALL_QUEUES_PATH = '/approvals/all';
export const MY_QUEUES_PATH = '/approvals';

const decoded = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // the router decoded it already (a name with a "%")
  }
};

/**
 * `/approvals`: my departments (the signed-in person's, else this terminal's choice), or every
 * department when I have none; `/approvals/all`; `/approvals/department/<name>`.
 */
export function scopeOf(params: { scope?: string | undefined; department?: string | undefined }, mine: string[]): QueueScope {
  if (params.scope === 'all') return { kind: 'all' };
  if (params.scope === 'department' && params.department) return { kind: 'department', name: decoded(params.department) };
  return mine.length ? { kind: 'mine', departments: mine } : { kind: 'all' };
}

/** The list's filter for a scope: one department by `step` (the queue's prepared query), several by `steps`. */
export function stepFilterOf(scope: QueueScope): { step?: string; steps?: string[] } {
  if (scope.kind === 'department') return { step: scope.name };
  if (scope.kind === 'mine') return scope.departments.length === 1 ? { step: scope.departments[0]! } : { steps: scope.departments };
  return {};
}

/** Where the queue is, in words: "at Quality Control", "at your departments (QC, Operations)". */
export function whereText(scope: QueueScope): string {
  if (scope.kind === 'department') return `at ${scope.name}`;
  if (scope.kind === 'mine') return scope.departments.length === 1 ? `at ${scope.departments[0]}` : `at your departments (${scope.departments.join(', ')})`;
  return '';
}

/** The department picker's value for a scope, and back. */
export const pickerValueOf = (scope: QueueScope) => (scope.kind === 'department' ? `department:${scope.name}` : scope.kind);
export const pathOfPicked = (value: string) =>
  value === 'all' ? ALL_QUEUES_PATH : value.startsWith('department:') ? departmentQueuePath(value.slice('department:'.length)) : MY_QUEUES_PATH;
