import type { VerifyProblem, VerifyProblemKind, VerifyReport } from './contract';

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

/**
 * The entry a problem is at: the one that fails, or the block sealing the rows; none for a table
 * whose state differs (its message names the entry that recorded the value).
 */
export const problemEntry = (p: VerifyProblem): number | null => (p.kind === 'state-differs' ? null : p.seq);

/** "entry #12, row changed" or "differs from the trail": where a problem was found and what kind it is. */
export const problemPlace = (p: VerifyProblem): string => {
  const at = problemEntry(p);
  return `${at === null ? '' : `entry #${at}, `}${PROBLEM_LABEL[p.kind]}`;
};

/** Problems shown at a time. */
export const HANDFUL = 5;

/** "7 problems, the first at entry #12." */
export function problemsHeadline(count: number, first: VerifyProblem): string {
  const at = problemEntry(first);
  const where = at === null ? '' : count === 1 ? `, at entry #${at}` : `, the first at entry #${at}`;
  return `${count.toLocaleString('en')} ${count === 1 ? 'problem' : 'problems'}${where}.`;
}

/** What of the chain itself still holds, after the problems. */
export function chainSummary(report: Extract<VerifyReport, { ok: false }>): string {
  const n = report.entries.toLocaleString('en');
  if (problemEntry(report.broken) === null) {
    return `All ${n} ${report.entries === 1 ? 'entry' : 'entries'} of the chain check out: the rows named were changed in their tables after the trail recorded them.`;
  }
  if (report.entries === 0) return 'The first entry is already affected.';
  return `The ${report.entries === 1 ? 'entry' : `${n} entries`} before the first problem ${report.entries === 1 ? 'checks' : 'check'} out.`;
}
