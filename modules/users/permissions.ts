import type { WorkflowStep, WorkItem } from '../../src/shared/types';
import type { Role } from './rules';

export type TransitionKind = 'submit' | 'approve' | 'reject' | 'cancel';

/** The signed-in person as the permission rules see them. */
export interface Person {
  actorId: string;
  role: Role;
  /** Department codes. */
  codes: string[];
  /** The current names of those departments (a step without a code is matched by name). */
  names: string[];
}

const fold = (s: string) => s.trim().replace(/\s+/g, ' ').normalize('NFKC').toLowerCase();

/** A step belongs to a department by its code (`ref`, from templates), or else by its name. */
export function isMember(person: Person, step: WorkflowStep | undefined): boolean {
  if (!step) return false;
  if (step.ref) return person.codes.includes(step.ref);
  return person.names.some((n) => fold(n) === fold(step.name));
}

/**
 * Why `person` may not take `action` on `item` now, or null if they may. `label` gives a
 * step's department name for people. The rules (see README, "Permissions"):
 * - admins may do everything;
 * - submit: the item's creator or a member of its first step's department;
 * - approve and reject: members of the current step's department;
 * - cancel: leads of the current step's department; staff only their own drafts.
 */
export function transitionRefusal(action: TransitionKind, item: WorkItem, person: Person, label: (step: WorkflowStep) => string): string | null {
  if (person.role === 'admin') return null;
  const at = item.steps[item.currentStep ?? 0];
  const here = at ? label(at) : 'this step';
  const first = item.steps[0];
  switch (action) {
    case 'submit':
      if (item.createdBy.id === person.actorId || isMember(person, first)) return null;
      return `Only the person who created this item or members of ${first ? label(first) : 'its first department'} can submit it.`;
    case 'approve':
    case 'reject':
      if (isMember(person, at)) return null;
      return `Only ${here} members can approve or reject here.`;
    case 'cancel':
      if (person.role === 'lead' && isMember(person, at)) return null;
      if (item.status === 'draft' && item.createdBy.id === person.actorId) return null;
      return `Only a lead of ${here} or an administrator can cancel this item${person.role === 'staff' ? '; staff may cancel only their own drafts' : ''}.`;
  }
}
