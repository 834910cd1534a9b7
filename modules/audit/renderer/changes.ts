/** What an entry changed, field by field, for people: only the fields that differ. */
export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isEmpty = (v: unknown) => v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);

export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    // A creation or deletion lists what it had, leaving out the empty fields.
    const oneSided = !isRecord(before) || !isRecord(after);
    return fields
      .filter((f) => !same(b[f], a[f]) && !(oneSided && isEmpty(f in a ? a[f] : b[f])))
      .map((field) => ({ field, ...(field in b ? { before: b[field] } : {}), ...(field in a ? { after: a[field] } : {}) }));
  }
  if (same(before, after)) return [];
  return [{ field: '', ...(before === null ? {} : { before }), ...(after === null ? {} : { after }) }];
}

/** A value in one line: text as it is, everything else as compact JSON, cut at `max` characters. */
export function shortValue(value: unknown, max = 120): string {
  const text = value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const ENTITY_LABELS: Record<string, string> = {
  'work-item': 'Work item',
  comment: 'Comment',
  department: 'Department',
  template: 'Template',
  module: 'Module',
  session: 'Sign-in',
  user: 'User',
  'audit-coverage': 'Audit coverage',
};

export const entityLabel = (entity: string) => ENTITY_LABELS[entity] ?? entity.charAt(0).toUpperCase() + entity.slice(1);

/** "Work item #12", "Department QC", "All departments" (the order). */
export function subject(entity: string, entityId: string): string {
  if (entityId === '*') return `All ${entityLabel(entity).toLowerCase()}s`;
  // What a module declares for the trail to seal and compare (its entity id is the module).
  if (entity === 'audit-coverage') return `Coverage: ${entityId} module`;
  const numeric = /^\d+$/.test(entityId);
  return `${entityLabel(entity)} ${numeric ? '#' : ''}${entityId}`;
}

/** The start of a local calendar day (YYYY-MM-DD) as an instant; `plusDays` moves it. */
export const localDayStart = (day: string, plusDays = 0): string => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};
