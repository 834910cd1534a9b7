import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANY_OVERDUE, type ListQuery } from '../../src/core/db/workItemStore';
import type { Page, WorkItem } from '../../src/shared/types';
import { startApp, type TempApp } from '../support/tempApp';

/**
 * The store reads some lists as several index walks merged (a person's departments, a template's
 * versions) and the overdue list by walking the queue's order; whatever the plan, every page must be
 * exactly what filtering and sorting all items gives.
 */
const HOUR = 3_600_000;
let now = Date.parse('2026-05-04T06:00:00Z');
let t: TempApp;
let all: WorkItem[] = [];

const stepName = (item: WorkItem) => (item.currentStep === null ? null : (item.steps[item.currentStep]?.name ?? null));
const order: Record<NonNullable<ListQuery['sort']>, (a: WorkItem, b: WorkItem) => number> = {
  queue: (a, b) => Number(b.priority === 'urgent') - Number(a.priority === 'urgent') || Date.parse(a.stepEnteredAt) - Date.parse(b.stepEnteredAt) || a.id - b.id,
  oldest: (a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.id - b.id,
  recent: (a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || b.id - a.id,
};

function expected(q: ListQuery): { ids: number[]; total: number } {
  const matching = all
    .filter((i) => !q.status || i.status === q.status)
    .filter((i) => !q.steps?.length || q.steps.includes(stepName(i) ?? ''))
    .filter((i) => !q.workflowId || i.workflow?.id === q.workflowId)
    .filter((i) => !q.overdue || i.overdue)
    .sort(order[q.sort ?? 'recent']);
  return { ids: matching.slice(q.offset, q.offset + q.limit).map((i) => i.id), total: matching.length };
}

beforeAll(async () => {
  t = startApp({ clock: () => now });
  const alphaTemplate = await t.call<{ id: number; version: number }>('templates.create', { key: 'alpha', name: 'Alpha', steps: [{ department: 'ENG', targetHours: 8 }, { department: 'QC', targetHours: 24 }, { department: 'OPS' }] });
  await t.call('templates.create', { key: 'beta', name: 'Beta', steps: [{ department: 'QC', targetHours: 4 }, { department: 'OPS', targetHours: 2 }] });
  const workflows = (await t.call<{ id: string; label: string }[]>('workflows.list', {})).filter((w) => ['Alpha', 'Beta'].includes(w.label));
  const alpha = workflows.find((w) => w.label === 'Alpha')!.id;
  const beta = workflows.find((w) => w.label === 'Beta')!.id;
  // Enough items that more than MANY_OVERDUE are overdue at the end, so that plan runs too.
  for (let i = 0; i < 300; i++) {
    if (i === 150) {
      // A new version of Alpha: its later items run another snapshot, and the filter must find both.
      await t.call('templates.update', {
        id: alphaTemplate.id,
        expectedVersion: alphaTemplate.version,
        name: 'Alpha',
        steps: [{ department: 'ENG', targetHours: 6 }, { department: 'QC', targetHours: 12 }, { department: 'OPS', targetHours: 1 }],
      });
    }
    now += ((i * 7919) % 13) * 60_000 + 1000;
    const item = await t.call<WorkItem>('workItems.create', {
      title: `Item ${i}`,
      ...(i % 5 === 4 ? { steps: [{ name: 'Engineering' }, { name: 'Quality Control', targetHours: 1 }] } : { workflowId: i % 2 ? alpha : beta }),
      priority: i % 7 === 0 ? 'urgent' : 'normal',
      submit: i % 11 !== 0,
    });
    if (item.status !== 'active') continue;
    let current = item;
    const moves = i % 4; // 0–3 approvals, some of them completing the item
    for (let m = 0; m < moves && current.status === 'active'; m++) {
      now += 1000;
      current = await t.call<WorkItem>('workItems.approve', { id: current.id, expectedVersion: current.version });
    }
    if (i % 13 === 3 && current.status === 'active' && (current.currentStep ?? 0) > 0) {
      current = await t.call<WorkItem>('workItems.reject', { id: current.id, expectedVersion: current.version, toStep: 0, comment: 'Again' });
    }
    if (i % 17 === 5 && current.status === 'active') await t.call('workItems.cancel', { id: current.id, expectedVersion: current.version, comment: 'Not needed' });
  }
  now += 30 * HOUR;
  for (let offset = 0; offset < 300; offset += 200) all.push(...(await t.call<Page<WorkItem>>('workItems.list', { offset, limit: 200 })).rows);
}, 120_000);
afterAll(() => t?.cleanup());

describe('every list plan gives the page that filtering and sorting all items gives', () => {
  it('has the mix the plans need', () => {
    expect(all.length).toBe(300);
    expect(all.filter((i) => i.overdue).length).toBeGreaterThan(MANY_OVERDUE);
    const alphaSnapshots = new Set(all.filter((i) => i.workflow?.label === 'Alpha').map((i) => i.workflow?.version));
    expect(alphaSnapshots.size).toBe(2);
  });

  it('for departments, templates, overdue, each sort and deep pages', async () => {
    const workflows = [...new Set(all.flatMap((i) => (i.workflow ? [i.workflow.id] : [])))];
    const stepLists = [undefined, ['Quality Control'], ['Quality Control', 'Engineering'], ['Engineering', 'Quality Control', 'Operations']];
    let compared = 0;
    for (const status of [undefined, 'active'] as const)
      for (const steps of stepLists)
        for (const workflowId of [undefined, ...workflows])
          for (const overdue of [undefined, true])
            for (const sort of ['queue', 'recent', 'oldest'] as const)
              for (const [offset, limit] of [[0, 8], [8, 25], [150, 200]] as const) {
                const q: ListQuery = { ...(status ? { status } : {}), ...(steps ? { steps } : {}), ...(workflowId ? { workflowId } : {}), ...(overdue ? { overdue } : {}), sort, offset, limit };
                const page = await t.call<Page<WorkItem>>('workItems.list', q);
                const want = expected(q);
                expect({ q, ids: page.rows.map((r) => r.id), total: page.total }).toEqual({ q, ...want });
                compared++;
              }
    expect(compared).toBe(2 * 4 * 3 * 2 * 3 * 3);
  });
});
