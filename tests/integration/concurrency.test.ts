import Database from 'better-sqlite3';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_HOLDER_FILE } from '../../src/core/db/coreLock';
import type { WorkItem } from '../../src/shared/types';
import { runHarness, type RunningHarness } from '../support/harness';
import { makeDataDir, projectRoot } from '../support/tempApp';

/**
 * Two terminals on one database. Two processes on one data folder lose data (finding 8), so a
 * second process is refused; terminals share one core (the built harness, one process) and race
 * there, as two browser pages on one machine do.
 */
const dataDir = makeDataDir();
let core: RunningHarness;

// runHarness writes the settings with sign-in off (tests/support/usersSwitch.ts): two terminals as the anonymous operator.
beforeAll(async () => {
  core = await runHarness(projectRoot, ['--data-dir', dataDir]);
}, 60_000);
afterAll(async () => {
  await core?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const value = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.value as T;
};

describe('two terminals, one database', () => {
  it('a second process on the same data folder is refused, naming the one that has it', async () => {
    const { pid } = JSON.parse(readFileSync(join(dataDir, LOCK_HOLDER_FILE), 'utf8')) as { pid: number };
    const second = await runHarness(projectRoot, ['--data-dir', dataDir]).then(
      async (h) => (await h.stop(), 'started'),
      (error: Error) => error.message,
    );
    expect(second).toMatch(/exited with 1/);
    expect(second).toMatch(new RegExp(`The data folder .* is in use by another copy of Aviation Workflow \\(process ${pid}, started `));
  }, 60_000);

  it('approving the same item at the same moment from two terminals: exactly one wins, the other is told it changed', async () => {
    for (let round = 0; round < 10; round++) {
      const item = value<WorkItem>(await core.call('workItems.create', { title: `Race ${round}`, workflowId: 'template:standard', submit: true }, 'left'));
      const [a, b] = await Promise.all([
        core.call('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'left' }, 'left'),
        core.call('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'right' }, 'right'),
      ]);
      const results = [a, b];
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const lost = results.find((r) => !r.ok) as { error: { code: string; message: string } };
      expect(lost.error).toMatchObject({ code: 'STALE_VERSION', message: expect.stringMatching(/^This item was changed since you opened it/) });
      const detail = value<{ item: WorkItem; events: { action: string; comment: string | null }[] }>(await core.call('workItems.get', { id: item.id }, 'right'));
      const approvals = detail.events.filter((e) => e.action === 'approve');
      expect(approvals).toHaveLength(1);
      // The record shows the winner's approval, and only it.
      expect(approvals[0]!.comment).toBe(results[0]!.ok ? 'left' : 'right');
      expect(detail.item.currentStep).toBe(1);
    }
  });

  it('bursts of work from two terminals at once all land', async () => {
    const burst = (who: string) =>
      Promise.all(Array.from({ length: 40 }, (_, i) => core.call('workItems.create', { title: `${who} ${i}`, steps: [{ name: 'Engineering' }], submit: true }, who)));
    const results = (await Promise.all([burst('left'), burst('right')])).flat();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const db = new Database(join(dataDir, 'aviation-workflow.sqlite'), { readonly: true });
    expect((db.prepare("select count(*) as n from work_items where title like 'left %' or title like 'right %'").get() as { n: number }).n).toBe(80);
    db.close();
  });
});
