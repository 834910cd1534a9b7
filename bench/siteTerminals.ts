import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Result } from '../src/shared/errors';
import { SITE_PATHS, VERSION_HEADER, type EnrollAnswer, type ServerMessage } from '../src/shared/siteProtocol';
import type { Page, WorkItem } from '../src/shared/types';
import { siteLink, type SiteLink } from '../src/terminal/siteLink';
import type { BenchServer } from './siteServerProcess';

const VERSION = process.env['npm_package_version'] ?? '0.1.0';
const SEARCHES = ['pitot probe', 'brake assembly', 'APU starter', 'bleed air valve', 'yaw damper', 'cargo door seal', 'hydraulic pump'];

export interface BenchSample {
  op: string;
  ms: number;
  ok: boolean;
  conflict: boolean;
}

export interface BenchTerminal {
  /** Times (ms) from a change sent elsewhere to its event arriving here, since last emptied. */
  visibility: number[];
  refreshQueue(): Promise<void>;
  read(): Promise<BenchSample>;
  /** An e-signed approval (nine in ten) or rejection of an item waiting at this person's department. */
  transition(): Promise<BenchSample>;
  /** Without sign-in: create an item and approve it; the two commands' times. */
  createAndApprove(): Promise<{ transitions: number; ms: number[] }>;
  close(): void;
}

interface Person {
  number: string;
  secret: string;
  department: string;
}

/** Writes waiting to be seen: item id → when it was sent, and which terminal watches for it. */
const watched = new Map<number, { sentAt: number; observer: number }>();

/**
 * Simulated terminals, each enrolled with its own credential and code, with a window session and
 * (with `people`) a signed-in person; each listens on the events socket as a real terminal does.
 */
export async function connectTerminals(server: BenchServer, people: (Person | null)[], log: (m: string) => void): Promise<BenchTerminal[]> {
  const terminals: BenchTerminal[] = [];
  log(`Enrolling ${people.length} terminals${people[0] ? ' and signing their people in' : ''}…`);
  const enrolled = await Promise.all(
    people.map(async (_, i) => {
      const link = siteLink(server.url, server.caPem, VERSION);
      const answer = await link.send('POST', SITE_PATHS.enroll, { code: await server.newCode(), name: `Bench terminal ${i}` }, 60_000);
      link.close();
      if (answer.status !== 200) throw new Error(`enrolling: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body as EnrollAnswer;
    }),
  );
  for (let i = 0; i < people.length; i++) {
    terminals.push(await terminal(server, enrolled[i]!.credential, people[i] ?? null, i, people.length));
  }
  return terminals;
}

async function terminal(server: BenchServer, credential: string, person: Person | null, index: number, count: number): Promise<BenchTerminal> {
  const link: SiteLink = siteLink(server.url, server.caPem, VERSION, () => credential);
  const session = ((await link.send('POST', SITE_PATHS.sessions, {}, 30_000)).body as { session: string }).session;
  const call = async (channel: string, input: unknown, command = false): Promise<{ result: Result<unknown>; ms: number }> => {
    const started = performance.now();
    try {
      const answer = await link.send('POST', SITE_PATHS.call, { channel, session, input, ...(command ? { commandId: randomUUID() } : {}) }, 60_000);
      return { result: answer.body as Result<unknown>, ms: performance.now() - started };
    } catch (error) {
      // Counted as a failed operation, not the end of the run.
      return { result: { ok: false, error: { code: 'UNREACHABLE', message: (error as Error).message } }, ms: performance.now() - started };
    }
  };
  if (person) {
    const signedIn = await call('users.signIn', { number: person.number, secret: person.secret }, true);
    if (!signedIn.result.ok) throw new Error(`sign-in of ${person.number}: ${signedIn.result.error.message}`);
  }

  const visibility: number[] = [];
  const events = new WebSocket(`${server.url.replace('https', 'wss')}${SITE_PATHS.events}`, {
    ca: server.caPem,
    checkServerIdentity: (() => undefined) as unknown as () => boolean,
    headers: { [VERSION_HEADER]: VERSION, authorization: `Bearer ${credential}` },
  });
  events.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    if (message.type !== 'change') return;
    const now = performance.now();
    for (const id of message.event.items) {
      const watch = watched.get(id);
      if (watch && watch.observer === index) {
        visibility.push(now - watch.sentAt);
        watched.delete(id);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    events.once('open', () => resolve());
    events.once('error', reject);
  });

  let queue: WorkItem[] = [];
  const refreshQueue = async () => {
    if (!person) return;
    const { result } = await call('workItems.list', { status: 'active', step: person.department, sort: 'queue', limit: 50, offset: Math.floor(Math.random() * 20) * 50 });
    if (result.ok) queue = [...(result.value as Page<WorkItem>).rows].sort(() => Math.random() - 0.5);
  };
  const sample = (op: string, ms: number, result: Result<unknown>): BenchSample => ({
    op,
    ms,
    ok: result.ok,
    conflict: !result.ok && result.error.code === 'STALE_VERSION',
  });

  return {
    visibility,
    refreshQueue,
    async read() {
      const roll = Math.random();
      if (roll < 0.5 && person) {
        const { result, ms } = await call('workItems.list', { status: 'active', step: person.department, sort: 'queue', limit: 50 });
        if (result.ok) queue = [...(result.value as Page<WorkItem>).rows].sort(() => Math.random() - 0.5);
        return sample('queue page', ms, result);
      }
      if (roll < 0.85) {
        const id = queue[0]?.id ?? 1 + Math.floor(Math.random() * 1000);
        const { result, ms } = await call('workItems.get', { id });
        return sample('item view', ms, result);
      }
      const { result, ms } = await call('workItems.list', { search: SEARCHES[Math.floor(Math.random() * SEARCHES.length)], limit: 50 });
      return sample('search', ms, result);
    },
    async transition() {
      if (!queue.length) await refreshQueue();
      const item = queue.pop();
      if (!item || !person) return { op: 'e-signed approve', ms: 0, ok: false, conflict: true };
      const reject = Math.random() < 0.1 && item.currentStep !== null && item.currentStep > 0;
      const base = { id: item.id, expectedVersion: item.version, expectedStep: item.currentStep, signature: { secret: person.secret } };
      watched.set(item.id, { sentAt: performance.now(), observer: (index + 1) % count });
      const { result, ms } = reject
        ? await call('workItems.reject', { ...base, toStep: item.currentStep! - 1, comment: 'Bench: please recheck the torque values.' }, true)
        : await call('workItems.approve', base, true);
      return sample(reject ? 'e-signed reject' : 'e-signed approve', ms, result);
    },
    async createAndApprove() {
      const created = await call('workItems.create', { title: `Throughput ${index}-${randomUUID()}`, workflowId: 'template:standard', submit: true }, true);
      if (!created.result.ok) throw new Error(`workItems.create: ${created.result.error.message}`);
      const item = created.result.value as WorkItem;
      watched.set(item.id, { sentAt: performance.now(), observer: (index + 1) % count });
      const approved = await call('workItems.approve', { id: item.id, expectedVersion: item.version }, true);
      return { transitions: approved.result.ok ? 2 : 1, ms: [created.ms, approved.ms] };
    },
    close() {
      events.close();
      link.close();
    },
  };
}
