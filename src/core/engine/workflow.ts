import { AppError, CHANGED_MEANWHILE } from '../../shared/errors';
import type { Actor, ItemStatus, TransitionAction } from '../../shared/types';

/** The part of a work item the engine reasons about. */
export interface EngineState {
  status: ItemStatus;
  currentStep: number | null;
  stepCount: number;
  /** Distinct approvals each step needs before it moves on (1 unless the workflow says more). */
  requiredSignoffs: readonly number[];
  /** Who has approved the current step so far, while it still waits for more sign-offs. */
  signedBy: readonly Actor[];
  version: number;
}

export type EngineCommand =
  | { type: 'submit' }
  | { type: 'approve' }
  | { type: 'reject'; toStep: number }
  | { type: 'cancel' };

export interface EngineInput {
  command: EngineCommand;
  actor: Actor;
  expectedVersion: number;
  comment?: string;
}

/** What a transition appends to the item's log. The store adds ids, item, actor and time. */
export interface EngineEvent {
  action: TransitionAction;
  fromStatus: ItemStatus;
  toStatus: ItemStatus;
  fromStep: number | null;
  toStep: number | null;
  comment: string | null;
}

export type EngineResult =
  | { ok: true; next: EngineState; event: EngineEvent }
  | { ok: false; error: AppError };

const TERMINAL: ReadonlySet<ItemStatus> = new Set(['completed', 'cancelled']);

export const isTerminal = (status: ItemStatus): boolean => TERMINAL.has(status);

const refuse = (message: string, details?: unknown): EngineResult => ({
  ok: false,
  error: new AppError('INVALID_TRANSITION', message, details),
});

/**
 * The workflow engine: given an item's state and a command, the next state and the event to
 * record, or a typed error. Pure — no I/O, no clock, no globals — so every case is a unit test.
 */
export function transition(state: EngineState, input: EngineInput): EngineResult {
  if (input.expectedVersion !== state.version) {
    return {
      ok: false,
      error: new AppError(
        'STALE_VERSION',
        `${CHANGED_MEANWHILE}.`,
        { expectedVersion: input.expectedVersion, actualVersion: state.version },
      ),
    };
  }

  const { command } = input;
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const event = (action: TransitionAction, toStatus: ItemStatus, toStep: number | null): EngineEvent => ({
    action,
    fromStatus: state.status,
    toStatus,
    fromStep: state.currentStep,
    toStep,
    comment,
  });
  const done = (
    action: TransitionAction,
    status: ItemStatus,
    step: number | null,
    signedBy: readonly Actor[] = [],
  ): EngineResult => ({
    ok: true,
    next: { ...state, status, currentStep: step, signedBy, version: state.version + 1 },
    event: event(action, status, step),
  });

  if (isTerminal(state.status)) {
    return refuse(`This item is ${state.status}; it cannot be changed any more.`, { status: state.status });
  }

  switch (command.type) {
    case 'submit':
      if (state.status !== 'draft') return refuse('Only a draft can be submitted; this item is already active.');
      if (state.stepCount < 1) return refuse('This item has no workflow steps to submit to.');
      return done('submit', 'active', 0);

    case 'approve': {
      if (state.status !== 'active') return refuse('Only an active item can be approved. Submit the draft first.');
      const step = state.currentStep ?? 0;
      if (state.signedBy.some((a) => a.id === input.actor.id)) {
        return refuse('You have already signed off this step; it needs a sign-off from someone else.', {
          reason: 'already-signed',
          signedBy: state.signedBy.map((a) => a.name),
        });
      }
      const required = state.requiredSignoffs[step] ?? 1;
      const signedBy = [...state.signedBy, input.actor];
      if (signedBy.length < required) return done('approve', 'active', step, signedBy);
      const isLast = step >= state.stepCount - 1;
      return isLast ? done('approve', 'completed', null) : done('approve', 'active', step + 1);
    }

    case 'reject': {
      if (state.status !== 'active') return refuse('Only an active item can be rejected. Submit the draft first.');
      const step = state.currentStep ?? 0;
      if (step === 0) return refuse('The item is at its first step; there is no earlier step to reject it to.');
      if (!Number.isInteger(command.toStep) || command.toStep < 0 || command.toStep >= step) {
        return refuse(`Reject to an earlier step: choose a step from 1 to ${step}.`, {
          toStep: command.toStep,
          currentStep: step,
        });
      }
      return done('reject', 'active', command.toStep);
    }

    case 'cancel':
      return done('cancel', 'cancelled', null);
  }
}
