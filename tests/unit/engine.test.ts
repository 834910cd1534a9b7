import { describe, expect, it } from 'vitest';
import { transition, type EngineCommand, type EngineState } from '../../src/core/engine/workflow';
import type { ItemStatus } from '../../src/shared/types';

const state = (status: ItemStatus, currentStep: number | null, stepCount = 3, version = 4): EngineState => ({
  status,
  currentStep,
  stepCount,
  requiredSignoffs: Array.from({ length: stepCount }, () => 1),
  signedBy: [],
  version,
});

const ann = { id: 'ann', name: 'Ann Inspector' };
const bob = { id: 'bob', name: 'Bob Engineer' };

const run = (s: EngineState, command: EngineCommand, comment?: string, actor = ann) =>
  transition(s, { command, actor, expectedVersion: s.version, ...(comment === undefined ? {} : { comment }) });

const expectOk = (result: ReturnType<typeof transition>) => {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result;
};

const expectCode = (result: ReturnType<typeof transition>, code: string) => {
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(10);
  }
};

describe('submit', () => {
  it('moves a draft to its first step and bumps the version', () => {
    const r = expectOk(run(state('draft', 0), { type: 'submit' }));
    expect(r.next).toMatchObject({ status: 'active', currentStep: 0, stepCount: 3, version: 5, signedBy: [] });
    expect(r.event).toEqual({ action: 'submit', fromStatus: 'draft', toStatus: 'active', fromStep: 0, toStep: 0, comment: null });
  });
  it('refuses an item that is already active', () => expectCode(run(state('active', 1), { type: 'submit' }), 'INVALID_TRANSITION'));
  it('refuses a draft without steps', () => expectCode(run(state('draft', 0, 0), { type: 'submit' }), 'INVALID_TRANSITION'));
});

describe('approve', () => {
  it('moves an active item to the next step', () => {
    const r = expectOk(run(state('active', 0), { type: 'approve' }, '  looks good  '));
    expect(r.next.currentStep).toBe(1);
    expect(r.next.status).toBe('active');
    expect(r.event).toMatchObject({ action: 'approve', fromStep: 0, toStep: 1, comment: 'looks good' });
  });
  it('completes the item after the last step', () => {
    const r = expectOk(run(state('active', 2), { type: 'approve' }));
    expect(r.next).toMatchObject({ status: 'completed', currentStep: null });
    expect(r.event).toMatchObject({ fromStatus: 'active', toStatus: 'completed', fromStep: 2, toStep: null });
  });
  it('completes a single-step workflow at once', () => {
    expect(expectOk(run(state('active', 0, 1), { type: 'approve' })).next.status).toBe('completed');
  });
  it('refuses a draft', () => expectCode(run(state('draft', 0), { type: 'approve' }), 'INVALID_TRANSITION'));
  it('stores a blank comment as no comment', () => {
    expect(expectOk(run(state('active', 0), { type: 'approve' }, '   ')).event.comment).toBeNull();
  });
});

describe('minimum sign-offs', () => {
  const twoAtQc = (): EngineState => ({ ...state('active', 1), requiredSignoffs: [1, 2, 1] });

  it('keeps the item at a two-person step after the first approval, recording who signed', () => {
    const r = expectOk(run(twoAtQc(), { type: 'approve' }, 'first look', ann));
    expect(r.next).toMatchObject({ status: 'active', currentStep: 1, signedBy: [ann], version: 5 });
    expect(r.event).toMatchObject({ action: 'approve', fromStep: 1, toStep: 1 });
  });

  it('moves on when a second, different person approves', () => {
    const first = expectOk(run(twoAtQc(), { type: 'approve' }, undefined, ann));
    const second = expectOk(run(first.next, { type: 'approve' }, undefined, bob));
    expect(second.next).toMatchObject({ currentStep: 2, signedBy: [] });
  });

  it('does not count the same person twice', () => {
    const first = expectOk(run(twoAtQc(), { type: 'approve' }, undefined, ann));
    const again = run(first.next, { type: 'approve' }, undefined, ann);
    expectCode(again, 'INVALID_TRANSITION');
    if (!again.ok) expect(again.error.message).toMatch(/already signed off this step/);
  });

  it('forgets partial sign-offs when the item is rejected or cancelled', () => {
    const atOps: EngineState = { ...state('active', 2), requiredSignoffs: [1, 1, 2] };
    const first = expectOk(run(atOps, { type: 'approve' }, undefined, ann));
    expect(expectOk(run(first.next, { type: 'reject', toStep: 0 })).next.signedBy).toEqual([]);
    expect(expectOk(run(first.next, { type: 'cancel' })).next.signedBy).toEqual([]);
  });

  it('completes the item when the last step gets its second sign-off', () => {
    const atLast: EngineState = { ...state('active', 2), requiredSignoffs: [1, 1, 2], signedBy: [bob] };
    expect(expectOk(run(atLast, { type: 'approve' }, undefined, ann)).next).toMatchObject({ status: 'completed', currentStep: null });
  });
});

