import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/errors';
import type { TerminalState } from '../../src/shared/terminalContract';
import type { BulkSignOffResult, TransitionEvent, WorkItem } from '../../src/shared/types';
import { runHarness, type RunningHarness } from '../support/harness';
import { enrollHarness, runSiteServer, type RunningSiteServer } from '../support/siteServer';
import { makeDataDir, projectRoot } from '../support/tempApp';

/**
 * Site mode end to end: one site server and three terminal processes (browser harnesses in site
 * mode) on loopback, over HTTPS with the pinned site CA. Sign-in is off (anonymous operator);
 * e-signatures over the site are covered with sign-in on in siteSignIn.test.ts.
 */
let server: RunningSiteServer;
const terminals: RunningHarness[] = [];

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

beforeAll(async () => {
  server = await runSiteServer(projectRoot);
  for (const name of ['Engineering bench', 'QC bench', 'Operations office']) {
    const terminal = await runHarness(projectRoot, ['--data-dir', makeDataDir(), '--site', server.url]);
    terminals.push(terminal);
    const enrolled = value<TerminalState>(await enrollHarness(terminal, server, name));
    expect(enrolled).toMatchObject({ mode: 'site', enrolled: true, name, caFingerprint: server.caFingerprint });
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(terminals.map((t) => t.stop()));
  await server?.dispose();
});

describe('site mode', () => {
  it('moves an item created at one terminal through a second and shows it completed at a third', async () => {
    const [eng, qc, ops] = terminals as [RunningHarness, RunningHarness, RunningHarness];
    const created = value<WorkItem>(
      await eng.call('workItems.create', { title: 'Replace brake wear pin', steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true }),
    );
    const atQc = value<WorkItem>(await qc.call('workItems.approve', { id: created.id, expectedVersion: created.version }));
    expect(atQc.currentStep).toBe(1);
    value(await qc.call('workItems.approve', { id: atQc.id, expectedVersion: atQc.version }));
    const seen = value<{ item: WorkItem; events: TransitionEvent[] }>(await ops.call('workItems.get', { id: created.id }));
    expect(seen.item.status).toBe('completed');
    // Each transition records the terminal it came from, by the id the server enrolled it under, shown by its name.
    expect(seen.events.map((e) => [e.action, e.terminalName])).toEqual([
      ['create', 'Engineering bench'],
      ['approve', 'QC bench'],
      ['approve', 'QC bench'],
    ]);
    expect(seen.events.every((e) => /^t_/.test(e.terminal ?? ''))).toBe(true);
  });

  it('signs off items in bulk from a terminal, each once, when two terminals send the same batch at the same moment', async () => {
    const [eng, qc, ops] = terminals as [RunningHarness, RunningHarness, RunningHarness];
    const items: WorkItem[] = [];
    for (const title of ['Bulk one', 'Bulk two', 'Bulk three']) {
      items.push(value<WorkItem>(await eng.call('workItems.create', { title, steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true })));
    }
    const batch = { items: items.map((i) => ({ id: i.id, expectedVersion: i.version, expectedStep: 0 })), comment: 'Checked as a batch' };
    const [fromQc, fromOps] = (await Promise.all([qc, ops].map((t) => t.call('workItems.approveMany', batch)))).map((r) =>
      value<BulkSignOffResult>(r),
    ) as [BulkSignOffResult, BulkSignOffResult];
    expect(fromQc.approved.length + fromOps.approved.length).toBe(3);
    expect([...fromQc.refused, ...fromOps.refused].map((r) => r.code)).toEqual(['STALE_VERSION', 'STALE_VERSION', 'STALE_VERSION']);
    for (const item of items) {
      const seen = value<{ item: WorkItem; events: TransitionEvent[] }>(await eng.call('workItems.get', { id: item.id }));
      expect(seen.item.currentStep).toBe(1);
      expect(seen.events.map((e) => e.action)).toEqual(['create', 'approve']);
      expect(seen.events.at(-1)).toMatchObject({ comment: 'Checked as a batch', terminalName: expect.stringMatching(/^(QC bench|Operations office)$/) });
    }
    // Malformed batches are refused by the server as by the desktop core.
    const tooMany = await qc.call('workItems.approveMany', { items: Array.from({ length: 101 }, (_, i) => ({ id: i + 1, expectedVersion: 1, expectedStep: 0 })) });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'items: At most 100 items can be signed off at once; sign off the others in another batch' } });
  });

  it('lets exactly one of two terminals approve the same item at the same moment', async () => {
    const [eng, qc, ops] = terminals as [RunningHarness, RunningHarness, RunningHarness];
    const item = value<WorkItem>(await eng.call('workItems.create', { title: 'Both approve', steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true }));
    const results = await Promise.all([qc, ops].map((t) => t.call('workItems.approve', { id: item.id, expectedVersion: item.version })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'STALE_VERSION' } });
    const after = value<{ item: WorkItem; events: { action: string }[] }>(await eng.call('workItems.get', { id: item.id }));
    expect(after.item.currentStep).toBe(1);
    expect(after.events.filter((e) => e.action === 'approve')).toHaveLength(1);
  });

  it('switches a standalone terminal to the site and back, by an administrator, keeping its own data', async () => {
    const dataDir = makeDataDir();
    const terminal = await runHarness(projectRoot, ['--data-dir', dataDir]);
    try {
      const local = value<WorkItem>(await terminal.call('workItems.create', { title: 'Kept on this terminal', steps: [{ name: 'Engineering' }] }));
      expect(value<{ restarting: boolean }>(await terminal.call('terminal.setMode', { mode: 'site' }))).toEqual({ restarting: true });
      await expect.poll(async () => ((await terminal.call('terminal.state', {})) as { value?: TerminalState }).value?.mode, { timeout: 10_000 }).toBe('site');
      expect(await terminal.call('workItems.counts', {})).toMatchObject({ ok: false, error: { code: 'NOT_ENROLLED' } });
      value(await enrollHarness(terminal, server, 'Converted desk'));
      const list = value<{ rows: WorkItem[] }>(await terminal.call('workItems.list', { search: 'Kept on this terminal' }));
      expect(list.rows).toHaveLength(0); // the site's items, not this terminal's own
      // Back to standalone: an administrator of the site (sign-in is off there, so whoever works here).
      value(await terminal.call('terminal.setMode', { mode: 'standalone' }));
      await expect.poll(async () => ((await terminal.call('terminal.state', {})) as { value?: TerminalState }).value?.mode, { timeout: 10_000 }).toBe('standalone');
      expect(value<{ item: WorkItem }>(await terminal.call('workItems.get', { id: local.id })).item.title).toBe('Kept on this terminal');
    } finally {
      await terminal.stop();
    }
  }, 60_000);

  it('does not let someone who is not an administrator point a terminal at a server', async () => {
    const terminal = await runHarness(projectRoot, ['--data-dir', makeDataDir()], { scryptCost: 14 });
    try {
      value(await terminal.call('users.setupFirstAdmin', { name: 'Ada Admin', number: 'A100', secret: '424242', confirm: '424242' }, 'admin'));
      value(await terminal.call('users.create', { name: 'Sam Staff', number: 'S200', role: 'staff', departments: ['ENG'], secret: '135790' }, 'admin'));
      value(await terminal.call('users.signIn', { number: 'S200', secret: '135790' }, 'staff'));
      for (const session of ['staff', 'nobody']) {
        expect(await terminal.call('terminal.setMode', { mode: 'site' }, session)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      expect(value<TerminalState>(await terminal.call('terminal.state', {})).mode).toBe('standalone');
    } finally {
      await terminal.stop();
    }
  }, 60_000);
});
