/**
 * A transition's entry does not store its before/after: they are made from the facts its row in
 * transition_events holds (and the step names in the item's workflow snapshot), by this one
 * function, when the entry is written and whenever it is read or verified. So the chain covers
 * the event itself: editing or deleting it breaks the entry's hash.
 */
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

export const transitionValues = (f: TransitionFacts) => ({
  before: { status: f.fromStatus, step: f.fromStep, stepName: f.fromStepName, version: f.seq - 1 },
  after: { status: f.toStatus, step: f.toStep, stepName: f.toStepName, version: f.seq, ...(f.comment ? { comment: f.comment } : {}) },
});
