import { AppError, CHANGED_MEANWHILE } from '../shared/errors';
import type { Actor, BulkSignOffResult, Priority, SessionActor, TransitionHint, WorkflowChoice, WorkflowStep, WorkItem } from '../shared/types';
import type { Clock } from './clock';
import type { WorkItemStore } from './db/workItemStore';
import { transition, type EngineCommand } from './engine/workflow';
import type { Storage } from './storage/port';
import type { HintProvider, ModuleSubscriptions, StepDirectory, TransitionGuard, VerifiedSignature, WorkflowProvider } from './modules/types';

export interface CreateRequest {
  title: string;
  description: string;
  priority: Priority;
  workflowId?: string;
  steps?: WorkflowStep[];
  metadata: Record<string, string>;
  submit: boolean;
}

export interface TransitionRequest {
  id: number;
  expectedVersion: number;
  /** The step the person saw when they opened the dialog: a transition never lands on another. */
  expectedStep?: number | null;
  comment?: string;
  /** The e-signature a sign-in module checked for this call (before, outside any transaction). */
  signature?: VerifiedSignature;
  command: EngineCommand;
}

/** Who asks to create an item, and whether they may give its steps by hand where templates exist. */
export interface Creator {
  actor: Actor;
  canAdminister: boolean;
}

export interface WorkItemServiceDeps {
  store: WorkItemStore;
  clock: Clock;
  /** Where creations and transitions run, each in one transaction with what the modules' hooks write. */
  storage: Pick<Storage, 'run'>;
  providers: WorkflowProvider[];
  /** A module that offers workflows is switched on but could not start: items still start from templates only. */
  workflowsExpected?: boolean;
  /** Where steps given by hand are checked and named (the departments module); none: free names. */
  stepDirectory?: StepDirectory;
  guards: TransitionGuard[];
  hintProviders: HintProvider[];
  subscriptions: ModuleSubscriptions[];
}

const HINT_COMMANDS: EngineCommand[] = [{ type: 'submit' }, { type: 'approve' }, { type: 'reject', toStep: 0 }, { type: 'cancel' }];

/** Creating items and moving them: the engine decides, the store persists, modules watch — in one transaction. */
export class WorkItemService {
  constructor(private readonly deps: WorkItemServiceDeps) {}

  workflows(): WorkflowChoice[] {
    return this.deps.providers.flatMap((p) => p.list());
  }

  private resolveWorkflow(id: string): WorkflowChoice {
    for (const provider of this.deps.providers) {
      const found = provider.resolve(id);
      if (found) return found;
    }
    throw new AppError(
      'VALIDATION',
      this.deps.providers.length === 0
        ? 'No module offering workflows is enabled; give the steps directly.'
        : `There is no active workflow "${id}". Pick one from the list.`,
      { issues: [{ path: ['workflowId'], message: 'Unknown workflow' }] },
    );
  }

  /**
   * Steps given by hand: where templates exist only an administrator may, and each step must name
   * a real, active department (its name then comes from the department's record).
   */
  private stepsByHand(steps: WorkflowStep[], { canAdminister }: Creator): WorkflowStep[] {
    const { providers, stepDirectory, workflowsExpected } = this.deps;
    if ((providers.length > 0 || workflowsExpected) && !canAdminister) {
      throw new AppError(
        'FORBIDDEN',
        providers.length > 0
          ? 'Items start from a workflow template here. Only an administrator can give the steps by hand.'
          : 'Items start from workflow templates here, which could not be loaded (see the start-up problems). Only an administrator can give the steps by hand until they are fixed.',
        { issues: [{ path: ['steps'], message: 'Choose a workflow template' }] },
      );
    }
    if (steps.length === 0) {
      throw new AppError('VALIDATION', 'A workflow needs at least one step.', {
        issues: [{ path: ['steps'], message: 'At least one step' }],
      });
    }
    return stepDirectory ? steps.map((step, index) => stepDirectory.recorded(step, index)) : steps;
  }

  create(request: CreateRequest, creator: Creator): Promise<WorkItem> {
    const { store, clock, storage, subscriptions } = this.deps;
    const { actor } = creator;
    return storage.run(async () => {
      const choice = request.workflowId ? this.resolveWorkflow(request.workflowId) : null;
      const steps = choice ? choice.steps : this.stepsByHand(request.steps ?? [], creator);
      const now = clock();
      const id = store.insert(
        {
          title: request.title,
          description: request.description,
          priority: request.priority,
          steps,
          workflow: choice ? { id: choice.id, label: choice.label, ...(choice.version ? { version: choice.version } : {}) } : null,
          metadata: request.metadata,
          status: request.submit ? 'active' : 'draft',
        },
        actor,
        now,
      );
      const item = store.get(id)!;
      for (const s of subscriptions) await s.created?.({ item, actor, now });
      return item;
    });
  }

