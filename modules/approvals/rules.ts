import { AppError } from '../../src/shared/errors';
import type { Actor, TransitionHint, WorkItem } from '../../src/shared/types';
import type { ApprovalRules } from './contract';

type Action = TransitionHint['action'];

/** Why `actor` may not take `action` on `item` under `rules` (before any comment), or null. */
export function refusal(rules: ApprovalRules, item: WorkItem, action: Action, actor: Actor): string | null {
  if (action === 'approve' && rules.noSelfApproval && item.createdBy.id === actor.id) {
    return `You created this item, and its template (${item.workflow?.label ?? 'workflow'}) requires someone else to approve it.`;
  }
  return null;
}

export function commentRequired(rules: ApprovalRules, action: Action): boolean {
  if (rules.commentOnEveryAction) return true;
  return action === 'reject' && rules.commentOnReject;
}

/** The guard's decision: throws a FORBIDDEN or VALIDATION AppError, or returns. */
export function enforce(rules: ApprovalRules, item: WorkItem, action: Action, actor: Actor, comment: string | undefined): void {
  const refused = refusal(rules, item, action, actor);
  if (refused) throw new AppError('FORBIDDEN', refused, { rule: 'noSelfApproval' });
  if (commentRequired(rules, action) && !comment?.trim()) {
    const what = action === 'reject' ? 'a rejection' : `this action (${action})`;
    throw new AppError('VALIDATION', `A comment is required for ${what} by this item's template.`, {
      issues: [{ path: ['comment'], message: 'A comment is required' }],
      rule: rules.commentOnEveryAction ? 'commentOnEveryAction' : 'commentOnReject',
    });
  }
}
