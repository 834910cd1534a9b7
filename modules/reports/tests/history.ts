import { expect } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';

/**
 * A small history, every figure worked out by hand. T0 = Monday 2 March 2026, 00:00 UTC;
 * times below are hours after T0. Standard = Engineering → Quality Control → Operations.
 *
 *   A  standard  created+submitted 0, approve 2, 5, 6 (completed 2 Mar 06:00)
 *                stays: ENG 2, QC 3, OPS 1
 *   B  standard  created+submitted 1, approve 5, reject to ENG 7, approve 8, 12, 48 (completed 4 Mar)
 *                stays: ENG 4, QC 2 (rejected), ENG 1, QC 4, OPS 36
 *   C  custom    [Engineering, Quality Control ×2 sign-offs] created+submitted 2, approve 3,
 *                QC sign-off 1 of 2 at 4 (no stay boundary), sign-off 2 at 10 (completed 2 Mar 10:00)
 *                stays: ENG 1, QC 7
 *   D  standard  draft at 0, submitted 24, approve 30, cancelled 31
 *                stays: ENG 6, QC 1 (ended by cancel)
 *   E  standard  created+submitted 168 (Mon 9 Mar), approve 169, 171, 180 (completed 9 Mar 12:00)
 *                stays: ENG 1, QC 2, OPS 9
 *   F  standard  created+submitted 0, still at ENG: an open stay, never counted
 */
export const T0 = Date.parse('2026-03-02T00:00:00Z');
export const H = 3_600_000;

/** Starts an app on its own clock, plays the history into it and hands it to `keep` (for cleanup). */
export async function seedHistory(keep: TempApp[]): Promise<TempApp> {
  let now = T0;
  const t = startApp({ clock: () => now });
  keep.push(t);
  await t.call('operator.set', { name: 'Bob Engineer' }, 'bob');
  await t.call('operator.set', { name: 'Cat Inspector' }, 'cat');
  const items: Record<string, WorkItem> = {};
  const at = (hours: number) => {
    now = T0 + hours * H;
  };
  const create = async (key: string, extra: Record<string, unknown>) => {
    items[key] = await t.call<WorkItem>('workItems.create', { title: `Item ${key}`, ...extra });
  };
  const standard = { workflowId: 'template:standard', submit: true };
  const act = async (key: string, action: 'submit' | 'approve' | 'reject' | 'cancel', extra: Record<string, unknown> = {}, session?: string) => {
    const item = items[key]!;
    items[key] = await t.call<WorkItem>(`workItems.${action}`, { id: item.id, expectedVersion: item.version, ...extra }, session);
  };

  // In time order, as the clock only moves forward.
  at(0);
  await create('A', standard);
  await create('D', { workflowId: 'template:standard' });
  await create('F', standard);
  at(1);
  await create('B', standard);
  at(2);
  await act('A', 'approve');
  await create('C', { steps: [{ name: 'Engineering' }, { name: 'Quality Control', minSignoffs: 2 }], submit: true });
  at(3);
  await act('C', 'approve');
  at(4);
  await act('C', 'approve', {}, 'bob');
  at(5);
  await act('A', 'approve');
  await act('B', 'approve');
  at(6);
  await act('A', 'approve');
  at(7);
  await act('B', 'reject', { toStep: 0, comment: 'Torque values missing' });
  at(8);
  await act('B', 'approve');
  at(10);
  await act('C', 'approve', {}, 'cat');
  at(12);
  await act('B', 'approve');
  at(24);
  await act('D', 'submit');
  at(30);
  await act('D', 'approve');
  at(31);
  await act('D', 'cancel');
  at(48);
  await act('B', 'approve');
  at(168);
  await create('E', standard);
  at(169);
  await act('E', 'approve');
  at(171);
  await act('E', 'approve');
  at(180);
  await act('E', 'approve');

  expect(Object.fromEntries(Object.entries(items).map(([k, v]) => [k, v.status]))).toEqual({
    A: 'completed',
    B: 'completed',
    C: 'completed',
    D: 'cancelled',
    E: 'completed',
    F: 'active',
  });
  return t;
}

