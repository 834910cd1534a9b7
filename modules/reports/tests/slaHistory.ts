import { expect } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';

/**
 * Steps with target hours, every figure worked out by hand. T0 = Monday 2 March 2026, 00:00
 * UTC; times are hours after T0. X = custom steps Engineering (target 8 h) → Quality Control
 * (target 4 h, two sign-offs) → Operations (no target). Stays [entered, left) with due = entered + target:
 *
 *   P  X         submitted 0; ENG [0, 10) due 8; QC [10, open) due 14; a partial QC sign-off at 22
 *                does not start a new stay (if it did, P would not be overdue at 24)
 *   Q  X         submitted 2; ENG [2, open) due 10
 *   R  X         submitted 20; ENG [20, 22) due 28; QC [22, 30) due 26, rejected back; ENG [30, open) due 38
 *   S  standard  submitted 1; ENG [1, 3), QC [3, open): no targets, never overdue
 *   U  X         submitted 5; ENG [5, 24) due 13, cancelled exactly at 24
 *   W  X         submitted 16; ENG [16, 40) due exactly 24; QC [40, open) due 44
 *   V  X         a draft, never submitted: never at a step
 *
 * Now = 50 (Wednesday 4 March, 02:00).
 */
export const T0 = Date.parse('2026-03-02T00:00:00Z');
export const H = 3_600_000;
export const iso = (hours: number) => new Date(T0 + hours * H).toISOString();

/** Starts an app on its own clock at T0, plays the history, leaves the clock at 50; `at` moves it. */
export async function seedSlaHistory(keep: TempApp[]) {
  let now = T0;
  const t = startApp({ clock: () => now });
  keep.push(t);
  await t.call('operator.set', { name: 'Bob Engineer' }, 'bob');
  const X = { steps: [{ name: 'Engineering', targetHours: 8 }, { name: 'Quality Control', targetHours: 4, minSignoffs: 2 }, { name: 'Operations' }], submit: true };
  const items: Record<string, WorkItem> = {};
  const at = (hours: number) => {
    now = T0 + hours * H;
  };
  const create = async (key: string, extra: Record<string, unknown>) => {
    items[key] = await t.call<WorkItem>('workItems.create', { title: `Item ${key}`, ...extra });
  };
  const act = async (key: string, action: 'approve' | 'reject' | 'cancel', extra: Record<string, unknown> = {}, session?: string) => {
    const item = items[key]!;
    items[key] = await t.call<WorkItem>(`workItems.${action}`, { id: item.id, expectedVersion: item.version, ...extra }, session);
  };

  at(0);
  await create('P', X);
  await create('V', { ...X, submit: false });
  at(1);
  await create('S', { workflowId: 'template:standard', submit: true });
  at(2);
  await create('Q', X);
  at(3);
  await act('S', 'approve');
  at(5);
  await create('U', X);
  at(10);
  await act('P', 'approve');
  at(16);
  await create('W', X);
  at(20);
  await create('R', X);
  at(22);
  await act('R', 'approve');
  await act('P', 'approve', {}, 'bob');
  at(24);
  await act('U', 'cancel');
  at(30);
  await act('R', 'reject', { toStep: 0, comment: 'Wrong part number' });
  at(40);
  await act('W', 'approve');
  at(50);

  expect(Object.fromEntries(Object.entries(items).map(([k, v]) => [k, `${v.status}@${v.currentStep}`]))).toEqual({
    P: 'active@1',
    Q: 'active@0',
    R: 'active@0',
    S: 'active@1',
    U: 'cancelled@null',
    V: 'draft@0',
    W: 'active@1',
  });
  return { t, at };
}
