import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BulkSignOffResult, ItemHints, WorkItem } from '../../src/shared/types';
import { startApp, type TempApp } from '../support/tempApp';

/** Bulk sign-off in the core without sign-in (the operator types a name; nothing is e-signed). With sign-in: modules/users/tests/bulkSignOff.test.ts. */
let t: TempApp;
beforeEach(() => {
  t = startApp();
});
afterEach(() => t.cleanup());

const create = (title: string, steps = [{ name: 'Engineering' }, { name: 'Quality Control' }]) =>
  t.call<WorkItem>('workItems.create', { title, steps, submit: true });
const shown = (item: WorkItem) => ({ id: item.id, expectedVersion: item.version, expectedStep: item.currentStep! });

describe('bulk sign-off without sign-in', () => {
  it('approves each item as shown, completing those at their last step, and says where each goes beforehand', async () => {
    const onward = await create('Onward');
    const last = await create('Last step', [{ name: 'Quality Control' }]);
    const hints = await t.call<ItemHints[]>('workItems.hints', { ids: [onward.id, last.id, 999] });
    expect(hints.map((h) => [h.id, h.version, h.hints.find((x) => x.action === 'approve')])).toEqual([
      [onward.id, onward.version, { action: 'approve', outcome: { status: 'active', step: 1 } }],
      [last.id, last.version, { action: 'approve', outcome: { status: 'completed', step: null } }],
    ]);

    const result = await t.call<BulkSignOffResult>('workItems.approveMany', { items: [shown(onward), shown(last)], comment: 'Batch' });
    expect(result.refused).toEqual([]);
    expect(result.approved.map((i) => [i.id, i.status, i.currentStep])).toEqual([
      [onward.id, 'active', 1],
      [last.id, 'completed', null],
    ]);
    const events = (await t.call('workItems.get', { id: last.id })).events as { action: string; actor: { name: string }; comment: string | null }[];
    expect(events.at(-1)).toMatchObject({ action: 'approve', actor: { name: 'Hangar operator' }, comment: 'Batch' });
  });

  it('refuses an item the engine will not approve (a draft), with its reason', async () => {
    const draft = await t.call<WorkItem>('workItems.create', { title: 'Draft', steps: [{ name: 'Engineering' }] });
    const item = await create('Fine');
    const result = await t.call<BulkSignOffResult>('workItems.approveMany', { items: [{ ...shown(draft), expectedStep: 0 }, shown(item)] });
    expect(result.approved.map((i) => i.id)).toEqual([item.id]);
    expect(result.refused).toEqual([{ id: draft.id, code: 'INVALID_TRANSITION', message: 'Only an active item can be approved. Submit the draft first.' }]);
  });
});
