import type { WorkflowStep, WorkItem } from '../../src/shared/types';
import type { TransitionKind } from './permissions';

export interface SignaturePolicy {
  actions: TransitionKind[];
  /** Only at steps of these departments (codes or names); absent: at every step. */
  departments?: string[];
}

const fold = (s: string) => s.trim().toLowerCase();

/** The step an action is taken at: the current one (a draft's is its first). */
export const stepOf = (item: WorkItem): WorkflowStep | undefined => item.steps[item.currentStep ?? 0];

/** The sign-offs a template's "E-signature" rule makes signatures (submitting is not a sign-off). */
const TEMPLATE_SIGNED: TransitionKind[] = ['approve', 'reject', 'cancel'];

/**
 * Is this action an e-signature? The settings' policy (actions, departments) says where, and a
 * template that asks for e-signatures adds its own items' approvals, rejections and cancellations.
 */
export function signatureRequired(policy: SignaturePolicy, item: WorkItem, action: TransitionKind, templateAsks = false): boolean {
  if (templateAsks && TEMPLATE_SIGNED.includes(action)) return true;
  if (!policy.actions.includes(action)) return false;
  if (!policy.departments) return true;
  const step = stepOf(item);
  if (!step) return false;
  return policy.departments.some((d) => d === step.ref || fold(d) === fold(step.name));
}

/** What a signature means, in words, from where it was signed (`at`) and where the item went (`to`). */
export function meaning(action: TransitionKind, at: string, to: string | null): string {
  switch (action) {
    case 'submit':
      return `Submitted to ${at}`;
    case 'approve':
      return `Approved at ${at}`;
    case 'reject':
      return `Rejected to ${to ?? 'an earlier step'}`;
    case 'cancel':
      return `Cancelled at ${at}`;
  }
}
