import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupJob, BackupsStatus } from '../../modules/backups/contract';
import type { Result } from '../../src/shared/errors';
import { SITE_PATHS, type EnrollAnswer, type Hello } from '../../src/shared/siteProtocol';
import { siteLink } from '../../src/terminal/siteLink';
import { runHarness, type RunningHarness } from '../support/harness';
import { enrollHarness, runSiteServer, type RunningSiteServer } from '../support/siteServer';
import { makeDataDir, projectRoot } from '../support/tempApp';

/**
 * Attacks on what ends a sign-in at a site server now that sign-ins outlive restarts: the ending
 * must hold through a crash right after it is answered, and through a restored backup.
 */
const VERSION = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
const MECHANIC = { name: 'Milo Mechanic', number: 'M300', secret: '246810' };
let server: RunningSiteServer;
let caPem: string;
let office: RunningHarness;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

async function rawTerminal(name: string) {
  const enrolled = (await siteLink(server.url, caPem, VERSION).send('POST', SITE_PATHS.enroll, { code: await server.newCode(), name }, 10_000)).body as EnrollAnswer;
  const link = siteLink(server.url, caPem, VERSION, () => enrolled.credential);
  return {
    id: enrolled.terminalId,
    open: async () => {
      const answer = await link.send('POST', SITE_PATHS.sessions, {}, 10_000);
      return { status: answer.status, session: (answer.body as { session?: string }).session };
    },
    call: async (session: string, channel: string, input: unknown = {}) => {
      const answer = await link.send('POST', SITE_PATHS.call, { channel, session, input }, 30_000);
      return { status: answer.status, body: answer.body as Result<unknown> };
    },
  };
}

const restarts = () => server.output().match(/Restarting the core/g)?.length ?? 0;

beforeAll(async () => {
  server = await runSiteServer(projectRoot, { users: { scryptCost: 14 } });
  caPem = ((await siteLink(server.url, null, VERSION).send('GET', SITE_PATHS.hello, undefined, 10_000)).body as Hello).caPem;
  office = await runHarness(projectRoot, ['--data-dir', makeDataDir(), '--site', server.url]);
  value(await enrollHarness(office, server, 'Office'));
  value(await office.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'admin-page'));
  value(await office.call('users.create', { name: MECHANIC.name, number: MECHANIC.number, role: 'staff', departments: [], secret: MECHANIC.secret }, 'admin-page'));
}, 90_000);

afterAll(async () => {
  await office?.stop();
  await server?.dispose();
});

describe('what ends a sign-in at a site server, under attack', () => {
  it('keeps a sign-out, a deactivation and a PIN reset when the server is killed right after answering them', async () => {
    const desk = await rawTerminal('Kill desk');
    const signedOut = (await desk.open()).session!;
    const deactivated = (await desk.open()).session!;
    const reset = (await desk.open()).session!;
    for (const s of [signedOut, deactivated, reset]) expect((await desk.call(s, 'users.signIn', { number: MECHANIC.number, secret: MECHANIC.secret })).body).toMatchObject({ ok: true });
    expect((await desk.call(signedOut, 'users.signOut')).body).toMatchObject({ ok: true, value: { state: 'signed-out' } });
    await server.kill('SIGKILL');
    await server.restart();
    expect((await desk.call(signedOut, 'users.sessionState')).body).toMatchObject({ ok: true, value: { state: 'signed-out' } });
    expect((await desk.call(deactivated, 'users.sessionState')).body).toMatchObject({ ok: true, value: { state: 'signed-in' } });

    const mechanic = value<{ id: number }[]>(await office.call('users.list', {}, 'admin-page')).find((u) => (u as unknown as { number: string }).number === MECHANIC.number)!;
    value(await office.call('users.resetSecret', { id: mechanic.id, secret: '975310' }, 'admin-page'));
    await server.kill('SIGKILL');
    await server.restart();
    for (const s of [deactivated, reset]) expect((await desk.call(s, 'users.sessionState')).body).toMatchObject({ ok: true, value: { state: 'signed-out' } });
    expect((await desk.call(deactivated, 'users.signIn', { number: MECHANIC.number, secret: '975310' })).body).toMatchObject({ ok: true });
    value(await office.call('users.setActive', { id: mechanic.id, active: false }, 'admin-page'));
    await server.kill('SIGKILL');
    await server.restart();
    expect((await desk.call(deactivated, 'users.sessionState')).body).toMatchObject({ ok: true, value: { state: 'signed-out' } });
    expect((await desk.call(deactivated, 'workItems.counts')).body).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    value(await office.call('users.setActive', { id: mechanic.id, active: true }, 'admin-page'));
  }, 90_000);

  it('keeps a terminal revoked after a backup revoked when that backup is restored: its credential opens no session and calls nothing', async () => {
    const stolen = await rawTerminal('Stolen laptop');
    const before = await stolen.open();
    expect(before.status).toBe(200);
    // The backup is made while the terminal is still trusted.
    value(await office.call('backups.start', {}, 'admin-page'));
    let job: BackupJob | null = null;
    await expect
      .poll(async () => (job = value<BackupsStatus>(await office.call('backups.status', {}, 'admin-page')).job)?.state, { timeout: 20_000 })
      .toBe('done');
    // Then it is stolen, and revoked.
    value(await office.call('site.revokeTerminal', { id: stolen.id }, 'admin-page'));
    expect((await stolen.open()).status).toBe(401);

    // Later an administrator restores that backup (a mistake was made since).
    const restartsBefore = restarts();
    value(await office.call('backups.restore', { name: job!.backup!.name }, 'admin-page'));
    await expect.poll(() => restarts(), { timeout: 10_000 }).toBe(restartsBefore + 1);
    await expect.poll(async () => (await office.call('app.status', {}, 'admin-page')).ok, { timeout: 10_000 }).toBe(true);

    // The stolen terminal must still be refused: a restore may bring back data, not trust that was taken away.
    const after = await stolen.open();
    expect(after.status).toBe(401);
    if (after.session) expect((await stolen.call(after.session, 'users.directory', {})).status).toBe(401);
  }, 90_000);
});
