import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../src/shared/types';
import { random } from '../support/fuzz';
import { runHarness } from '../support/harness';
import { makeDataDir, projectRoot } from '../support/tempApp';

/**
 * Crash safety. The real core runs in its own process (the built harness) while this test
 * sends it a stream of creations and transitions; at a random moment it is killed with
 * SIGKILL. Then the database must open, pass integrity_check, hold every transition the core
 * acknowledged before the kill, and every item's state must agree with its event log (no
 * half-applied transition). CRASH_RUNS=500 runs more than CI's 50.
 */
const RUNS = Number(process.env['CRASH_RUNS'] ?? 50);
const dataDir = makeDataDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type Ack = { id: number; version: number; status: string; step: number | null };

/** Sends transitions until the harness stops answering; returns what it acknowledged. */
async function stream(call: (channel: string, input: unknown) => Promise<{ ok: boolean; value?: unknown }>, seed: number, onFirstAck: () => void) {
  const next = random(seed);
  const acks: Ack[] = [];
  const open: WorkItem[] = [];
  const ack = (item: WorkItem) => {
    if (acks.push({ id: item.id, version: item.version, status: item.status, step: item.currentStep }) === 1) onFirstAck();
  };
  try {
    for (;;) {
      const roll = next();
      if (open.length < 4 || roll < 0.2) {
        const r = await call('workItems.create', { title: `Crash ${seed}`, workflowId: 'template:standard', submit: true });
        if (!r.ok) throw new Error(`create refused: ${JSON.stringify(r)}`);
        open.push(r.value as WorkItem);
        ack(r.value as WorkItem);
        continue;
      }
      const index = Math.floor(next() * open.length);
      const item = open[index]!;
      const step = item.currentStep ?? 0;
      const action = roll < 0.75 ? 'approve' : roll < 0.92 && step > 0 ? 'reject' : 'cancel';
      const r = await call(`workItems.${action}`, {
        id: item.id,
        expectedVersion: item.version,
        ...(action === 'reject' ? { toStep: Math.floor(next() * step), comment: 'Rework needed' } : {}),
        ...(action === 'cancel' ? { comment: 'No longer needed' } : {}),
      });
      if (!r.ok) throw new Error(`${action} refused: ${JSON.stringify(r)}`);
      const after = r.value as WorkItem;
      ack(after);
      if (after.status === 'active') open[index] = after;
      else open.splice(index, 1);
    }
  } catch (error) {
    // The kill ends the stream with a refused connection; anything else is a real failure.
    if (!/fetch failed|ECONNRESET|ECONNREFUSED|socket|other side closed/i.test(String((error as Error).cause ?? error))) throw error;
  }
  return acks;
}

function checkDatabase(acks: Ack[]) {
  const db = new Database(join(dataDir, 'aviation-workflow.sqlite'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const items = db.prepare('select id, status, current_step as step, version from work_items').all() as { id: number; status: string; step: number | null; version: number }[];
    const byId = new Map(items.map((i) => [i.id, i]));
    const events = db.prepare('select item_id as id, seq, to_status as status, to_step as step from transition_events order by item_id, seq').all() as {
      id: number;
      seq: number;
      status: string;
      step: number | null;
    }[];
    const eventsOf = new Map<number, typeof events>();
    for (const e of events) eventsOf.set(e.id, [...(eventsOf.get(e.id) ?? []), e]);

    // Every acknowledged change is there (a later, unacknowledged one may have committed too).
    for (const a of acks) {
      const item = byId.get(a.id);
      expect(item, `acknowledged item #${a.id} is missing`).toBeDefined();
      expect(item!.version).toBeGreaterThanOrEqual(a.version);
      const event = eventsOf.get(a.id)?.find((e) => e.seq === a.version);
      expect(event, `acknowledged event #${a.id}/${a.version} is missing`).toMatchObject({ status: a.status, step: a.step });
    }
    // No half-applied transition: the item row is exactly where its last event left it.
    for (const item of items) {
      const log = eventsOf.get(item.id) ?? [];
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
      expect(log.length).toBe(item.version);
      expect({ status: log.at(-1)?.status, step: log.at(-1)?.step }).toEqual({ status: item.status, step: item.step });
    }
    return items.length;
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it(
    `keeps every acknowledged transition and no half-applied one across ${RUNS} SIGKILLs`,
    async () => {
      const next = random(20261201);
      let acknowledged = 0;
      for (let run = 0; run < RUNS; run++) {
        const harness = await runHarness(projectRoot, ['--data-dir', dataDir]);
        const seed = run + 1;
        let started!: () => void;
        const firstAck = new Promise<void>((resolve) => (started = resolve));
        const streaming = stream((channel, input) => harness.call(channel, input, 'crash'), seed, () => started());
        // Killed at a random moment once the stream is under way: between, during or after commits.
        await Promise.race([firstAck, streaming]);
        await new Promise((resolve) => setTimeout(resolve, next() * 250));
        await harness.kill('SIGKILL');
        const acks = await streaming;
        acknowledged += acks.length;
        checkDatabase(acks);
      }
      console.log(`crash runs: ${RUNS}, acknowledged: ${acknowledged}`);
      expect(acknowledged).toBeGreaterThanOrEqual(RUNS);
    },
    RUNS * 4_000 + 30_000,
  );
});
