import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../src/shared/types';
import { runHarness, type RunningHarness } from '../support/harness';
import { makeDataDir, projectRoot } from '../support/tempApp';

/**
 * Two terminals on one database file: two separate processes running the real core (the built
 * harness) on the same data folder, as two workstations sharing a local database would.
 */
const dataDir = makeDataDir();
let left: RunningHarness;
let right: RunningHarness;

// runHarness writes the settings with sign-in off (tests/support/usersSwitch.ts): two terminals as the anonymous operator.
beforeAll(async () => {
  left = await runHarness(projectRoot, ['--data-dir', dataDir]);
  right = await runHarness(projectRoot, ['--data-dir', dataDir]);
}, 60_000);
afterAll(async () => {
  await Promise.all([left?.stop(), right?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

const value = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.value as T;
};

describe('two terminals, one database', () => {
  it('approving the same item at the same moment: exactly one wins, the other is told it changed', async () => {
    for (let round = 0; round < 10; round++) {
      const item = value<WorkItem>(await left.call('workItems.create', { title: `Race ${round}`, workflowId: 'template:standard', submit: true }));
      const [a, b] = await Promise.all([
        left.call('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'left' }),
        right.call('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'right' }),
      ]);
      const results = [a, b];
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const lost = results.find((r) => !r.ok) as { error: { code: string; message: string } };
      expect(lost.error).toMatchObject({
        code: 'STALE_VERSION',
        message: 'This item was changed since you opened it. Reload it to see the latest and try again.',
      });
      const detail = value<{ item: WorkItem; events: { action: string; comment: string | null }[] }>(await right.call('workItems.get', { id: item.id }));
      const approvals = detail.events.filter((e) => e.action === 'approve');
      expect(approvals).toHaveLength(1);
      // The record shows the winner's approval, and only it.
      expect(approvals[0]!.comment).toBe(results[0]!.ok ? 'left' : 'right');
      expect(detail.item.currentStep).toBe(1);
    }
  });

  it('normal contention waits for the lock instead of failing', async () => {
    const burst = (h: RunningHarness, who: string) =>
      Promise.all(Array.from({ length: 40 }, (_, i) => h.call('workItems.create', { title: `${who} ${i}`, steps: [{ name: 'Engineering' }], submit: true })));
    const results = (await Promise.all([burst(left, 'left'), burst(right, 'right')])).flat();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const db = new Database(join(dataDir, 'aviation-workflow.sqlite'), { readonly: true });
    expect((db.prepare("select count(*) as n from work_items where title like 'left %' or title like 'right %'").get() as { n: number }).n).toBe(80);
    db.close();
  });
});
