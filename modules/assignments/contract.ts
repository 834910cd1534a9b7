import { z } from 'zod';
import { command, query } from '../../src/shared/channel';
import { cleanText } from '../../src/shared/text';
import type { Actor, WorkItem } from '../../src/shared/types';
import { REASON_MAX } from './limits';

// Only the contract object may be exported as a value from this file: the preload treats every
// exported object's dotted keys as channel names. Types are fine.

/** What an assignment change was, as recorded. `ended`: the item moved on, so its step's assignment ended. */
export type HistoryAction = 'assigned' | 'reassigned' | 'unassigned' | 'taken' | 'released' | 'ended';

/** The person holding an item at its current step. */
export interface Assignee {
  userId: number;
  name: string;
  number: string;
  assignedAt: string;
  assignedBy: Actor;
  reason: string | null;
  /** False once the person was deactivated: the assignment stands until someone changes it. */
  active: boolean;
  /** False once the person no longer belongs to the step's department. */
  member: boolean;
}

/** Someone the caller may assign the item to now. */
export interface Candidate {
  userId: number;
  name: string;
  number: string;
  role: 'staff' | 'lead' | 'admin';
}

/** An item's assignment as the signed-in person sees it: who holds it, and what they may change. */
export interface ItemAssignment {
  itemId: number;
  /** The item version this answer is about; send it back with assignments.assign. */
  itemVersion: number;
  /** The signed-in person's user id (what Take sends), or null. */
  callerId: number | null;
  /** The step it is at (null once finished or cancelled). */
  step: { index: number; name: string } | null;
  /** Why the item cannot be assigned at all now (a draft, completed, cancelled), or null. */
  notAssignable: string | null;
  assignee: Assignee | null;
  may: { take: boolean; release: boolean; assign: boolean; unassign: boolean };
  /** Active members of the step's department the caller may pick (empty unless `may.assign`). */
  candidates: Candidate[];
  /** Why the caller may not change it, for the screen to show (null when they may, or nothing applies). */
  note: string | null;
}

/** One recorded assignment change, oldest first. */
export interface HistoryEntry {
  id: number;
  itemId: number;
  action: HistoryAction;
  step: { index: number; name: string };
  itemVersion: number;
  from: { userId: number; name: string } | null;
  to: { userId: number; name: string } | null;
  by: Actor;
  at: string;
  reason: string | null;
}

/** An item the signed-in person holds. */
export interface MyAssignment {
  item: WorkItem;
  assignedAt: string;
  assignedBy: Actor;
  reason: string | null;
}

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const reason = cleanText(REASON_MAX).optional();

export const assignmentsContract = {
  /** Who holds the item at its current step, who may be picked, and what the caller may do. */
  'assignments.forItem': query<ItemAssignment>()(z.strictObject({ itemId: id })),
  /**
   * Assign (or reassign) the item's current step to `userId`, or unassign with null. Taking is
   * assigning to yourself; releasing is unassigning yourself. `expectedVersion` is the item version the
   * caller saw: if the item moved since, nothing is changed (STALE_VERSION); likewise
   * `expectedAssigneeId` if someone else changed the assignment meanwhile.
   */
  'assignments.assign': command<ItemAssignment>()(
    z.strictObject({
      itemId: id,
      userId: id.nullable(),
      reason,
      expectedVersion: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
      /** Who the caller saw holding it (null: nobody); if someone changed that meanwhile, nothing is changed. */
      expectedAssigneeId: id.nullable().optional(),
    }),
  ),
  /** Every assignment change of the item, oldest first. */
  'assignments.history': query<HistoryEntry[]>()(z.strictObject({ itemId: id })),
  /** The active items assigned to the signed-in person, longest held first. */
  'assignments.mine': query<MyAssignment[]>()(z.strictObject({})),
} as const;
