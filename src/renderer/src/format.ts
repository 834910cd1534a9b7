import type { ItemStatus, TransitionAction, WorkItem } from '../../shared/types';

export { STATUS_LABEL } from '../../shared/labels';

export const STATUS_COLOR: Record<ItemStatus, string> = {
  draft: 'gray',
  active: 'blue',
  completed: 'teal',
  cancelled: 'red',
};

export const ACTION_LABEL: Record<TransitionAction, string> = {
  create: 'Created',
  submit: 'Submitted',
  approve: 'Approved',
  reject: 'Rejected',
  cancel: 'Cancelled',
};

export const dateTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A date and time with its zone, for records that leave the screen (the printed record): "Mar 2, 2026, 9:00 AM GMT+1". */
export const dateTimeWithZone = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });

/** The time alone for today ("12:53"), the date and time otherwise: "until 12:53". */
export function timeOrDateTime(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  return at.toDateString() === new Date(now).toDateString() ? at.toLocaleTimeString(undefined, { timeStyle: 'short' }) : dateTime(iso);
}

/** "5 min", "3 h", "2 d" — how long ago, short enough for a table cell. */
export function age(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/** Where the item is now, in words a person would use. */
export function whereNow(item: WorkItem): string {
  if (item.status === 'completed') return 'All steps done';
  if (item.status === 'cancelled') return 'Cancelled';
  const step = item.steps[item.currentStep ?? 0];
  const position = `step ${(item.currentStep ?? 0) + 1} of ${item.steps.length}`;
  return item.status === 'draft' ? `Draft · ${position}` : `${step?.name ?? '?'} · ${position}`;
}

export const METADATA_FIELDS = [
  { key: 'aircraftRegistration', label: 'Aircraft registration', placeholder: 'e.g. G-EZTH' },
  { key: 'ataChapter', label: 'ATA chapter', placeholder: 'e.g. 32 – Landing gear' },
  { key: 'workOrder', label: 'Work-order number', placeholder: 'e.g. WO-2026-0412' },
] as const;

export const metadataLabel = (key: string) => METADATA_FIELDS.find((f) => f.key === key)?.label ?? key;
