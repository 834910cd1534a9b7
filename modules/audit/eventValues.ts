/**
 * A work item's creation and transitions are written down in full by the core (work_items,
 * workflow_snapshots, transition_events) in the same transaction as their audit entry. The
 * entry does not copy them: its before/after are made from those rows by these functions, when
 * the entry is written and whenever it is read or verified. So the chain covers those rows too:
 * editing or deleting them breaks the entry's hash.
 */

/** What a transition's event row holds (with its steps' names from the item's workflow snapshot). */
export interface TransitionFacts {
  /** The event's seq, which is the item's version after it. */
  seq: number;
  fromStatus: string | null;
  toStatus: string | null;
  fromStep: number | null;
  toStep: number | null;
  comment: string | null;
  fromStepName: string | null;
  toStepName: string | null;
}

/** What the item's row, its workflow snapshot and its first event hold. */
export interface CreationFacts {
  title: string | null;
  description: string | null;
  priority: string | null;
  workflow: { id: string; label: string; version?: number } | null;
  steps: unknown;
  metadata: unknown;
  status: string | null;
  step: number | null;
  stepName: string | null;
}

export const transitionValues = (f: TransitionFacts) => ({
  before: { status: f.fromStatus, step: f.fromStep, stepName: f.fromStepName, version: f.seq - 1 },
  after: { status: f.toStatus, step: f.toStep, stepName: f.toStepName, version: f.seq, ...(f.comment ? { comment: f.comment } : {}) },
});

export const creationValues = (f: CreationFacts) => ({
  before: null,
  after: {
    title: f.title,
    description: f.description,
    priority: f.priority,
    workflow: f.workflow,
    steps: f.steps,
    metadata: f.metadata,
    status: f.status,
    step: f.step,
    stepName: f.stepName,
    version: 1,
  },
});
