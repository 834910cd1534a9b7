/**
 * What an assignment change writes, as pure functions: its history row, the item's current row
 * after it, and its entry in the change feed (for the audit trail). The handlers write them through
 * the store (store.ts), the start-up clean-up through its synchronous path (startup.ts).
 */
import type { ChangeRecord } from '../../src/core/modules/api';
import type { Actor, WorkItem } from '../../src/shared/types';
import type { HistoryAction } from './contract';
import type { AssignmentRow, NewHistory } from './store';

export interface AssignmentChange {
  action: HistoryAction;
  stepIndex: number;
  /** Who held it before (the current row), if anyone. */
  from: AssignmentRow | undefined;
  /** Who holds it after, or null: nobody. */
  to: { id: number; name: string; number: string } | null;
  reason: string | null;
  /** The item's version the change is made against (the item's own unless told: a transition's after). */
  itemVersion?: number;
}

export interface ChangeWrites {
  history: NewHistory;
  /** The item's current row after the change; null: it has none. */
  current: AssignmentRow | null;
  feed: ChangeRecord;
}

/** A row belongs to the item's current stay at its current step (not an earlier one it has left). */
export const isCurrent = (row: AssignmentRow, item: WorkItem) =>
  item.status === 'active' && item.currentStep === row.stepIndex && Date.parse(item.stepEnteredAt) === row.stepEnteredAt;

/** Why an item's step assignment ended, from the transition that moved it. */
export function endedBy(before: WorkItem, after: WorkItem, action: string): string {
  const name = (item: WorkItem) => item.steps[item.currentStep ?? 0]?.name ?? 'its step';
  const at = name(before);
  switch (action) {
    case 'approve':
      return after.status === 'completed' ? `Approved at ${at}: all steps done.` : `Approved at ${at}, moved to ${name(after)}.`;
    case 'reject':
      return `Rejected at ${at}, sent back to ${name(after)}.`;
    case 'cancel':
      return `Cancelled at ${at}.`;
    default:
      return `The item left ${at}.`;
  }
}

const stepNameOf = (item: WorkItem, index: number) => item.steps[index]?.name ?? `step ${index + 1}`;

/** The end of a row whose step the item has left (it moved while this module was switched off). */
export const staleEnd = (row: AssignmentRow, item: WorkItem): AssignmentChange => ({
  action: 'ended',
  stepIndex: row.stepIndex,
  from: row,
  to: null,
  reason: `The item left ${stepNameOf(item, row.stepIndex)} while assignments were switched off.`,
});

/** What `change` of `item`'s assignment writes, by `actor` at `now`. */
export function changeWrites(item: WorkItem, change: AssignmentChange, actor: Actor, now: number): ChangeWrites {
  const stepName = stepNameOf(item, change.stepIndex);
  const itemVersion = change.itemVersion ?? item.version;
  const { from, to, reason } = change;
  const history: NewHistory = {
    itemId: item.id,
    action: change.action,
    stepIndex: change.stepIndex,
    stepName,
    itemVersion,
    fromUserId: from?.userId ?? null,
    fromUserName: from?.userName ?? null,
    toUserId: to?.id ?? null,
    toUserName: to?.name ?? null,
    actorId: actor.id,
    actorName: actor.name,
    at: now,
    reason,
  };
  const current: AssignmentRow | null = to && {
    itemId: item.id,
    stepIndex: change.stepIndex,
    stepEnteredAt: Date.parse(item.stepEnteredAt),
    itemVersion,
    userId: to.id,
    userName: to.name,
    userNumber: to.number,
    assignedAt: now,
    assignedById: actor.id,
    assignedByName: actor.name,
    reason,
  };
  const feed: ChangeRecord = {
    entity: 'assignment',
    entityId: String(item.id),
    action: change.action,
    before: from ? { userId: from.userId, name: from.userName, step: stepName, stepIndex: change.stepIndex } : null,
    after: {
      itemId: item.id,
      step: stepName,
      stepIndex: change.stepIndex,
      itemVersion,
      assignee: to ? { userId: to.id, name: to.name, number: to.number } : null,
      ...(reason ? { reason } : {}),
    },
  };
  return { history, current, feed };
}