  /**
   * The actions the engine would accept from this person now (a dry run), with what modules
   * add: a required comment, or a reason the action is refused.
   */
  hints(item: WorkItem, actor: Actor): TransitionHint[] {
    const state = this.deps.store.engineState(item);
    const extra = this.deps.hintProviders.map((provide) => provide(item, actor));
    return HINT_COMMANDS.flatMap((command): TransitionHint[] => {
      const result = transition(state, { command, actor, expectedVersion: item.version });
      const reason = !result.ok ? (result.error.details as { reason?: string } | undefined)?.reason : undefined;
      if (!result.ok && reason === 'already-signed') {
        return [{ action: command.type, blocked: result.error.message }];
      }
      if (!result.ok) return [];
      const merged: TransitionHint = { action: command.type, outcome: { status: result.next.status, step: result.next.currentStep } };
      for (const hints of extra) {
        const hint = hints[command.type];
        if (hint?.commentRequired) merged.commentRequired = true;
        if (hint?.signatureRequired) merged.signatureRequired = true;
        if (hint?.signatureMeaning && !merged.signatureMeaning) merged.signatureMeaning = hint.signatureMeaning;
        if (hint?.blocked && !merged.blocked) merged.blocked = hint.blocked;
      }
      return [merged];
    });
  }

  get(id: number): WorkItem {
    const item = this.deps.store.get(id);
    if (!item) throw new AppError('NOT_FOUND', `Work item #${id} does not exist.`, { id });
    return item;
  }

  /**
   * The item as the person saw it when they opened the dialog (its version and step), or
   * STALE_VERSION: a transition never lands on a step its signer did not see. Checked before
   * anything else (permissions, the e-signature) and again inside the transition's transaction.
   */
  unchanged(request: Pick<TransitionRequest, 'id' | 'expectedVersion' | 'expectedStep'>): WorkItem {
    const item = this.get(request.id);
    const stepMoved = request.expectedStep !== undefined && request.expectedStep !== item.currentStep;
    if (stepMoved || request.expectedVersion !== item.version) {
      const now = item.currentStep === null ? `it is ${item.status} now` : `it is at ${item.steps[item.currentStep]?.name ?? 'another step'} now`;
      throw new AppError('STALE_VERSION', `${CHANGED_MEANWHILE} (${now}).`, {
        ...(request.expectedStep === undefined ? {} : { expectedStep: request.expectedStep, actualStep: item.currentStep }),
        expectedVersion: request.expectedVersion,
        actualVersion: item.version,
      });
    }
    return item;
  }

  /**
   * Approves each item as its signer saw it, each with its own transition (guards, event, module
   * records) exactly as one approval makes it. An item the engine, a guard or a changed version
   * refuses is listed with the reason and left untouched; the others go ahead. One transaction
   * for the batch (each item in its own savepoint): an unexpected failure leaves every item as it was.
   */
  approveEach(requests: Omit<TransitionRequest, 'command'>[], actor: SessionActor): Promise<BulkSignOffResult> {
    return this.deps.storage.run(async () => {
      const result: BulkSignOffResult = { approved: [], refused: [] };
      for (const request of requests) {
        try {
          result.approved.push(await this.transition({ ...request, command: { type: 'approve' } }, actor));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          result.refused.push({ id: request.id, code: error.code, message: error.message });
        }
      }
      return result;
    });
  }

  transition(request: TransitionRequest, actor: SessionActor): Promise<WorkItem> {
    const { store, clock, storage, guards, subscriptions } = this.deps;
    return storage.run(async () => {
      const item = this.unchanged(request);
      const result = transition(store.engineState(item), {
        command: request.command,
        actor,
        expectedVersion: request.expectedVersion,
        ...(request.comment === undefined ? {} : { comment: request.comment }),
      });
      if (!result.ok) throw result.error;
      const now = clock();
      const context = {
        item,
        command: request.command,
        event: result.event,
        actor,
        now,
        ...(request.comment === undefined ? {} : { comment: request.comment }),
        ...(request.signature === undefined ? {} : { signature: request.signature }),
      };
      for (const guard of guards) await guard(context);
      const after = store.applyTransition(item, request.expectedVersion, result.next, result.event, actor, now);
      for (const s of subscriptions) await s.transition?.({ ...context, after });
      return after;
    });
  }
}
