import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/errors';
import type { TerminalState } from '../../src/shared/terminalContract';
import type { Page, WorkItem } from '../../src/shared/types';
import { runHarness, type RunningHarness } from '../support/harness';
import { lossyProxy, type LossyProxy } from '../support/lossyProxy';
import { enrollHarness, runSiteServer, type RunningSiteServer } from '../support/siteServer';
import { makeDataDir, projectRoot } from '../support/tempApp';

/**
 * A storm of transitions from three terminals, through a network that first loses answers in
 * transit (the request arrived and was applied; the terminal never heard) and then loses the
 * server itself (SIGKILL). After it starts again: every transition a terminal was told succeeded
 * is there, no command was applied twice (the terminals retried with their keys), and the
 * terminals are connected again without anyone touching them.
 */
let server: RunningSiteServer;
let network: LossyProxy;
const terminals: RunningHarness[] = [];

beforeAll(async () => {
  server = await runSiteServer(projectRoot);
  network = await lossyProxy({ host: '127.0.0.1', port: server.port });
  for (const name of ['Storm 1', 'Storm 2', 'Storm 3']) {
    const terminal = await runHarness(projectRoot, ['--data-dir', makeDataDir(), '--site', network.url]);
    terminals.push(terminal);
    const enrolled = await enrollHarness(terminal, { ...server, url: network.url }, name);
    if (!enrolled.ok) throw new Error(enrolled.error.message);
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(terminals.map((t) => t.stop()));
  await network?.close();
  await server?.dispose();
});

interface Acknowledged {
  created: Map<string, number>;
  approved: Map<number, number>;
  unconfirmed: number;
}

/** One lane of work at a terminal: create an item and approve it, again and again, until told to stop. */
async function lane(terminal: RunningHarness, label: string, stop: () => boolean, seen: Acknowledged): Promise<void> {
  for (let n = 0; !stop(); n++) {
    const title = `${label} #${n}`;
    const created: Result<unknown> = await terminal.call('workItems.create', { title, steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true });
    if (!created.ok) {
      seen.unconfirmed++;
      continue;
    }
    const item = created.value as WorkItem;
    seen.created.set(title, item.id);
    const approved = await terminal.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    if (approved.ok) seen.approved.set(item.id, (approved.value as WorkItem).version);
    else seen.unconfirmed++;
  }
}

describe('a site server killed during a transition storm', () => {
  it('keeps every acknowledged transition, applies none twice, and the terminals reconnect by themselves', async () => {
    const seen: Acknowledged = { created: new Map(), approved: new Map(), unconfirmed: 0 };
    let stopping = false;
    const lanes = terminals.flatMap((terminal, t) => [0, 1, 2].map((l) => lane(terminal, `T${t + 1}L${l}`, () => stopping, seen)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    network.dropAnswers(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    network.dropAnswers(false);
    expect(network.dropped()).toBeGreaterThan(3);
    const beforeKill = seen.created.size;
    await server.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 800));
    await server.restart();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    stopping = true;
    await Promise.all(lanes);
    expect(beforeKill).toBeGreaterThan(5);
    expect(seen.created.size).toBeGreaterThan(beforeKill); // work went on after the restart

    const [reader] = terminals as [RunningHarness];
    const rows: WorkItem[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = (await reader.call('workItems.list', { limit: 200, offset })) as Result<Page<WorkItem>>;
      if (!page.ok) throw new Error(page.error.message);
      rows.push(...page.value.rows);
      if (page.value.rows.length < 200) break;
    }
    const byTitle = new Map<string, WorkItem[]>();
    for (const item of rows) byTitle.set(item.title, [...(byTitle.get(item.title) ?? []), item]);
    // Never applied twice: each title (one create command) made at most one item.
    for (const [title, items] of byTitle) expect(items.length, title).toBe(1);
    // Every acknowledged create and approval is there.
    for (const [title, id] of seen.created) expect(byTitle.get(title)?.[0]?.id, title).toBe(id);
    for (const [id, version] of seen.approved) {
      const item = rows.find((row) => row.id === id)!;
      expect(item.version).toBeGreaterThanOrEqual(version);
      expect(item.currentStep).toBe(1);
    }
    for (const terminal of terminals) {
      await expect.poll(async () => ((await terminal.call('terminal.state', {})) as { value: TerminalState }).value.connection, { timeout: 20_000 }).toBe('connected');
    }
  }, 120_000);
});
