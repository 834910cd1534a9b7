import { describe, expect, it } from 'vitest';
import { changeEventOf } from '../../src/core/changeEvents';
import type { WorkItem } from '../../src/shared/types';

const item = (over: Partial<WorkItem>): WorkItem =>
  ({
    id: 7,
    title: 'Wing inspection',
    priority: 'urgent',
    status: 'active',
    currentStep: 1,
    steps: [{ name: 'Engineering' }, { name: 'Quality Control' }],
    stepEnteredAt: '2026-12-07T10:00:00.000Z',
    updatedAt: '2026-12-07T10:00:00.000Z',
    ...over,
  }) as WorkItem;

describe('change events', () => {
  it('names the item a transition moved and the queue it arrived in', () => {
    expect(changeEventOf('workItems.approve', { id: 7, expectedVersion: 3 }, item({}))).toEqual({
      channel: 'workItems.approve',
      items: [7],
      arrivals: [{ itemId: 7, title: 'Wing inspection', priority: 'urgent', step: 'Quality Control' }],
    });
  });

  it('has no arrival for an approval that still waits for another sign-off', () => {
    const waiting = item({ updatedAt: '2026-12-07T11:00:00.000Z' });
    expect(changeEventOf('workItems.approve', { id: 7, expectedVersion: 3 }, waiting).arrivals).toEqual([]);
  });

  it('takes `id` as an item only on work item channels; other channels name items by itemId', () => {
    expect(changeEventOf('departments.rename', { id: 3, name: 'QA' }, { id: 3, name: 'QA' }).items).toEqual([]);
    expect(changeEventOf('comments.add', { itemId: 9, text: 'ok' }, { id: 55 }).items).toEqual([9]);
  });
});

describe('deferred work', () => {
  it('runs outside the call that asked for it', async () => {
    const { runInCall, currentCall } = await import('../../src/core/callScope');
    const { createSoon } = await import('../../src/core/modules/soon');
    const deferred = createSoon(() => undefined, 1);
    let seen: unknown = 'not run';
    runInCall({ terminal: 't_caller', commandId: 'cmd-12345678' }, () => deferred.soon(() => (seen = currentCall())));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toBeUndefined();
  });
});
