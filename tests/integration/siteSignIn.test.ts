import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/errors';
import type { ChangeEvent } from '../../src/shared/events';
import type { WorkItem } from '../../src/shared/types';
import { runHarness, type RunningHarness } from '../support/harness';
import { enrollHarness, runSiteServer, type RunningSiteServer } from '../support/siteServer';
import { makeDataDir, projectRoot } from '../support/tempApp';

/**
 * People at site terminals: they sign in with their PIN at the terminal and the server decides;
 * e-signatures are checked on the server; wrong PINs count against the terminal they were typed
 * at (the enrolled terminal, not the page); and a change made at one terminal reaches another's
 * windows as an event naming the item, within a second.
 */
const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
const INSPECTOR = { name: 'Quinn Inspector', number: 'Q200', secret: '135790' };
let server: RunningSiteServer;
let office: RunningHarness;
let bench: RunningHarness;
let spare: RunningHarness;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

/** The change events a harness page receives (its /__events stream), with when each arrived. */
async function listen(terminal: RunningHarness, page: string): Promise<{ events: { at: number; event: ChangeEvent }[]; stop(): void }> {
  const controller = new AbortController();
  const response = await fetch(new URL(`/__events?session=${page}`, terminal.url), { signal: controller.signal });
  const events: { at: number; event: ChangeEvent }[] = [];
  const reader = response.body!.getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) return;
        buffer += new TextDecoder().decode(chunk);
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) events.push({ at: performance.now(), event: JSON.parse(data.slice(6)) as ChangeEvent });
        }
      }
    } catch {
      // aborted
    }
  })();
  return { events, stop: () => controller.abort() };
}

beforeAll(async () => {
  server = await runSiteServer(projectRoot, { users: { scryptCost: 14, maxFailedSignInsPerTerminal: 6 } });
  const start = () => runHarness(projectRoot, ['--data-dir', makeDataDir(), '--site', server.url]);
  [office, bench, spare] = await Promise.all([start(), start(), start()]);
  for (const [terminal, name] of [[office, 'Office'], [bench, 'QC bench'], [spare, 'Spare']] as const) value(await enrollHarness(terminal, server, name));
  value(await office.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'admin-page'));
  value(await office.call('users.create', { name: INSPECTOR.name, number: INSPECTOR.number, role: 'staff', departments: ['QC'], secret: INSPECTOR.secret }, 'admin-page'));
}, 90_000);

afterAll(async () => {
  await Promise.all([office, bench, spare].map((t) => t?.stop()));
  await server?.dispose();
});

describe('people at site terminals', () => {
  it('signs people in on the server, checks e-signatures there, and tells other terminals within a second', async () => {
    // Nobody is signed in at the bench: it gets the sign-in list and nothing else.
    expect(await bench.call('workItems.counts', {}, 'qc-page')).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    value(await bench.call('users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret }, 'qc-page'));
    const watcher = await listen(bench, 'qc-page');
    const nobodyThere = await listen(spare, 'spare-page');
    let item = value<WorkItem>(await office.call('workItems.create', { title: 'Borescope inspection', workflowId: 'template:standard' }, 'admin-page'));
    item = value<WorkItem>(await office.call('workItems.submit', { id: item.id, expectedVersion: item.version }, 'admin-page'));
    const sent = performance.now();
    item = value<WorkItem>(await office.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'admin-page'));
    await expect.poll(() => watcher.events.find((e) => e.event.channel === 'workItems.approve' && e.event.items.includes(item.id)), { timeout: 1000 }).toBeTruthy();
    const arrived = watcher.events.find((e) => e.event.channel === 'workItems.approve')!;
    expect(arrived.at - sent).toBeLessThan(1000);
    expect(arrived.event.arrivals).toEqual([{ itemId: item.id, title: 'Borescope inspection', priority: 'normal', step: 'Quality Control' }]);
    watcher.stop();
    // A terminal where nobody is signed in learns that something changed, not which item, its title or where it went.
    await expect.poll(() => nobodyThere.events.find((e) => e.event.channel === 'workItems.approve')?.event, { timeout: 1000 }).toMatchObject({ items: [], arrivals: [] });
    expect(nobodyThere.events.every((e) => e.event.items.length === 0 && e.event.arrivals.length === 0)).toBe(true);
    nobodyThere.stop();
    // Nor where the site keeps its data.
    expect(value<{ dataDir: string; databasePath: string }>(await spare.call('app.status', {}, 'spare-page'))).toMatchObject({ dataDir: '', databasePath: '' });

    // A wrong PIN signs nothing; the right one signs, as the person signed in at the bench.
    expect(await bench.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '000000' } }, 'qc-page')).toMatchObject({ ok: false });
    const signed = value<WorkItem>(await bench.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: INSPECTOR.secret } }, 'qc-page'));
    expect(signed.currentStep).toBe(2);
    const detail = value<{ events: { action: string; actor: { name: string } }[] }>(await office.call('workItems.get', { id: item.id }, 'admin-page'));
    expect(detail.events.at(-1)).toMatchObject({ action: 'approve', actor: { name: INSPECTOR.name } });
  });

  it('stops naming items to a terminal the moment its last person signs out', async () => {
    value(await spare.call('users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret }, 'spare-page'));
    const watcher = await listen(spare, 'spare-page');
    const made = async (title: string) => value<WorkItem>(await office.call('workItems.create', { title, workflowId: 'template:standard' }, 'admin-page'));
    const first = await made('Seen while signed in');
    await expect.poll(() => watcher.events.find((e) => e.event.items.includes(first.id)), { timeout: 1000 }).toBeTruthy();
    value(await spare.call('users.signOut', {}, 'spare-page'));
    // Within the second the server may remember who is signed in where: the sign-out itself must end that.
    const second = await made('Made just after the sign-out');
    await expect.poll(() => watcher.events.filter((e) => e.event.channel === 'workItems.create').length, { timeout: 1000 }).toBe(2);
    expect(watcher.events.filter((e) => e.event.channel === 'workItems.create').map((e) => e.event.items)).toEqual([[first.id], []]);
    expect(second.id).toBeGreaterThan(first.id);
    watcher.stop();
  });

  it('counts wrong sign-ins against the terminal they were typed at, whatever page says what', async () => {
    // Many pages of one terminal are still one terminal: six wrong PINs for six different people lock it.
    for (let n = 0; n < 6; n++) await spare.call('users.signIn', { number: `X${n}00`, secret: '999999' }, `page-${n}`);
    const refused = await spare.call('users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret }, 'fresh-page');
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/this terminal/i) } });
    // Another terminal is not affected.
    value(await bench.call('users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret }, 'other-page'));
  });
});
