import type { VerifyProblem, VerifyProblemKind } from './contract';

/**
 * Verify's findings in words, for the Settings panel and the command line alike (no Node code:
 * the renderer imports it).
 */

export const PROBLEM_LABEL: Record<VerifyProblemKind, string> = {
  'content-altered': 'content altered',
  'link-broken': 'chain link broken',
  missing: 'missing',
  'row-changed': 'row changed',
  'row-deleted': 'row deleted',
  'row-added': 'row added',
  'state-differs': 'differs from the trail',
};

/** "entry #12, row changed" or "differs from the trail": where a problem was found and what kind it is. */
export const problemPlace = (p: VerifyProblem): string => `${p.seq === null ? '' : `entry #${p.seq}, `}${PROBLEM_LABEL[p.kind]}`;

/** Problems shown at a time. */
export const HANDFUL = 5;

/** "7 problems, the first at entry #12." */
export function problemsHeadline(count: number, first: VerifyProblem): string {
  const where = first.seq === null ? '' : count === 1 ? `, at entry #${first.seq}` : `, the first at entry #${first.seq}`;
  return `${count.toLocaleString('en')} ${count === 1 ? 'problem' : 'problems'}${where}.`;
}
