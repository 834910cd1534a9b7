/**
 * Who may change an item's assignment, as a pure function (see README, "Who may do what"):
 * - an administrator: anyone, anywhere;
 * - a lead who belongs to the department of the item's current step: anyone, there;
 * - anyone else who belongs to that department: take the item when nobody holds it, and
 *   release it when they hold it themselves.
 * Whether the person picked is active and belongs to the department is checked separately:
 * nobody may assign to an inactive person or a non-member.
 */

export type Role = 'staff' | 'lead' | 'admin';

export interface Caller {
  userId: number;
  role: Role;
  /** Belongs to the department of the item's current step. */
  member: boolean;
}

export interface Holder {
  userId: number;
  name: string;
}

/** May this person assign anyone (a lead of the step's department, or an admin)? */
export const manages = (caller: Caller) => caller.role === 'admin' || (caller.role === 'lead' && caller.member);

/**
 * Why `caller` may not change the assignment from `current` to `target` (a user id, or null to
 * unassign) at a step of department `department`, or null if they may.
 */
export function refusal(caller: Caller, current: Holder | null, target: number | null, department: string): string | null {
  if (manages(caller)) return null;
  const leads = `a lead of ${department} or an administrator`;
  if (target === caller.userId) {
    if (!caller.member) return `Only ${department} members can take this item.`;
    if (current && current.userId !== caller.userId) return `This item is assigned to ${current.name}; only ${leads} can reassign it.`;
    return null;
  }
  if (target === null) {
    if (current && current.userId === caller.userId) return null;
    return `Only ${current ? `${current.name} (to release it), ` : ''}${leads} can unassign this item.`;
  }
  return `Only ${leads} can assign this item to someone else${caller.member ? '; you can take it yourself while nobody holds it' : ''}.`;
}
