import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { command } from '../../src/shared/channel';
import { discoveredModules } from '../../src/core/modules/discovered';
import { defineModule, type CallRequest, type ModuleContext, type RecordedChange, type TransitionContext } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { AppStatus, SessionActor, WorkItem } from '../../src/shared/types';
import { startApp, type TempApp } from '../support/tempApp';

/**
 * The seams a sign-in module (users) and an audit module build on, exercised with a small
 * fixture module: who is signed in per session, SIGNED_OUT for everyone else, admin-only
 * channels, a permission check before every handler (which may be asynchronous), an e-signature
 * checked there and only its outcome reaching guards, and the change feed.
 */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

const people: Record<string, SessionActor> = {
  ada: { id: 'user:ada', name: 'Ada Admin', role: 'admin', departments: ['Engineering'] },
  sam: { id: 'user:sam', name: 'Sam Staff', role: 'staff', departments: ['Quality Control'] },
};

function fixtureSignIn() {
  const signedIn = new Map<string, SessionActor>();
  const changes: RecordedChange[] = [];
  const guardSaw: unknown[] = [];
  const definition = defineModule({
    name: 'gatekeeper',
    version: '1.0.0',
    description: 'Test sign-in',
    contract: {
      'gatekeeper.signIn': command<SessionActor>()(z.strictObject({ who: z.enum(['ada', 'sam']) })),
      'gatekeeper.touch': command<{ ok: true }>()(z.strictObject({})),
    },
    setup: (ctx: ModuleContext<unknown>) => ({
      identity: {
        actorFor: (session: string) => signedIn.get(session) ?? null,
        canAdminister: (session: string) => signedIn.get(session)?.role === 'admin',
        publicChannels: ['gatekeeper.signIn'],
      },
      authorize: async ({ channel, input, call }: CallRequest) => {
        if (channel === 'workItems.cancel' && call.actor.role !== 'admin') throw new AppError('FORBIDDEN', 'Only an admin may cancel here.');
        const secret = (input as { signature?: { secret: string } }).signature?.secret;
        if (channel !== 'workItems.approve' || secret === undefined) return;
        await new Promise((resolve) => setTimeout(resolve, 5)); // as a slow KDF would
        if (secret !== '4711') throw new AppError('FORBIDDEN', 'PIN incorrect: nothing was signed.');
        call.signature = { signerId: call.actor.id };
      },
      guards: [(t: TransitionContext) => void guardSaw.push(t.signature)],
      on: { change: (c: RecordedChange) => void changes.push(c) },
      handlers: {
        'gatekeeper.signIn': ({ who }: { who: 'ada' | 'sam' }, call: { session: string }) => {
          signedIn.set(call.session, people[who]!);
          return people[who]!;
        },
        'gatekeeper.touch': (_input: unknown, call: { actor: SessionActor }) => {
          ctx.transaction(() => ctx.recordChange({ entity: 'thing', entityId: '1', action: 'touched', before: 1, after: 2 }, call.actor));
          return { ok: true as const };
        },
      },
    }),
  } as never);
  return { module: { folder: 'gatekeeper', definition }, changes, guardSaw };
}

function start() {
  const fixture = fixtureSignIn();
  let now = Date.parse('2026-06-01T08:00:00Z');
  const t = startApp({ modules: [...discoveredModules, fixture.module], clock: () => now++ });
  apps.push(t);
  return { t, ...fixture };
}

