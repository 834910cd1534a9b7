import type { Arrival, ChangeEvent } from '../shared/events';
import type { WorkItem } from '../shared/types';

const MOVES_ITEMS = new Set(['workItems.create', 'workItems.submit', 'workItems.approve', 'workItems.reject']);

const isWorkItem = (value: unknown): value is WorkItem =>
  typeof value === 'object' && value !== null && typeof (value as WorkItem).id === 'number' && Array.isArray((value as WorkItem).steps) && 'stepEnteredAt' in value;

/** A work item's number in a call's input: `itemId` on any channel, `id` only on the work items' own (elsewhere it names a department, a person…). */
const itemIdOf = (channel: string, value: unknown): number | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, itemId } = value as { id?: unknown; itemId?: unknown };
  if (typeof itemId === 'number') return itemId;
  return channel.startsWith('workItems.') && typeof id === 'number' ? id : undefined;
};

/**
 * What a successful command changed, for the windows and terminals that show it: the items it
 * named (`itemId`, or a work items channel's `id`) or answered, and the item it moved into a step's queue. A command that
 * names no item (a department renamed, a person added) has no items: anything may have changed.
 */
export function changeEventOf(channel: string, input: unknown, value: unknown): ChangeEvent {
  if (channel === 'workItems.approveMany') return bulkEventOf(channel, value);
  const items = new Set<number>();
  const answered = isWorkItem(value) ? value : (value as { item?: unknown } | null)?.item;
  for (const found of [itemIdOf(channel, input), isWorkItem(answered) ? answered.id : undefined]) {
    if (found !== undefined) items.add(found);
  }
  return { channel, items: [...items], arrivals: MOVES_ITEMS.has(channel) && isWorkItem(value) ? arrivalsOf(value) : [] };
}

/** A move sets stepEnteredAt to the moment of the change; an approval that still waits for more sign-offs does not. */
function arrivalsOf(item: WorkItem): Arrival[] {
  const arrived = item.status === 'active' && item.currentStep !== null && item.stepEnteredAt === item.updatedAt;
  const step = arrived ? item.steps[item.currentStep!] : undefined;
  return step ? [{ itemId: item.id, title: item.title, priority: item.priority, step: step.name }] : [];
}

/** A bulk sign-off touched the items it approved (the refused ones are as they were). */
function bulkEventOf(channel: string, value: unknown): ChangeEvent {
  const approved = ((value as { approved?: unknown } | null)?.approved ?? []) as unknown[];
  const items = approved.filter(isWorkItem);
  return { channel, items: items.map((i) => i.id), arrivals: items.flatMap(arrivalsOf) };
}
