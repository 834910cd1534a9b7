import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupJob, BackupsStatus } from '../../modules/backups/contract';
import type { SessionState } from '../../modules/users/contract';
import type { Result } from '../../src/shared/errors';
import { SITE_PATHS, type EnrollAnswer, type Hello } from '../../src/shared/siteProtocol';
import type { AppStatus, WorkItem } from '../../src/shared/types';
import { siteLink, type SiteLink } from '../../src/terminal/siteLink';
import { runHarness, type RunningHarness } from '../support/harness';
import { enrollHarness, runSiteServer, type RunningSiteServer } from '../support/siteServer';
import { makeDataDir, projectRoot } from '../support/tempApp';

/**
 * Who is signed in at a site terminal outlives a restart of the site server, stopped (SIGTERM, an
 * update at night) or killed (a crash), and of its core (a module switched from a settings window):
 * the same window session is still signed in, works, and signs (with the full PIN check: the quick
 * verifier is never kept). The binding of a session to its terminal holds after a restart too, and
 * a restored backup still signs everyone out.
 */
const VERSION = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
const INSPECTOR = { name: 'Quinn Inspector', number: 'Q200', secret: '135790' };
let server: RunningSiteServer;
let caPem: string;
let office: RunningHarness;
let bench: RunningHarness;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

/** A client that speaks the protocol by hand, as an enrolled terminal: its window session ids are in plain sight. */
async function rawTerminal(name: string): Promise<{ link: SiteLink; open(): Promise<string>; call(session: string, channel: string, input?: unknown): Promise<{ status: number; body: Result<unknown> }> }> {
  const enrolled = (await siteLink(server.url, caPem, VERSION).send('POST', SITE_PATHS.enroll, { code: await server.newCode(), name }, 10_000)).body as EnrollAnswer;
  const link = siteLink(server.url, caPem, VERSION, () => enrolled.credential);
  return {
    link,
    open: async () => ((await link.send('POST', SITE_PATHS.sessions, {}, 10_000)).body as { session: string }).session,
    call: async (session, channel, input = {}) => {
      const answer = await link.send('POST', SITE_PATHS.call, { channel, session, input }, 30_000);
      return { status: answer.status, body: answer.body as Result<unknown> };
    },
  };
}

/** An item waiting at Quality Control, made and moved by the administrator at the office. */
async function itemAtQc(title: string): Promise<WorkItem> {
  let item = value<WorkItem>(await office.call('workItems.create', { title, workflowId: 'template:standard' }, 'admin-page'));
  item = value<WorkItem>(await office.call('workItems.submit', { id: item.id, expectedVersion: item.version }, 'admin-page'));
  return value<WorkItem>(await office.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'admin-page'));
}

/** How often the running server restarted its core in the process (from its output since it started). */
const restarts = () => server.output().match(/Restarting the core/g)?.length ?? 0;
const stateOf = async (terminal: RunningHarness, page: string) => value<SessionState>(await terminal.call('users.sessionState', {}, page));

beforeAll(async () => {
  server = await runSiteServer(projectRoot, { users: { scryptCost: 14 } });
  caPem = ((await siteLink(server.url, null, VERSION).send('GET', SITE_PATHS.hello, undefined, 10_000)).body as Hello).caPem;
  const start = () => runHarness(projectRoot, ['--data-dir', makeDataDir(), '--site', server.url]);
  [office, bench] = await Promise.all([start(), start()]);
  for (const [terminal, name] of [[office, 'Office'], [bench, 'QC bench']] as const) value(await enrollHarness(terminal, server, name));
  value(await office.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'admin-page'));
  value(await office.call('users.create', { name: INSPECTOR.name, number: INSPECTOR.number, role: 'staff', departments: ['QC'], secret: INSPECTOR.secret }, 'admin-page'));
}, 90_000);

afterAll(async () => {
  await Promise.all([office, bench].map((t) => t?.stop()));
  await server?.dispose();
});