describe('reject', () => {
  it('sends the item back to any earlier step', () => {
    for (const toStep of [0, 1]) {
      const r = expectOk(run(state('active', 2), { type: 'reject', toStep }, 'torque values missing'));
      expect(r.next).toMatchObject({ status: 'active', currentStep: toStep, version: 5 });
      expect(r.event).toMatchObject({ action: 'reject', fromStep: 2, toStep, comment: 'torque values missing' });
    }
  });
  it('refuses the current step or a later one', () => {
    expectCode(run(state('active', 1), { type: 'reject', toStep: 1 }), 'INVALID_TRANSITION');
    expectCode(run(state('active', 1), { type: 'reject', toStep: 2 }), 'INVALID_TRANSITION');
  });
  it('refuses negative and fractional targets', () => {
    expectCode(run(state('active', 2), { type: 'reject', toStep: -1 }), 'INVALID_TRANSITION');
    expectCode(run(state('active', 2), { type: 'reject', toStep: 0.5 }), 'INVALID_TRANSITION');
  });
  it('refuses at the first step, where nothing is earlier', () =>
    expectCode(run(state('active', 0), { type: 'reject', toStep: 0 }), 'INVALID_TRANSITION'));
  it('refuses a draft', () => expectCode(run(state('draft', 0), { type: 'reject', toStep: 0 }), 'INVALID_TRANSITION'));
});

describe('cancel', () => {
  it.each(['draft', 'active'] as const)('cancels a %s item', (status) => {
    const r = expectOk(run(state(status, 1), { type: 'cancel' }, 'aircraft sold'));
    expect(r.next).toMatchObject({ status: 'cancelled', currentStep: null });
    expect(r.event).toMatchObject({ action: 'cancel', fromStatus: status, toStatus: 'cancelled', comment: 'aircraft sold' });
  });
});

describe('terminal states', () => {
  const commands: EngineCommand[] = [{ type: 'submit' }, { type: 'approve' }, { type: 'reject', toStep: 0 }, { type: 'cancel' }];
  for (const status of ['completed', 'cancelled'] as const) {
    it.each(commands)(`refuses $type on a ${status} item`, (command) =>
      expectCode(run(state(status, null), command), 'INVALID_TRANSITION'),
    );
  }
});

describe('optimistic concurrency', () => {
  it('refuses a command that names an older version, whatever the command', () => {
    const s = state('active', 1);
    for (const command of [{ type: 'approve' }, { type: 'reject', toStep: 0 }, { type: 'cancel' }] as EngineCommand[]) {
      const r = transition(s, { command, actor: ann, expectedVersion: 3 });
      expectCode(r, 'STALE_VERSION');
      if (!r.ok) expect(r.error.details).toEqual({ expectedVersion: 3, actualVersion: 4 });
    }
  });
  it('checks the version before the state, so a stale view of a finished item says "changed"', () =>
    expectCode(transition(state('completed', null), { command: { type: 'approve' }, actor: ann, expectedVersion: 1 }), 'STALE_VERSION'));
});

describe('purity', () => {
  it('does not change the state it was given', () => {
    const s = state('active', 1);
    const copy = { ...s };
    run(s, { type: 'approve' });
    expect(s).toEqual(copy);
  });
});
