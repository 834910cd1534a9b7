import type { TransitionEvent, WorkItem } from '../../shared/types';

export type StepState = 'done' | 'current' | 'pending';

export interface StepView {
  name: string;
  state: StepState;
  required: number;
  /** The approvals that currently stand for this step (a later rejection to it or before it voids them). */
  signedBy: TransitionEvent[];
}

/** Derives the stepper from the item and its full event log. */
export function stepViews(item: WorkItem, events: TransitionEvent[]): StepView[] {
  const signed: TransitionEvent[][] = item.steps.map(() => []);
  for (const event of events) {
    if (event.action === 'approve' && event.fromStep !== null) signed[event.fromStep]!.push(event);
    if (event.action === 'reject' && event.toStep !== null) {
      for (let i = event.toStep; i < signed.length; i++) signed[i] = [];
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
          : signed[i]!.length
            ? 'done'
            : 'pending';
    return { name: step.name, state, required: step.minSignoffs ?? 1, signedBy: signed[i] ?? [] };
  });
}