describe('sign-ins at site terminals across restarts', () => {
  it('keeps a person signed in at their window through a stop and start of the server (SIGTERM): they work and sign', async () => {
    value(await bench.call('users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret }, 'qc-page'));
    const item = await itemAtQc('Across a stop');

    await server.stop();
    expect(server.exitCode()).toBe(0);
    await server.restart();

    // The terminal would open a new session for a window whose session the server forgot, and
    // nobody would be signed in at it: signed in means the same session.
    expect(await stateOf(bench, 'qc-page')).toMatchObject({ state: 'signed-in', user: { name: INSPECTOR.name } });
    expect(await stateOf(office, 'admin-page')).toMatchObject({ state: 'signed-in', user: { name: ADMIN.name } });
    expect((await bench.call('workItems.counts', {}, 'qc-page')).ok).toBe(true);
    // A wrong PIN signs nothing; the right one signs, checked in full (no verifier came through the restart).
    expect(await bench.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '000000' } }, 'qc-page')).toMatchObject({ ok: false });
    const signed = value<WorkItem>(await bench.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: INSPECTOR.secret } }, 'qc-page'));
    expect(signed.currentStep).toBe(2);
    const detail = value<{ events: { action: string; actor: { name: string } }[] }>(await office.call('workItems.get', { id: item.id }, 'admin-page'));
    expect(detail.events.at(-1)).toMatchObject({ action: 'approve', actor: { name: INSPECTOR.name } });
  }, 60_000);

  it('keeps the same window session signed in after the server is killed (SIGKILL) right after the sign-in', async () => {
    const desk = await rawTerminal('Desk');
    const session = await desk.open();
    expect((await desk.call(session, 'users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret })).body).toMatchObject({ ok: true, value: { state: 'signed-in' } });
    const item = await itemAtQc('Across a crash');

    await server.kill('SIGKILL');
    await server.restart();

    expect((await desk.call(session, 'users.sessionState')).body).toMatchObject({ ok: true, value: { state: 'signed-in', user: { name: INSPECTOR.name } } });
    const made = await desk.call(session, 'workItems.create', { title: 'Made after the crash', workflowId: 'template:standard' });
    expect(made.body).toMatchObject({ ok: true, value: { createdBy: { name: INSPECTOR.name } } });
    const signed = await desk.call(session, 'workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: INSPECTOR.secret } });
    expect(signed.body).toMatchObject({ ok: true, value: { currentStep: 2 } });
  }, 60_000);

  it('still refuses a session with another terminal’s credential after a restart', async () => {
    const a = await rawTerminal('Terminal A');
    const b = await rawTerminal('Terminal B');
    const session = await a.open();
    expect((await a.call(session, 'users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret })).body).toMatchObject({ ok: true });

    await server.stop();
    await server.restart();

    expect((await a.call(session, 'users.sessionState')).body).toMatchObject({ ok: true, value: { state: 'signed-in' } });
    const copied = await b.call(session, 'users.sessionState');
    expect(copied.status).toBe(401);
    expect(copied.body).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    expect((await b.call(session, 'workItems.counts')).status).toBe(401);
    // B's own sessions are B's: nobody is signed in at them.
    expect((await b.call(await b.open(), 'users.sessionState')).body).toMatchObject({ ok: true, value: { state: 'signed-out' } });
  }, 60_000);

  it('keeps people signed in through a module switched from a settings window (the core restarts in the process)', async () => {
    value(await bench.call('users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret }, 'qc-page'));
    const desk = await rawTerminal('Switch desk');
    const session = await desk.open();
    expect((await desk.call(session, 'users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret })).body).toMatchObject({ ok: true });
    const item = await itemAtQc('Across a module switch');

    expect(value(await office.call('modules.setEnabled', { name: 'comments', enabled: false }, 'admin-page'))).toEqual({ restartRequired: true });
    value(await office.call('app.restart', {}, 'admin-page'));
    await expect
      .poll(async () => value<AppStatus>(await office.call('app.status', {}, 'admin-page')).modules.find((m) => m.name === 'comments')?.state, { timeout: 10_000 })
      .toBe('disabled');
    expect(restarts()).toBe(1);

    expect(await stateOf(office, 'admin-page')).toMatchObject({ state: 'signed-in' });
    expect(await stateOf(bench, 'qc-page')).toMatchObject({ state: 'signed-in', user: { name: INSPECTOR.name } });
    expect((await desk.call(session, 'users.sessionState')).body).toMatchObject({ ok: true, value: { state: 'signed-in' } });
    const signed = value<WorkItem>(await bench.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: INSPECTOR.secret } }, 'qc-page'));
    expect(signed.currentStep).toBe(2);
  }, 60_000);

  it('signs everyone out when an administrator restores a backup', async () => {
    value(await bench.call('users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret }, 'qc-page'));
    const desk = await rawTerminal('Restore desk');
    const session = await desk.open();
    expect((await desk.call(session, 'users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret })).body).toMatchObject({ ok: true });
    // The backup holds these sign-ins (as hashes): the restore must not bring them back.
    value(await office.call('backups.start', {}, 'admin-page'));
    let job: BackupJob | null = null;
    await expect
      .poll(async () => (job = value<BackupsStatus>(await office.call('backups.status', {}, 'admin-page')).job)?.state, { timeout: 20_000 })
      .toBe('done');
    const restartsBefore = restarts();
    expect(value(await office.call('backups.restore', { name: job!.backup!.name }, 'admin-page'))).toMatchObject({ restarting: true });
    await expect.poll(() => restarts(), { timeout: 10_000 }).toBe(restartsBefore + 1);

    await expect.poll(async () => (await stateOf(bench, 'qc-page')).state, { timeout: 10_000 }).toBe('signed-out');
    expect(await bench.call('workItems.counts', {}, 'qc-page')).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    expect(await stateOf(office, 'admin-page')).toMatchObject({ state: 'signed-out' });
    // The window session ended with it: the server no longer knows it.
    expect((await desk.call(session, 'users.sessionState')).status).toBe(401);
    // People sign in again, and that sign-in is kept as before.
    value(await bench.call('users.signIn', { number: INSPECTOR.number, secret: INSPECTOR.secret }, 'qc-page'));
    await server.stop();
    await server.restart();
    expect(await stateOf(bench, 'qc-page')).toMatchObject({ state: 'signed-in' });
  }, 90_000);
});
