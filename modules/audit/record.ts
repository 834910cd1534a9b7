import type { CreatedContext, RecordedChange, TransitionContext } from '../../src/core/modules/types';
import type { WorkItem } from '../../src/shared/types';
import { creationValues, transitionValues } from './eventValues';

/**
 * How work-item events become audit entries (module and core changes arrive already shaped).
 * Each names its event (`eventSeq`): its before/after are hashed but not stored (eventValues.ts).
 * The actor is recorded by id and name only; a re-entered signature secret is never read here.
 */
export interface EventEntry {
  change: RecordedChange;
  eventSeq: number;
}

const stepName = (item: WorkItem, step: number | null) => (step === null ? null : (item.steps[step]?.name ?? null));

export const transitionEntry = (t: TransitionContext & { after: WorkItem }): EventEntry => ({
  change: {
    entity: 'work-item',
    entityId: String(t.item.id),
    action: t.event.action,
    ...transitionValues({
      seq: t.after.version,
      fromStatus: t.event.fromStatus,
      toStatus: t.event.toStatus,
      fromStep: t.event.fromStep,
      toStep: t.event.toStep,
      comment: t.event.comment,
      fromStepName: stepName(t.item, t.event.fromStep),
      toStepName: stepName(t.item, t.event.toStep),
    }),
    actor: { id: t.actor.id, name: t.actor.name },
    at: t.now,
  },
  eventSeq: t.after.version,
});

export const creationEntry = ({ item, actor, now }: CreatedContext): EventEntry => ({
  change: {
    entity: 'work-item',
    entityId: String(item.id),
    action: 'created',
    ...creationValues({
      title: item.title,
      description: item.description,
      priority: item.priority,
      workflow: item.workflow,
      steps: item.steps,
      metadata: item.metadata,
      status: item.status,
      step: item.currentStep,
      stepName: stepName(item, item.currentStep),
    }),
    actor: { id: actor.id, name: actor.name },
    at: now,
  },
  eventSeq: item.version,
});
