import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/errors';
import { SITE_PATHS, type EnrollAnswer, type Hello } from '../../src/shared/siteProtocol';
import type { WorkItem } from '../../src/shared/types';
import { siteLink, type SiteLink } from '../../src/terminal/siteLink';
import { runSiteServer, type RunningSiteServer } from '../support/siteServer';
import { projectRoot } from '../support/tempApp';

/**
 * A site server asked to stop (SIGTERM, as systemd does) while e-signed approvals are being checked
 * finishes them — each gets its answer — then exits cleanly; after a start they are all there.
 */
const VERSION = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
let server: RunningSiteServer;

beforeAll(async () => {
  // The shipped scrypt cost: each signature takes a while to check, so several are in flight at the stop.
  server = await runSiteServer(projectRoot, { users: true });
}, 60_000);
afterAll(async () => {
  await server?.dispose();
});

async function call<T>(client: SiteLink, session: string, channel: string, input: unknown, commandId?: string): Promise<T> {
  const answer = await client.send('POST', SITE_PATHS.call, { channel, session, input, ...(commandId ? { commandId } : {}) }, 30_000);
  const result = answer.body as Result<T>;
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

describe('stopping a site server', () => {
  it('finishes the e-signed approvals in flight, answers each, and exits 0', async () => {
    const caPem = ((await siteLink(server.url, null, VERSION).send('GET', SITE_PATHS.hello, undefined, 10_000)).body as Hello).caPem;
    const enrolled = (await siteLink(server.url, caPem, VERSION).send('POST', SITE_PATHS.enroll, { code: server.firstCode, name: 'Desk' }, 10_000)).body as EnrollAnswer;
    const client = siteLink(server.url, caPem, VERSION, () => enrolled.credential);
    const session = ((await client.send('POST', SITE_PATHS.sessions, {}, 10_000)).body as { session: string }).session;
    await call(client, session, 'users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret });
    const items: WorkItem[] = [];
    // Four: one person's signatures are checked one after another, and five at once would count as five
    // pending wrong attempts (see modules/users/attempts.ts) and lock them.
    for (let n = 0; n < 4; n++) items.push(await call<WorkItem>(client, session, 'workItems.create', { title: `Stop ${n}`, workflowId: 'template:standard', submit: true }));

    // Connections open first, so the approvals travel at once and are all at the server before the stop.
    await Promise.all(items.map(() => client.send('POST', SITE_PATHS.call, { channel: 'app.status', session, input: {} }, 10_000)));
    const approvals = items.map((item, n) =>
      client.send('POST', SITE_PATHS.call, { channel: 'workItems.approve', session, commandId: `stop-approval-${n}`, input: { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } } }, 30_000),
    );
    await new Promise((resolve) => setTimeout(resolve, 150)); // all arrived; the first signatures are being checked
    const stopped = server.stop();
    const answers = await Promise.all(approvals);
    await stopped;
    expect(server.exitCode()).toBe(0);
    for (const answer of answers) expect(answer.body, JSON.stringify(answer.body).slice(0, 400)).toMatchObject({ ok: true, value: { currentStep: 1 } });

    await server.restart();
    const again = siteLink(server.url, caPem, VERSION, () => enrolled.credential);
    const fresh = ((await again.send('POST', SITE_PATHS.sessions, {}, 10_000)).body as { session: string }).session;
    await call(again, fresh, 'users.signIn', { number: ADMIN.number, secret: ADMIN.secret });
    for (const item of items) expect((await call<{ item: WorkItem }>(again, fresh, 'workItems.get', { id: item.id })).item.currentStep).toBe(1);
  }, 60_000);
});