describe('a sign-in module decides who works at each terminal', () => {
  it('refuses every call from a signed-out terminal except its public channels and the status', async () => {
    const { t } = start();
    const status = await t.call<AppStatus>('app.status', {}, 'bench-1');
    expect(status).toMatchObject({ actor: null, signIn: true, canAdminister: false });
    for (const [channel, input] of [
      ['workItems.list', {}],
      ['workItems.create', { title: 'x', steps: [{ name: 'Engineering' }] }],
      ['departments.list', {}],
    ] as const) {
      const error = await t.fail(channel, input, 'bench-1');
      expect(error).toMatchObject({ code: 'SIGNED_OUT', message: 'Sign in first: nobody is signed in at this terminal.' });
    }
    await t.call('gatekeeper.signIn', { who: 'sam' }, 'bench-1');
    expect((await t.call('workItems.list', {}, 'bench-1')).total).toBe(0);
    // Signing in at one terminal signs in nobody at another.
    expect((await t.fail('workItems.list', {}, 'bench-2')).code).toBe('SIGNED_OUT');
    expect((await t.call<AppStatus>('app.status', {}, 'bench-1')).actor).toMatchObject({ name: 'Sam Staff', role: 'staff' });
  });

  it('refuses a typed operator name while people sign in', async () => {
    const { t } = start();
    await t.call('gatekeeper.signIn', { who: 'sam' }, 'bench-1');
    expect(await t.fail('operator.set', { name: 'Mallory' }, 'bench-1')).toMatchObject({ code: 'FORBIDDEN' });
    expect((await t.call<AppStatus>('app.status', {}, 'bench-1')).actor?.name).toBe('Sam Staff');
  });

  it('lets only administrators call admin channels, and changes nothing otherwise', async () => {
    const { t } = start();
    await t.call('gatekeeper.signIn', { who: 'sam' }, 'staff');
    await t.call('gatekeeper.signIn', { who: 'ada' }, 'office');
    const before = await t.call('departments.list', {}, 'staff');
    const refused = await t.fail('departments.create', { name: 'Stores', code: 'STO' }, 'staff');
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Only an administrator') });
    expect(await t.call('departments.list', {}, 'staff')).toEqual(before);
    expect((await t.fail('modules.setEnabled', { name: 'comments', enabled: false }, 'staff')).code).toBe('FORBIDDEN');
    expect((await t.call<AppStatus>('app.status', {}, 'staff')).modules.find((m) => m.name === 'comments')?.state).toBe('enabled');

    await t.call('departments.create', { name: 'Stores', code: 'STO' }, 'office');
    expect((await t.call<AppStatus>('app.status', {}, 'office')).canAdminister).toBe(true);
  });

  it("runs the module's permission check before the handler, and passes guards only that the e-signature was checked", async () => {
    const { t, guardSaw } = start();
    await t.call('gatekeeper.signIn', { who: 'sam' }, 'qc');
    const item = await t.call<WorkItem>('workItems.create', { title: 'Leak check', workflowId: 'template:standard', submit: true }, 'qc');
    expect(await t.fail('workItems.cancel', { id: item.id, expectedVersion: item.version }, 'qc')).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only an admin may cancel here.',
    });
    expect((await t.call<{ item: WorkItem }>('workItems.get', { id: item.id }, 'qc')).item.status).toBe('active');

    expect((await t.fail('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '0000' } }, 'qc')).message).toBe(
      'PIN incorrect: nothing was signed.',
    );
    expect(guardSaw).toEqual([]);
    await t.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '4711' } }, 'qc');
    await t.call('workItems.approve', { id: item.id, expectedVersion: item.version + 1 }, 'qc');
    expect(guardSaw).toEqual([{ signerId: 'user:sam' }, undefined]);
    const events = (await t.call<{ events: unknown[] }>('workItems.get', { id: item.id }, 'qc')).events;
    expect(JSON.stringify(events)).not.toContain('4711');
    expect((await t.fail('workItems.approve', { id: item.id, expectedVersion: 99, signature: { secret: '' } }, 'qc')).message).toBe(
      'signature.secret: Enter your PIN or password to sign',
    );
  });

  it('delivers reported changes, with who, when and from which terminal, to change subscribers; module switches are reported too', async () => {
    const { t, changes } = start();
    await t.call('gatekeeper.signIn', { who: 'ada' }, 'office');
    await t.call('gatekeeper.touch', {}, 'office');
    await t.call('modules.setEnabled', { name: 'comments', enabled: false }, 'office');
    // No terminal named in these calls: the session stands for it.
    expect(changes).toEqual([
      { entity: 'thing', entityId: '1', action: 'touched', before: 1, after: 2, actor: { id: 'user:ada', name: 'Ada Admin' }, at: expect.any(Number), terminal: 'office' },
      {
        entity: 'module',
        entityId: 'comments',
        action: 'switched-off',
        before: { state: 'enabled' },
        after: { enabled: false },
        actor: { id: 'user:ada', name: 'Ada Admin' },
        at: expect.any(Number),
        terminal: 'office',
      },
    ]);
  });
});

describe('without a sign-in module', () => {
  it('everyone may administer and the operator types a name, as before', async () => {
    const t = startApp();
    apps.push(t);
    expect(await t.call<AppStatus>('app.status')).toMatchObject({ signIn: false, canAdminister: true, actor: { name: expect.any(String) } });
    await t.call('departments.create', { name: 'Stores', code: 'STO' });
  });
});
