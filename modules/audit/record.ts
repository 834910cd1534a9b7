import type { CreatedContext, RecordedChange, TransitionContext } from '../../src/core/modules/types';
import type { WorkItem } from '../../src/shared/types';
import { transitionValues, type TransitionFacts } from './transitionValues';

/** How work-item events become audit entries (module and core changes arrive already shaped). */

const stepName = (item: WorkItem, step: number | null) => (step === null ? null : (item.steps[step]?.name ?? null));

const position = (item: WorkItem) => ({
  status: item.status,
  step: item.currentStep,
  stepName: stepName(item, item.currentStep),
  version: item.version,
});

/** The facts of the event the transition wrote, as transition_events holds them. */
const transitionFacts = (t: TransitionContext & { after: WorkItem }): TransitionFacts => ({
  seq: t.after.version,
  fromStatus: t.event.fromStatus,
  toStatus: t.event.toStatus,
  fromStep: t.event.fromStep,
  toStep: t.event.toStep,
  comment: t.event.comment,
  fromStepName: stepName(t.item, t.event.fromStep),
  toStepName: stepName(t.item, t.event.toStep),
});

/**
 * The actor is recorded by id and name only; a re-entered signature secret is never read here.
 * `eventSeq` names the event the before/after are read from (they are not stored).
 */
export const transitionEntry = (t: TransitionContext & { after: WorkItem }): { change: RecordedChange; eventSeq: number } => {
  const facts = transitionFacts(t);
  return {
    change: {
      entity: 'work-item',
      entityId: String(t.item.id),
      action: t.event.action,
      ...transitionValues(facts),
      actor: { id: t.actor.id, name: t.actor.name },
      at: t.now,
    },
    eventSeq: facts.seq,
  };
};

export const creationEntry = ({ item, actor, now }: CreatedContext): RecordedChange => ({
  entity: 'work-item',
  entityId: String(item.id),
  action: 'created',
  after: {
    title: item.title,
    description: item.description,
    priority: item.priority,
    workflow: item.workflow,
    steps: item.steps,
    metadata: item.metadata,
    ...position(item),
  },
  actor: { id: actor.id, name: actor.name },
  at: now,
});
