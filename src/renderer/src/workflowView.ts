import type { TransitionEvent, WorkItem } from '../../shared/types';

export type StepState = 'done' | 'current' | 'pending';

export interface StepView {
  name: string;
  state: StepState;
  /** The approval that currently stands for this step (a later rejection to it or before it voids it). */
  signedBy: TransitionEvent | null;
}

/** Derives the stepper from the item and its full event log. */
export function stepViews(item: WorkItem, events: TransitionEvent[]): StepView[] {
  const signed: (TransitionEvent | null)[] = item.steps.map(() => null);
  for (const event of events) {
    if (event.action === 'approve' && event.fromStep !== null) signed[event.fromStep] = event;
    if (event.action === 'reject' && event.toStep !== null) {
      for (let i = event.toStep; i < signed.length; i++) signed[i] = null;
    }
  }
  return item.steps.map((step, i) => {
    const state: StepState =
      item.status === 'completed'
        ? 'done'
        : item.status === 'active' && item.currentStep !== null
          ? i < item.currentStep
            ? 'done'
            : i === item.currentStep
              ? 'current'
              : 'pending'
          : signed[i]
            ? 'done'
            : 'pending';
    return { name: step.name, state, signedBy: signed[i] ?? null };
  });
}
