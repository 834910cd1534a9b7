import type { CreatedContext, RecordedChange, TransitionContext } from '../../src/core/modules/types';
import type { WorkItem } from '../../src/shared/types';

/** How work-item events become audit entries (module and core changes arrive already shaped). */

const position = (item: WorkItem) => ({
  status: item.status,
  step: item.currentStep,
  stepName: item.currentStep === null ? null : (item.steps[item.currentStep]?.name ?? null),
  version: item.version,
});

/** The actor is recorded by id and name only; a re-entered signature secret is never read here. */
export const transitionEntry = (t: TransitionContext & { after: WorkItem }): RecordedChange => ({
  entity: 'work-item',
  entityId: String(t.item.id),
  action: t.event.action,
  before: position(t.item),
  after: { ...position(t.after), ...(t.event.comment ? { comment: t.event.comment } : {}) },
  actor: { id: t.actor.id, name: t.actor.name },
  at: t.now,
});

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
