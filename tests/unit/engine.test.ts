import { describe, expect, it } from 'vitest';
import { transition, type EngineCommand, type EngineState } from '../../src/core/engine/workflow';
import type { ItemStatus } from '../../src/shared/types';

const state = (status: ItemStatus, currentStep: number | null, stepCount = 3, version = 4): EngineState => ({
  status,
  currentStep,
  stepCount,
  version,
});

const run = (s: EngineState, command: EngineCommand, comment?: string) =>
  transition(s, { command, expectedVersion: s.version, ...(comment === undefined ? {} : { comment }) });

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
    expect(r.next).toEqual({ status: 'active', currentStep: 0, stepCount: 3, version: 5 });
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
      const r = transition(s, { command, expectedVersion: 3 });
      expectCode(r, 'STALE_VERSION');
      if (!r.ok) expect(r.error.details).toEqual({ expectedVersion: 3, actualVersion: 4 });
    }
  });
  it('checks the version before the state, so a stale view of a finished item says "changed"', () =>
    expectCode(transition(state('completed', null), { command: { type: 'approve' }, expectedVersion: 1 }), 'STALE_VERSION'));
});

describe('purity', () => {
  it('does not change the state it was given', () => {
    const s = state('active', 1);
    const copy = { ...s };
    run(s, { type: 'approve' });
    expect(s).toEqual(copy);
  });
});
