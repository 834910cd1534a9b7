import type { Arrival } from '../../../shared/events';
import type { AppStatus } from '../../../shared/types';

const NONE: string[] = [];

/**
 * Whose turn an arrival is: the signed-in person's departments; without sign-in (or a person with
 * none), the departments this terminal chose on its dashboard.
 */
export function departmentsToNotify(status: AppStatus | null, terminalChoice: string[]): string[] {
  const own = status?.actor?.departments ?? NONE;
  return own.length ? own : terminalChoice;
}

/** The arrivals at these departments. */
export const arrivalsFor = (arrivals: readonly Arrival[], departments: readonly string[]): Arrival[] =>
  arrivals.filter((a) => departments.includes(a.step));
