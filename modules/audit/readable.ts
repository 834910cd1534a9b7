import { STATUS_LABEL } from '../../src/shared/labels';
import type { ItemStatus } from '../../src/shared/types';

/**
 * An audit entry as people read it: what it is about, what was done, and each changed field as
 * text before and after. Department codes and step indexes become names, rules and template
 * steps become sentences; no raw JSON and no session ids. The same text is shown on screen and
 * written into the exports.
 */
export interface ReadableChange {
  field: string;
  before?: string;
  after?: string;
}

export interface ReadableEntry {
  subject: string;
  action: string;
  changes: ReadableChange[];
}

/** Department names by code, as the trail last recorded them. */
export type DepartmentNames = ReadonlyMap<string, string>;

interface EntryFacts {
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  priority: 'Priority',
  status: 'Status',
  stepName: 'Step',
  workflow: 'Workflow',
  steps: 'Steps',
  comment: 'Comment',
  text: 'Text',
  name: 'Name',
  code: 'Code',
  active: 'Active',
  position: 'Position',
  order: 'Order',
  version: 'Version',
  key: 'Key',
  deactivatedAt: 'Deactivated at',
  role: 'Role',
  departments: 'Departments',
  number: 'Staff number',
  method: 'Method',
  reason: 'Reason',
  kind: 'Kind',
  sizeBytes: 'Size (bytes)',
  state: 'State',
  enabled: 'Switched on',
  aircraftRegistration: 'Aircraft registration',
  ataChapter: 'ATA chapter',
  workOrder: 'Work-order number',
  commentOnEveryAction: 'Rule: comment required on every action',
  commentOnReject: 'Rule: comment required on reject',
  eSignature: 'Rule: e-signature required',
  noSelfApproval: 'Rule: no approving your own item',
  requireCommentOnApprove: 'Rule: comment required on approve',
  checkedAt: 'Checked at',
  problem: 'Problem',
  sealed: 'Tables sealed',
};

/** Fields that say nothing to a person (a row id, a step's index beside its name, a signed-in person's id, the comment's item). */
const HIDDEN = new Set(['id', 'step', 'userId', 'itemId', 'terminal']);
/** Objects whose fields are listed one by one ("Rule: …", "ATA chapter"). */
const SPREAD = new Set(['metadata', 'rules', 'verification']);

const ACTION_LABELS: Record<string, string> = {
  create: 'Created',
  submit: 'Submitted',
  approve: 'Approved',
  reject: 'Rejected',
  cancel: 'Cancelled',
  'version-saved': 'New version saved',
  'deleted-by-retention': 'Deleted by the retention rule',
};

export const actionLabel = (action: string): string => {
  const words = ACTION_LABELS[action] ?? action.replace(/[-_]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const fieldLabel = (key: string) => FIELD_LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

const departmentName = (code: unknown, names: DepartmentNames) => (typeof code === 'string' ? (names.get(code) ?? code) : text(code, names));

/** A template's or an item's step: "Quality Control (2 sign-offs, target 8 h)". */
function stepText(step: unknown, names: DepartmentNames): string {
  if (!isFields(step)) return text(step, names);
  const name = typeof step['name'] === 'string' ? step['name'] : departmentName(step['department'], names);
  const extras = [
    typeof step['minSignoffs'] === 'number' && step['minSignoffs'] > 1 ? `${step['minSignoffs']} sign-offs` : null,
    typeof step['targetHours'] === 'number' ? `target ${step['targetHours']} h` : null,
  ].filter(Boolean);
  return extras.length ? `${name} (${extras.join(', ')})` : name;
}

/** Any value in words: never JSON. */
function text(value: unknown, names: DepartmentNames): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => text(v, names)).join(', ') : '—';
  if (isFields(value)) {
    const parts = Object.entries(value).filter(([k]) => !HIDDEN.has(k));
    return parts.map(([k, v]) => `${fieldLabel(k)}: ${text(v, names)}`).join('; ');
  }
  return String(value);
}

