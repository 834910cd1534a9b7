import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/errors';
import { SITE_PATHS, type EnrollAnswer, type Hello } from '../../src/shared/siteProtocol';
import { siteLink, type SiteLink } from '../../src/terminal/siteLink';
import { runSiteServer, type RunningSiteServer } from '../support/siteServer';
import { projectRoot } from '../support/tempApp';

/**
 * What an attacker found in site mode, each kept fixed here: through the real server process,
 * speaking the protocol by hand as an enrolled terminal (or someone with a copy of its files) would.
 */
const VERSION = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
let server: RunningSiteServer;
let caPem: string;

const client = (credential: string | null = null): SiteLink => siteLink(server.url, caPem, VERSION, () => credential);

async function enrolled(name: string): Promise<{ link: SiteLink; session: string }> {
  const answer = await client().send('POST', SITE_PATHS.enroll, { code: await server.newCode(), name }, 10_000);
  if (answer.status !== 200) throw new Error(`enroll: ${answer.status} ${JSON.stringify(answer.body)}`);
  const link = client((answer.body as EnrollAnswer).credential);
  const session = ((await link.send('POST', SITE_PATHS.sessions, {}, 10_000)).body as { session: string }).session;
  return { link, session };
}

const call = async (at: { link: SiteLink; session: string }, channel: string, input: unknown, commandId?: string) =>
  (await at.link.send('POST', SITE_PATHS.call, { channel, session: at.session, input, ...(commandId ? { commandId } : {}) }, 10_000)).body as Result<unknown>;

beforeAll(async () => {
  server = await runSiteServer(projectRoot, { users: true });
  caPem = ((await siteLink(server.url, null, VERSION).send('GET', SITE_PATHS.hello, undefined, 10_000)).body as Hello).caPem;
}, 60_000);
afterAll(async () => {
  await server?.dispose();
});

describe('site mode under attack', () => {
  it('keeps no secret shown once (recovery codes, enrollment codes) in the command log, where a copy of the database or a backup would give it away', async () => {
    const desk = await enrolled('Admin desk');
    const setUp = await call(desk, 'users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'setup-admin-0001');
    expect(setUp.ok).toBe(true);
    const recoveryCode = (setUp as { value: { recoveryCode: string } }).value.recoveryCode;
    const made = await call(desk, 'site.createEnrollmentCode', {}, 'new-code-00000001');
    expect(made.ok).toBe(true);
    const enrollmentCode = (made as { value: { code: string } }).value.code;
    const renewed = await call(desk, 'users.newRecoveryCode', { secret: ADMIN.secret }, 'new-recovery-0001');
    expect(renewed.ok).toBe(true);
    const newRecoveryCode = (renewed as { value: { recoveryCode: string } }).value.recoveryCode;
    // The answers are kept a moment after they are sent (in one write for many): wait for that.
    await new Promise((resolve) => setTimeout(resolve, 800));

    const db = new Database(join(server.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
    try {
      const kept = db.prepare('select channel, result from core_commands').all() as { channel: string; result: string | null }[];
      expect(kept.map((row) => row.channel)).toEqual(expect.arrayContaining(['users.setupFirstAdmin', 'site.createEnrollmentCode', 'users.newRecoveryCode']));
      const everything = JSON.stringify(kept);
      for (const secret of [recoveryCode, enrollmentCode, newRecoveryCode]) expect(everything).not.toContain(secret);
    } finally {
      db.close();
    }
    // A retry with the same key (its answer lost) is not applied again, and is told so.
    const retried = await call(desk, 'site.createEnrollmentCode', {}, 'new-code-00000001');
    expect(retried).toMatchObject({ ok: false, error: { code: 'STALE_VERSION', details: { alreadyApplied: true } } });
  });

  it('gives a command id’s kept answer only to a retry of the same call, not to another call that reuses the id', async () => {
    const desk = await enrolled('Reusing desk');
    expect((await call(desk, 'users.signIn', { number: ADMIN.number, secret: ADMIN.secret })).ok).toBe(true);
    const created = await call(desk, 'workItems.create', { title: 'Kept answer', steps: [{ name: 'Engineering' }] }, 'reused-key-0001');
    expect(created.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The same key on another channel is not a retry: it neither runs nor gets the item back.
    const other = await call(desk, 'departments.create', { name: 'Avionics', code: 'AVI' }, 'reused-key-0001');
    expect(other).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.stringify(other)).not.toContain('Kept answer');
    // A real retry still gets the kept answer.
    expect(await call(desk, 'workItems.create', { title: 'Kept answer', steps: [{ name: 'Engineering' }] }, 'reused-key-0001')).toEqual(created);
  });
});

describe('the server command line', () => {
  it('sends its admin token only to the server holding this data folder’s certificate, not to whatever listens on the port', async () => {
    const { createServer } = await import('node:https');
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { loadOrCreateSiteTls } = await import('../../src/server/siteCa');
    // The site's data folder (its CA and the running server's token), and another program on the port
    // (another user's process on the server machine, or a wrong --port), with a certificate of its own.
    const dataDir = mkdtempSync(join(tmpdir(), 'aw-cli-'));
    await loadOrCreateSiteTls(dataDir);
    writeFileSync(join(dataDir, 'server-admin.token'), 'the-admin-token-of-the-running-server');
    const impostorDir = mkdtempSync(join(tmpdir(), 'aw-impostor-'));
    const impostorTls = await loadOrCreateSiteTls(impostorDir);
    const heard: (string | undefined)[] = [];
    const impostor = createServer({ key: impostorTls.keyPem, cert: impostorTls.certChainPem }, (request, response) => {
      heard.push(request.headers['x-aw-admin-token'] as string | undefined);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'FAKE-FAKE-FAKE', expiresAt: new Date().toISOString() }));
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const port = (impostor.address() as { port: number }).port;
    try {
      const exitCode = await new Promise<number | null>((resolve) => {
        const cli = spawn(process.execPath, [join(projectRoot, 'out', 'main', 'server.js'), '--data-dir', dataDir, '--port', String(port), '--new-enrollment-code'], { stdio: 'ignore' });
        cli.on('exit', resolve);
      });
      expect(heard).toEqual([]);
      expect(exitCode).toBe(1);
    } finally {
      impostor.close();
      for (const dir of [dataDir, impostorDir]) rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
