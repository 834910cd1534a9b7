import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/errors';
import { SITE_PATHS, VERSION_HEADER, type EnrollAnswer, type Hello } from '../../src/shared/siteProtocol';
import type { TerminalState } from '../../src/shared/terminalContract';
import type { WorkItem } from '../../src/shared/types';
import { siteLink, type SiteLink } from '../../src/terminal/siteLink';
import { runHarness } from '../support/harness';
import { enrollHarness, runSiteServer, type RunningSiteServer } from '../support/siteServer';
import { makeDataDir, projectRoot } from '../support/tempApp';

/**
 * What a site server gives to whom: an enrolled terminal gets the contract; anyone else (never
 * enrolled, revoked, another version, someone else's session) gets nothing but the enrollment
 * endpoint; a terminal that meets another certificate refuses to talk.
 */
const VERSION = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
let server: RunningSiteServer;
let caPem: string;

/** A client that speaks the protocol by hand, pinned to the site CA, with an optional credential. */
const rawClient = (credential: string | null = null, version = VERSION): SiteLink => siteLink(server.url, caPem, version, () => credential);

async function enrollRaw(name: string, code?: string): Promise<EnrollAnswer> {
  const answer = await rawClient().send('POST', SITE_PATHS.enroll, { code: code ?? (await server.newCode()), name }, 10_000);
  if (answer.status !== 200) throw new Error(`enroll: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as EnrollAnswer;
}

beforeAll(async () => {
  server = await runSiteServer(projectRoot);
  const hello = await siteLink(server.url, null, VERSION).send('GET', SITE_PATHS.hello, undefined, 10_000);
  caPem = (hello.body as Hello).caPem;
}, 60_000);
afterAll(async () => {
  await server?.dispose();
});

describe('who the site server answers', () => {
  it('gives a client that is not enrolled nothing but the enrollment endpoint', async () => {
    const stranger = rawClient('t_madeup.secret');
    for (const path of [SITE_PATHS.sessions, SITE_PATHS.call]) {
      const answer = await stranger.send('POST', path, { channel: 'users.directory', session: 'x', input: {} }, 10_000);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ ok: false, error: { code: 'NOT_ENROLLED' } });
    }
    const anonymous = await rawClient(null).send('POST', SITE_PATHS.call, { channel: 'app.status', session: 'x', input: {} }, 10_000);
    expect(anonymous.status).toBe(401);
    // The events socket too: refused before the upgrade.
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(server.url.replace('https', 'wss') + SITE_PATHS.events, { ca: caPem, headers: { [VERSION_HEADER]: VERSION } });
      ws.on('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(401);
    // Any other path: nothing.
    expect((await stranger.send('GET', '/', undefined, 10_000)).status).toBe(404);
  });

  it('refuses a client of another version, naming both versions', async () => {
    const other = rawClient(null, '9.9.9');
    const answer = await other.send('GET', SITE_PATHS.hello, undefined, 10_000);
    expect(answer.status).toBe(409);
    expect((answer.body as { error: { message: string } }).error.message).toContain(`This terminal runs Aviation Workflow 9.9.9 and the site server runs ${VERSION}`);
    expect(answer.serverVersion).toBe(VERSION);
  });

  it('uses an enrollment code once, even when five terminals try it at the same moment', async () => {
    const code = await server.newCode();
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => rawClient().send('POST', SITE_PATHS.enroll, { code, name: `Racer ${i}` }, 10_000)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const refused of answers.filter((a) => a.status !== 200)) expect(refused.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const wrong = await rawClient().send('POST', SITE_PATHS.enroll, { code: 'AAAA-BBBB-CCCC', name: 'Guesser' }, 10_000);
    expect(wrong.status).toBe(403);
  });

  it('does not let a session issued to one terminal be used with another terminal’s credential', async () => {
    const a = await enrollRaw('Terminal A');
    const b = await enrollRaw('Terminal B');
    const clientA = rawClient(a.credential);
    const clientB = rawClient(b.credential);
    const session = ((await clientA.send('POST', SITE_PATHS.sessions, {}, 10_000)).body as { session: string }).session;
    expect(session).toMatch(/^s_[A-Za-z0-9_-]{43}$/);
    const own = await clientA.send('POST', SITE_PATHS.call, { channel: 'app.status', session, input: {} }, 10_000);
    expect((own.body as Result<unknown>).ok).toBe(true);
    const copied = await clientB.send('POST', SITE_PATHS.call, { channel: 'app.status', session, input: {} }, 10_000);
    expect(copied.status).toBe(401);
    expect(copied.body).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    // A credential with the right id and a wrong secret is no credential.
    const forged = rawClient(`${a.terminalId}.${'A'.repeat(43)}`);
    expect((await forged.send('POST', SITE_PATHS.sessions, {}, 10_000)).status).toBe(401);
  });

  it('applies a command sent twice with one key once, and answers both with the same result', async () => {
    const { credential } = await enrollRaw('Retrying terminal');
    const client = rawClient(credential);
    const session = ((await client.send('POST', SITE_PATHS.sessions, {}, 10_000)).body as { session: string }).session;
    const title = `Idempotent ${Date.now()}`;
    const call = { channel: 'workItems.create', session, commandId: 'cmd-0123456789', input: { title, steps: [{ name: 'Engineering' }], submit: true } };
    const [first, second] = await Promise.all([client.send('POST', SITE_PATHS.call, call, 10_000), client.send('POST', SITE_PATHS.call, call, 10_000)]);
    const later = await client.send('POST', SITE_PATHS.call, call, 10_000);
    const ids = [first, second, later].map((a) => ((a.body as Result<WorkItem>) as { value: WorkItem }).value.id);
    expect(new Set(ids).size).toBe(1);
    const list = await client.send('POST', SITE_PATHS.call, { channel: 'workItems.list', session, input: { search: title } }, 10_000);
    expect(((list.body as { value: { total: number } }).value).total).toBe(1);
    // The same key from another terminal is another command.
    const other = rawClient((await enrollRaw('Other terminal')).credential);
    const otherSession = ((await other.send('POST', SITE_PATHS.sessions, {}, 10_000)).body as { session: string }).session;
    const fromOther = await other.send('POST', SITE_PATHS.call, { ...call, session: otherSession }, 10_000);
    expect(((fromOther.body as { value: WorkItem }).value).id).not.toBe(ids[0]);
  });

  it('cuts a revoked terminal off at once: calls, and its open event stream', async () => {
    const admin = await runHarness(projectRoot, ['--data-dir', makeDataDir(), '--site', server.url]);
    const victim = await runHarness(projectRoot, ['--data-dir', makeDataDir(), '--site', server.url]);
    try {
      expect((await enrollHarness(admin, server, 'Admin desk')).ok).toBe(true);
      const enrolled = await enrollHarness(victim, server, 'Lost laptop');
      expect(enrolled.ok).toBe(true);
      expect((await victim.call('workItems.counts', {})).ok).toBe(true);
      const list = (await admin.call('site.terminals', {})) as { ok: true; value: { id: string; name: string }[] };
      const id = list.value.find((t) => t.name === 'Lost laptop')!.id;
      expect((await admin.call('site.revokeTerminal', { id })).ok).toBe(true);
      // Before the victim calls anything: its event stream was closed by the server, and it knows why.
      await expect
        .poll(async () => ((await victim.call('terminal.state', {})) as { ok: true; value: TerminalState }).value, { timeout: 5000 })
        .toMatchObject({ connection: 'refused', problem: expect.stringContaining('revoked') });
      expect(await victim.call('workItems.counts', {})).toMatchObject({ ok: false, error: { code: 'NOT_ENROLLED' } });
      const after = (await admin.call('site.terminals', {})) as { ok: true; value: { name: string; revokedAt: string | null }[] };
      expect(after.value.find((t) => t.name === 'Lost laptop')!.revokedAt).not.toBeNull();
    } finally {
      await Promise.all([admin.stop(), victim.stop()]);
    }
  }, 60_000);

  it('makes a terminal pointed at a server with another certificate refuse to talk to it', async () => {
    const impostor = await runSiteServer(projectRoot);
    const dataDir = makeDataDir();
    let terminal = await runHarness(projectRoot, ['--data-dir', dataDir, '--site', server.url]);
    try {
      expect((await enrollHarness(terminal, server, 'Moved terminal')).ok).toBe(true);
      await terminal.stop();
      // The same terminal, its settings now naming the other server's address (a DNS change, a spoofed address).
      const file = join(dataDir, 'terminal.json');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), server: impostor.url }));
      terminal = await runHarness(projectRoot, ['--data-dir', dataDir, '--site', impostor.url]);
      const result = await terminal.call('workItems.counts', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'INCOMPATIBLE' } });
      expect((result as { error: { message: string } }).error.message).toContain('another authority');
      const state = (await terminal.call('terminal.state', {})) as { ok: true; value: TerminalState };
      expect(state.value.connection).toBe('refused');
    } finally {
      await terminal.stop();
      await impostor.dispose();
    }
  }, 60_000);

  // Last: it leaves this address unable to enroll for ten minutes.
  it('stops enrolling from an address that sent ten wrong codes, even with a right one', async () => {
    // Earlier tests here already sent five wrong codes (the race's losers, one wrong code).
    const statuses: number[] = [];
    for (let n = 0; n < 6; n++) {
      statuses.push((await rawClient().send('POST', SITE_PATHS.enroll, { code: `WRNG-CODE-${String(n).padStart(4, '0')}`, name: 'Guesser' }, 10_000)).status);
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
    const right = await rawClient().send('POST', SITE_PATHS.enroll, { code: await server.newCode(), name: 'Guesser' }, 10_000);
    expect(right.status).toBe(429);
  });
});
