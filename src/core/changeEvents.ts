import type { ChangeEvent } from '../shared/events';
import type { WorkItem } from '../shared/types';

const MOVES_ITEMS = new Set(['workItems.create', 'workItems.submit', 'workItems.approve', 'workItems.reject']);

const isWorkItem = (value: unknown): value is WorkItem =>
  typeof value === 'object' && value !== null && typeof (value as WorkItem).id === 'number' && Array.isArray((value as WorkItem).steps) && 'stepEnteredAt' in value;

const itemIdOf = (value: unknown): number | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, itemId } = value as { id?: unknown; itemId?: unknown };
  if (typeof itemId === 'number') return itemId;
  return typeof id === 'number' ? id : undefined;
};

/**
 * What a successful command changed, for the windows and terminals that show it: the items it
 * named or answered (by `id`/`itemId`), and the item it moved into a step's queue. A command that
 * names no item (a department renamed, a person added) has no items: anything may have changed.
 */
export function changeEventOf(channel: string, input: unknown, value: unknown): ChangeEvent {
  const items = new Set<number>();
  for (const found of [itemIdOf(input), isWorkItem(value) ? value.id : itemIdOf((value as { item?: unknown } | null)?.item)]) {
    if (found !== undefined) items.add(found);
  }
  // A move sets stepEnteredAt to the moment of the change; an approval that still waits for more sign-offs does not.
  const arrived =
    MOVES_ITEMS.has(channel) && isWorkItem(value) && value.status === 'active' && value.currentStep !== null && value.stepEnteredAt === value.updatedAt;
  const step = arrived ? value.steps[value.currentStep!] : undefined;
  return {
    channel,
    items: [...items],
    arrivals: arrived && step ? [{ itemId: value.id, title: value.title, priority: value.priority, step: step.name }] : [],
  };
}