/** One field's value in words, knowing what the field holds. */
function fieldText(key: string, value: unknown, names: DepartmentNames): string {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'status' && typeof value === 'string') return STATUS_LABEL[value as ItemStatus] ?? value;
  if (key === 'priority' && typeof value === 'string') return value.charAt(0).toUpperCase() + value.slice(1);
  if (key === 'steps' && Array.isArray(value)) return value.map((s) => stepText(s, names)).join(' → ');
  if ((key === 'order' || key === 'departments') && Array.isArray(value)) return value.map((c) => departmentName(c, names)).join(key === 'order' ? ' → ' : ', ');
  if (key === 'department') return departmentName(value, names);
  if (key === 'position' && typeof value === 'number') return String(value + 1);
  if (key === 'workflow' && isFields(value)) return `${text(value['label'], names)}${value['version'] ? ` v${String(value['version'])}` : ''}`;
  if (key === 'sealed' && Array.isArray(value)) return value.map((t) => (isFields(t) ? String(t['table']) : text(t, names))).join(', ');
  if (key === 'state' && Array.isArray(value)) return value.map((t) => (isFields(t) ? String(t['table']) : text(t, names))).join(', ');
  return text(value, names);
}

/** The values as labelled lines of text, the objects in SPREAD listed field by field. */
function lines(values: unknown, names: DepartmentNames): Map<string, string> {
  const out = new Map<string, string>();
  if (!isFields(values)) {
    if (values !== null && values !== undefined) out.set('Value', text(values, names));
    return out;
  }
  for (const [key, value] of Object.entries(values)) {
    if (HIDDEN.has(key)) continue;
    if (SPREAD.has(key) && isFields(value)) for (const [k, v] of Object.entries(value)) out.set(fieldLabel(k), fieldText(k, v, names));
    else out.set(fieldLabel(key), fieldText(key, value, names));
  }
  return out;
}

/** Only the fields that differ; a creation or deletion lists what it had, leaving out the empty ones. */
export function readableChanges(before: unknown, after: unknown, names: DepartmentNames): ReadableChange[] {
  const b = lines(before, names);
  const a = lines(after, names);
  const oneSided = before === null || before === undefined || after === null || after === undefined;
  return [...new Set([...a.keys(), ...b.keys()])].flatMap((field) => {
    const was = b.get(field);
    const now = a.get(field);
    if (was === now || (oneSided && (was ?? now) === '—')) return [];
    return [{ field, ...(was === undefined ? {} : { before: was }), ...(now === undefined ? {} : { after: now }) }];
  });
}

const nameIn = (e: EntryFacts): string | null => {
  for (const values of [e.after, e.before]) if (isFields(values) && typeof values['name'] === 'string') return values['name'];
  return null;
};

/** What the entry is about: "Work item #12", "Department Quality Control (QC)", "Template Standard", "Sign-in". */
export function subjectOf(e: EntryFacts, names: DepartmentNames): string {
  const numbered = /^\d+$/.test(e.entityId) ? `#${e.entityId}` : e.entityId;
  switch (e.entity) {
    case 'work-item':
      return `Work item #${e.entityId}`;
    case 'department': {
      if (e.entityId === '*') return 'All departments';
      const name = nameIn(e) ?? names.get(e.entityId);
      return name ? `Department ${name} (${e.entityId})` : `Department ${e.entityId}`;
    }
    case 'template':
      return `Template ${nameIn(e) ?? e.entityId}`;
    case 'user':
      return `Person ${nameIn(e) ?? numbered}`;
    // A session's id is a secret of the window it belongs to: never shown.
    case 'session':
      return 'Sign-in';
    case 'comment': {
      const itemId = [e.after, e.before].map((v) => (isFields(v) ? v['itemId'] : undefined)).find((v) => v !== undefined);
      return itemId === undefined ? `Comment #${e.entityId}` : `Comment #${e.entityId} on work item #${String(itemId)}`;
    }
    case 'module':
      return `Module ${e.entityId}`;
    case 'backup':
      return `Backup ${e.entityId}`;
    case 'audit-coverage':
      return `Coverage: ${e.entityId} module`;
    default:
      return `${fieldLabel(e.entity)} ${numbered}`;
  }
}

export const readableEntry = (e: EntryFacts, names: DepartmentNames): ReadableEntry => ({
  subject: subjectOf(e, names),
  action: actionLabel(e.action),
  changes: readableChanges(e.before, e.after, names),
});

/** The changes in one line of text each: "Step: Engineering → Quality Control". */
export const changesText = (changes: ReadableChange[]): string =>
  changes
    .map((c) => {
      const value = c.before !== undefined && c.after !== undefined ? `${c.before} → ${c.after}` : (c.after ?? `${c.before} (removed)`);
      return `${c.field}: ${value}`;
    })
    .join('\n');
