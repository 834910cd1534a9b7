import type { WorkItemCounts } from '../../../shared/types';
import { core } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useDepartmentsToNotify } from './myDepartments';

let pending: Promise<WorkItemCounts> | null = null;

/**
 * The counts, read once for everyone asking at the same moment: the navigation's badge and entries
 * and the Approvals screen all refresh on the same change, and share one call.
 */
export const readCounts = (): Promise<WorkItemCounts> =>
  (pending ??= core('workItems.counts', {}).finally(() => {
    pending = null;
  }));

export interface MyQueue {
  /** My departments (the signed-in person's, else this terminal's choice) with how many wait at each. */
  departments: { name: string; waiting: number }[];
  total: number;
}

/** How many items wait at each of my departments, kept live. */
export function useMyQueue(): MyQueue {
  const mine = useDepartmentsToNotify();
  const counts = useQuery(readCounts, []);
  const byStep = new Map((counts.data?.activeByStep ?? []).map((s) => [s.step, s.count]));
  const departments = mine.map((name) => ({ name, waiting: byStep.get(name) ?? 0 }));
  return { departments, total: departments.reduce((sum, d) => sum + d.waiting, 0) };
}
