import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, DataFolderInUseError } from '../../src/core/app';
import { LOCK_HOLDER_FILE, type LockHolder } from '../../src/core/db/coreLock';
import type { WorkItem } from '../../src/shared/types';
import { runHarness, type RunningHarness } from '../support/harness';
import { makeDataDir, projectRoot, startApp, type TempApp } from '../support/tempApp';

/**
 * One core per data folder (finding 8): two processes on one database lost data (a restore in one
 * moved the file the other still wrote to). The core holds an OS-level lock for its whole life;
 * a second start is refused with who holds it, and a crash gives the lock back.
 */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

const holderOf = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, LOCK_HOLDER_FILE), 'utf8')) as LockHolder;

describe('two cores on one data folder in one process', () => {
  it('refuses the second with who holds the folder, changes nothing, and lets the next one in after close', async () => {
    const t = startApp();
    apps.push(t);
    await t.call('workItems.create', { title: 'First core', steps: [{ name: 'Engineering' }], submit: true });
    const settingsBefore = readFileSync(join(t.dataDir, 'settings.json'), 'utf8');

    let error: unknown;
    try {
      createApp({ dataDir: t.dataDir, assetsRoot: projectRoot, log: () => {} }).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataFolderInUseError);
    const holder = holderOf(t.dataDir);
    expect(holder.pid).toBe(process.pid);
    expect((error as Error).message).toBe(
      `The data folder ${t.dataDir} is in use by another copy of Aviation Workflow (process ${process.pid}, started ${holder.startedAt}). ` +
        'Only one copy may use a data folder at a time, or work done in one is lost to the other: switch to that copy, or close it and start this one again.',
    );
    // The refused start wrote nothing, and the first core goes on.
    expect(readFileSync(join(t.dataDir, 'settings.json'), 'utf8')).toBe(settingsBefore);
    expect((await t.call<{ total: number }>('workItems.list', {})).total).toBe(1);

    t.app.close();
    expect(existsSync(join(t.dataDir, LOCK_HOLDER_FILE))).toBe(false);
    const next = startApp({}, t.dataDir);
    apps.push(next);
    expect((await next.call<{ total: number }>('workItems.list', {})).total).toBe(1);
  });

  it('gives the lock back when a start fails part-way', () => {
    const dataDir = makeDataDir();
    // A module that throws while the handler table is built (after the database is open).
    const broken = {
      folder: 'broken',
      definition: {
        name: 'broken',
        version: '1.0.0',
        description: 'declares a channel without a handler',
        contract: { 'broken.call': { kind: 'query', input: { safeParse: () => ({ success: true, data: {} }) } } },
        setup: () => ({ handlers: {} }),
      },
    } as never;
    expect(() => createApp({ dataDir, assetsRoot: projectRoot, log: () => {}, modules: [broken] })).toThrow(/no handler/);
    const t = startApp({}, dataDir);
    apps.push(t);
    expect(t.app.status().problems).toEqual([]);
  });
});

describe('two processes on one data folder', () => {
  const dataDir = makeDataDir();
  let first: RunningHarness | undefined;
  beforeAll(async () => {
    first = await runHarness(projectRoot, ['--data-dir', dataDir]);
  }, 60_000);
  afterAll(async () => {
    await first?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses the second process with a clear message naming the first, which keeps working', async () => {
    const holder = holderOf(dataDir);
    const refused = await runHarness(projectRoot, ['--data-dir', dataDir]).then(
      async (h) => (await h.stop(), 'started'),
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/exited with 1/);
    expect(refused).toContain(`Aviation Workflow could not start: The data folder ${dataDir} is in use by another copy of Aviation Workflow (process ${holder.pid}, started ${holder.startedAt}).`);
    expect(refused).not.toMatch(/\n\s+at /); // a message, not a stack trace
    const created = await first!.call('workItems.create', { title: 'Still mine', steps: [{ name: 'Engineering' }], submit: true });
    expect(created.ok).toBe(true);
  }, 60_000);

  it('a lock file deleted under the running process still keeps a second one out', async () => {
    const holder = holderOf(dataDir);
    rmSync(join(dataDir, 'aviation-workflow.lock'));
    const refused = await runHarness(projectRoot, ['--data-dir', dataDir]).then(
      async (h) => (await h.stop(), 'started'),
      (error: Error) => error.message,
    );
    expect(refused).toContain(`is in use by another copy of Aviation Workflow (process ${holder.pid}, started ${holder.startedAt}).`);
    expect(refused).toContain(`(Its lock file aviation-workflow.lock was removed or replaced while it ran. If process ${holder.pid} is not Aviation Workflow, delete aviation-workflow.lock.json in that folder and start again.)`);
    expect(await first!.call('workItems.list', {})).toMatchObject({ ok: true });
  }, 60_000);

  it('a crashed process gives the lock back with it: the next start works and has every acknowledged write', async () => {
    const acked: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await first!.call('workItems.create', { title: `Before the crash ${i}`, steps: [{ name: 'Engineering' }], submit: true });
      if (r.ok) acked.push((r.value as WorkItem).id);
    }
    await first!.kill('SIGKILL');
    first = await runHarness(projectRoot, ['--data-dir', dataDir]);
    const list = await first.call('workItems.list', { limit: 100 });
    const ids = (list as { ok: true; value: { rows: WorkItem[] } }).value.rows.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(acked));
    expect(holderOf(dataDir).pid).not.toBe(process.pid);
  }, 60_000);

  it('two starts at the same moment: exactly one gets the folder', async () => {
    await first!.stop();
    first = undefined;
    const starts = await Promise.allSettled([runHarness(projectRoot, ['--data-dir', dataDir]), runHarness(projectRoot, ['--data-dir', dataDir])]);
    const running = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const refusals = starts.flatMap((s) => (s.status === 'rejected' ? [String((s.reason as Error).message)] : []));
    try {
      expect(running).toHaveLength(1);
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatch(/is in use by another copy of Aviation Workflow \(process \d+, started /);
    } finally {
      first = running[0];
    }
  }, 60_000);
});
