/**
 * Calls taking turns on SQLite's one connection (src/core/storage/connectionLock.ts), attacked
 * through a real app (app.invoke, a real database): no call may wait forever for one that waits
 * for it, no work may land in another call's open transaction, and every call is answered.
 */
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoveredModules } from '../../src/core/modules/discovered';
import { z } from 'zod';
import { defineModule, type ModuleContext } from '../../src/core/modules/types';
import { command, query } from '../../src/shared/channel';
import type { Result } from '../../src/shared/errors';
import type { WorkItem } from '../../src/shared/types';
import { makeDataDir, projectRoot, startApp, type StartOptions, type TempApp } from '../support/tempApp';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
const start = (options: StartOptions = {}) => {
  const t = startApp({ clock: () => Date.parse('2026-03-02T08:00:00Z'), ...options });
  apps.push(t);
  return t;
};

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

/** What a promise settles to, or 'still waiting' if it has not after ms (a frozen connection never settles). */
const within = <T>(promise: Promise<T>, ms = 3_000): Promise<T | 'still waiting'> =>
  Promise.race([promise, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms).unref())]);

const value = <T>(r: Result<unknown> | 'still waiting'): T => {
  if (r === 'still waiting') throw new Error('the call was never answered');
  if (!r.ok) throw new Error(`refused: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};

const steps = [{ name: 'Engineering' }, { name: 'Quality Control' }];

/**
 * A module whose transition subscriber is asynchronous (the module API allows it) and waits for
 * something that is not the database, inside the transition's transaction, until `go` is opened;
 * it then fails when `fail` is set. Before waiting it asks for a deferred job (ctx.soon) that
 * writes a note in a transaction of its own.
 */
function slowSubscriber() {
  const probe = {
    ctx: undefined as ModuleContext<unknown> | undefined,
    go: gate(),
    waiting: gate(),
    fail: false,
    jobRan: gate(),
  };
  const note = () => {
    probe.ctx!.transaction(() => probe.ctx!.db.$client.prepare('insert into probe_notes (body) values (?)').run('deferred'));
    probe.jobRan.open();
  };
  const module = {
    folder: 'probe',
    definition: defineModule({
      name: 'probe',
      version: '1.0.0',
      description: 'a slow asynchronous subscriber',
      setup: (ctx: ModuleContext<unknown>) => {
        probe.ctx = ctx;
        ctx.db.$client.exec('create table if not exists probe_notes (id integer primary key, body text not null)');
        return {
          on: {
            transition: async () => {
              ctx.soon(note);
              probe.waiting.open();
              await probe.go.opened;
              if (probe.fail) throw new Error('the slow subscriber failed');
            },
          },
        };
      },
    }),
  };
  return { probe, modules: [...discoveredModules, module] };
}

/** Every item's events are exactly its versions, and its row is where its last event left it; returns the items counted. */
function consistent(t: TempApp): number {
  const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    const items = db.prepare('select id, version, status, current_step as step from work_items').all() as { id: number; version: number; status: string; step: number | null }[];
    for (const item of items) {
      const events = db.prepare('select seq, to_status as status, to_step as step from transition_events where item_id = ? order by seq').all(item.id) as {
        seq: number;
        status: string;
        step: number | null;
      }[];
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.length).toBe(item.version);
      expect(events.at(-1)).toMatchObject({ status: item.status, step: item.step });
    }
    return items.length;
  } finally {
    db.close();
  }
}

const notes = (t: TempApp) => {
  const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    return (db.prepare('select body from probe_notes').all() as { body: string }[]).map((r) => r.body);
  } finally {
    db.close();
  }
};

describe('calls that wait for each other', () => {
  it('two checks of the audit trail at once (two administrators) both finish: the second waits for the first without holding the connection', async () => {
    const t = start();
    for (let i = 0; i < 3; i++) await t.call('workItems.create', { title: `Item ${i}`, steps, submit: true });
    const [first, second] = await Promise.all([within(t.app.invoke('audit.verify', {})), within(t.app.invoke('audit.verify', {}))]);
    expect(value(first)).toMatchObject({ ok: true });
    expect(value(second)).toMatchObject({ ok: true });
    // And the hangar goes on.
    expect(value(await within(t.app.invoke('workItems.list', {})))).toBeTruthy();
  });
});

/** A module on the storage port: its transition subscriber writes its record with a run of its own (a savepoint in the transition's). */
function portSubscriber() {
  const module = {
    folder: 'probe',
    definition: defineModule({
      name: 'probe',
      version: '1.0.0',
      description: 'records each transition through the storage port',
      setup: (ctx: ModuleContext<unknown>) => {
        ctx.db.$client.exec('create table if not exists probe_notes (id integer primary key, body text not null)');
        return {
          on: {
            transition: async ({ after }) => {
              await ctx.storage.run((tx) => tx.run(sql`insert into probe_notes (body) values (${`item ${after.id} v${after.version}`})`));
            },
          },
        };
      },
    }),
  };
  return [...discoveredModules, module];
}

/** Another program holding `file` exclusively (no one may read it) until release(). */
function holdExclusively(file: string): Promise<{ release(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const D = require(${JSON.stringify(join(projectRoot, 'node_modules', 'better-sqlite3'))});
       const db = new D(${JSON.stringify(file)});
       db.exec('begin exclusive; insert into t values (2)');
       console.log('holding');
       process.stdin.on('data', () => { db.exec('rollback'); db.close(); process.exit(0); });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
    child.stdout.once('data', () =>
      resolve({
        release: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.stdin.write('go\n');
          }),
      }),
    );
  });
}

describe('calls that wait for work that is not the database', () => {
  it('the backups list waiting for the start-up check of a copy does not hold up the other calls', async () => {
    const dataDir = makeDataDir();
    startApp({}, dataDir).app.close();
    mkdirSync(join(dataDir, 'backups'), { recursive: true });
    // A copy found unchecked at start (as a pre-restore copy is): checked on a worker, which waits while another program has it locked.
    const copy = join(dataDir, 'backups', 'pre-restore-2026-03-01T08-00-00.000Z.sqlite');
    const file = new Database(copy);
    file.exec('create table t (n integer)');
    file.close();
    const other = await holdExclusively(copy);
    let list: Promise<Result<unknown>>;
    try {
      const t = startApp({ clock: () => Date.parse('2026-03-02T08:00:00Z') }, dataDir);
      apps.push(t);
      list = t.app.invoke('backups.list', {});
      expect(value(await within(t.app.invoke('app.status', {}), 2_000))).toMatchObject({ problems: expect.any(Array) });
    } finally {
      await other.release();
    }
    const listed = value<{ name: string; verification: { state: string } }[]>(await within(list));
    expect(listed.map((b) => b.verification.state)).toEqual(['failed']);
  });
});

describe('runs inside runs', () => {
  it('a bulk sign-off whose transitions each run a module\'s own run (a savepoint in a savepoint) finishes and commits', async () => {
    const t = start({ modules: portSubscriber() });
    const items: WorkItem[] = [];
    for (let i = 0; i < 3; i++) items.push(await t.call<WorkItem>('workItems.create', { title: `Item ${i}`, steps, submit: true }));
    const shown = items.map((item) => ({ id: item.id, expectedVersion: item.version, expectedStep: item.currentStep }));
    const result = value<{ approved: WorkItem[]; refused: unknown[] }>(await within(t.app.invoke('workItems.approveMany', { items: shown })));
    expect(result.approved).toHaveLength(3);
    expect(notes(t).sort()).toEqual(items.map((item) => `item ${item.id} v2`).sort());
  });
});

type FailAt = 'nowhere' | 'authorizer' | 'handler run' | 'sync transaction' | 'guard' | 'transition subscriber' | 'created subscriber' | 'commit' | 'released wait';

/**
 * A module that makes the call it is told about fail at one point, after an await (so the
 * failure comes while the call holds the connection across its turn), having written first
 * where it can: in the authorizer, in its own handler's run, a synchronous transaction, a guard,
 * a subscriber (a savepoint in a bulk sign-off), at COMMIT (a deferred foreign key), or in a
 * wait given up with released.
 */
function failingModule() {
  const probe = { failAt: 'nowhere' as FailAt, sqlite: undefined as Database.Database | undefined };
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const note = (ctx: ModuleContext<unknown>, body: string) => ctx.db.$client.prepare('insert into probe_notes (body) values (?)').run(body);
  const module = {
    folder: 'probe',
    definition: defineModule({
      name: 'probe',
      version: '1.0.0',
      description: 'fails where it is told',
      contract: { 'probe.write': command<string>()(z.strictObject({})) },
      setup: (ctx: ModuleContext<unknown>) => {
        probe.sqlite = ctx.db.$client;
        ctx.db.$client.exec(`
          create table if not exists probe_notes (id integer primary key, body text not null);
          create table if not exists probe_links (item integer not null references work_items (id) deferrable initially deferred)`);
        const failing = async (at: FailAt) => {
          await tick();
          if (probe.failAt === at) throw new Error(`failed in the ${at}`);
        };
        return {
          authorize: async ({ channel }) => {
            if (channel === 'probe.write' || channel.startsWith('workItems.')) await failing('authorizer');
          },
          guards: [() => failing('guard')],
          on: {
            created: async ({ item }) => {
              await ctx.storage.run((tx) => tx.run(sql`insert into probe_notes (body) values (${`created ${item.id}`})`));
              await failing('created subscriber');
            },
            transition: async ({ after }) => {
              await ctx.storage.run((tx) => tx.run(sql`insert into probe_notes (body) values (${`moved ${after.id} v${after.version}`})`));
              if (probe.failAt === 'commit') await ctx.storage.run((tx) => tx.run(sql`insert into probe_links (item) values (${999_999})`));
              await failing('transition subscriber');
            },
          },
          handlers: {
            'probe.write': async () => {
              await ctx.storage.run(async (tx) => {
                await tx.run(sql`insert into probe_notes (body) values (${'handler'})`);
                await failing('handler run');
              });
              ctx.transaction(() => {
                note(ctx, 'sync');
                if (probe.failAt === 'sync transaction') throw new Error('failed in the sync transaction');
              });
              await ctx.storage.released(() => failing('released wait'));
              return 'written';
            },
          },
        };
      },
    }),
  };
  return { probe, modules: [...discoveredModules, module] };
}

describe('a call that fails', () => {
  it('at any point hands the connection on, leaves no transaction open and nothing of its own written', async () => {
    const { probe, modules } = failingModule();
    const t = start({ modules });
    const points: FailAt[] = ['authorizer', 'handler run', 'sync transaction', 'guard', 'transition subscriber', 'created subscriber', 'commit', 'released wait'];
    const written: string[] = [];
    for (const failAt of points) {
      probe.failAt = 'nowhere';
      const item = await t.call<WorkItem>('workItems.create', { title: `Before ${failAt}`, steps, submit: true });
      const other = await t.call<WorkItem>('workItems.create', { title: `Beside ${failAt}`, steps, submit: true });
      probe.failAt = failAt;
      const shown = [item, other].map((i) => ({ id: i.id, expectedVersion: i.version, expectedStep: i.currentStep }));
      // Each call at once, with a call behind them that must still get its turn.
      const answers = await Promise.all([
        within(t.app.invoke('probe.write', {})),
        within(t.app.invoke('workItems.create', { title: `During ${failAt}`, steps, submit: true })),
        within(t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version })),
        within(t.app.invoke('workItems.approveMany', { items: shown })),
      ]);
      probe.failAt = 'nowhere';
      const behind = await within(t.app.invoke('workItems.get', { id: other.id }));
      expect(answers).not.toContain('still waiting');
      expect(value(behind)).toBeTruthy();
      expect(probe.sqlite!.inTransaction).toBe(false);
      expect(answers.filter((a) => a !== 'still waiting' && !a.ok).length, failAt).toBeGreaterThan(0);
      // probe.write commits its run, then its synchronous transaction, each on its own, then waits.
      const stage = ['authorizer', 'handler run', 'sync transaction'].indexOf(failAt);
      written.push(...['handler', 'sync'].slice(0, stage < 0 ? 2 : Math.max(0, stage - 1)));
    }
    expect(consistent(t)).toBeGreaterThan(0);
    // The module's notes were written with what they note, or not at all: one per item created, one
    // per move of an item, and those of probe.write's transactions that committed.
    const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
    try {
      const items = db.prepare('select id from work_items').all() as { id: number }[];
      const moves = db.prepare('select item_id as id, seq from transition_events where seq > 1').all() as { id: number; seq: number }[];
      const expected = [
        ...items.map((i) => `created ${i.id}`),
        ...moves.map((m) => `moved ${m.id} v${m.seq}`),
        ...written,
      ];
      expect(notes(t).sort()).toEqual(expected.sort());
    } finally {
      db.close();
    }
  });
});

/** A module whose deferred job starts a run on the port (a job cannot await it), which waits for `go`, then fails when `fail` is set. */
function jobStartingARun() {
  const probe = { go: gate(), begun: gate(), fail: true, ran: undefined as Promise<unknown> | undefined };
  const module = {
    folder: 'probe',
    definition: defineModule({
      name: 'probe',
      version: '1.0.0',
      description: 'a deferred job that starts a run',
      contract: {
        'probe.later': command<null>()(z.strictObject({})),
        'probe.now': command<null>()(z.strictObject({})),
        'probe.note': command<string>()(z.strictObject({})),
      },
      setup: (ctx: ModuleContext<unknown>) => {
        ctx.db.$client.exec('create table if not exists probe_notes (id integer primary key, body text not null)');
        const job = () => {
          probe.ran = ctx.storage
            .run(async (tx) => {
              await tx.run(sql`insert into probe_notes (body) values (${'job'})`);
              probe.begun.open();
              await probe.go.opened;
              if (probe.fail) throw new Error('the job\'s run failed');
            })
            .catch((error: Error) => error.message);
        };
        return {
          handlers: {
            'probe.later': () => (ctx.soon(job), null),
            // A handler that answers without waiting for the run it started.
            'probe.now': () => (job(), null),
            // Another call writing synchronously, as code not yet on the port does.
            'probe.note': () => {
              ctx.transaction(() => ctx.db.$client.prepare('insert into probe_notes (body) values (?)').run('another call'));
              return 'noted';
            },
          },
        };
      },
    }),
  };
  return { probe, modules: [...discoveredModules, module] };
}

describe('a run that outlives its call', () => {
  it('a call answered before the run it started ended keeps the connection until that run ends: another call\'s write never joins it', async () => {
    const { probe, modules } = jobStartingARun();
    const t = start({ modules });
    const started = within(t.app.invoke('probe.now', {}));
    await probe.begun.opened;
    const note = within(t.app.invoke('probe.note', {}));
    // Time for the other call's write, were it let in.
    await within(note, 200);
    probe.go.open();
    expect(value(await started)).toBeNull();
    expect(await probe.ran).toBe('the job\'s run failed');
    expect(value(await note)).toBe('noted');
    expect(notes(t)).toEqual(['another call']);
  });
});

describe('timers of the core while a call\'s transaction is open', () => {
  it('the answers of site commands are kept once that transaction ends, not dropped: a retry gets the answer', async () => {
    const { probe, modules } = slowSubscriber();
    const t = start({ modules });
    const item = await t.call<WorkItem>('workItems.create', { title: 'Pump', steps, submit: true });
    const add = () => t.app.invoke('comments.add', { itemId: item.id, text: 'Seal kit ordered' }, 'desk', 'terminal-1', { commandId: 'comment-0000001' });
    const first = value<{ id: number }>(await add());
    // A transition whose transaction stays open across a wait, while the answers are due to be kept (~200 ms).
    const approval = t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version });
    await probe.waiting.opened;
    await new Promise((resolve) => setTimeout(resolve, 500));
    probe.go.open();
    value(await approval);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(t.logs.filter((line) => line.includes('Could not keep the answers'))).toEqual([]);
    // Close and open again: the retry is answered from what was kept, not from memory.
    const again = t.reopen();
    apps.push(again);
    const retried = await again.app.invoke('comments.add', { itemId: item.id, text: 'Seal kit ordered' }, 'desk', 'terminal-1', { commandId: 'comment-0000001' });
    expect(value<{ id: number }>(retried).id).toBe(first.id);
  });
});

describe('deferred work and another call\'s open transaction', () => {
  it('a run a deferred job starts is a call of its own: another call\'s write never lands in it (and is never rolled back with it)', async () => {
    const { probe, modules } = jobStartingARun();
    const t = start({ modules });
    await t.call('probe.later', {});
    t.app.settle();
    const note = within(t.app.invoke('probe.note', {}));
    await probe.begun.opened;
    // Time for the other call's write, were it let in.
    await within(note, 200);
    probe.go.open();
    expect(await probe.ran).toBe('the job\'s run failed');
    expect(value(await note)).toBe('noted');
    expect(notes(t)).toEqual(['another call']);
  });


  it('a deferred job asked for by a call never joins that call\'s transaction: the transaction fails, the job\'s own write stays', async () => {
    const { probe, modules } = slowSubscriber();
    const t = start({ modules });
    const item = await t.call<WorkItem>('workItems.create', { title: 'Pump', steps, submit: true });
    t.app.settle();
    probe.fail = true;
    const approval = t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version });
    await probe.waiting.opened;
    // The job's timer (~100 ms) fires while the transition's transaction is open; it must wait for it to end.
    expect(await within(probe.jobRan.opened, 600)).toBe('still waiting');
    probe.go.open();
    expect(await approval).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    t.app.settle();
    expect(notes(t)).toEqual(['deferred']);
    expect((await t.call<{ item: WorkItem }>('workItems.get', { id: item.id })).item.version).toBe(item.version);
  });
});

/** A module that only hands the test the app's connection, to look at it (is a transaction open?). */
function connectionProbe() {
  const probe: { sqlite?: Database.Database } = {};
  const module = {
    folder: 'probe',
    definition: defineModule({
      name: 'probe',
      version: '1.0.0',
      description: 'the connection, for the test',
      setup: (ctx: ModuleContext<unknown>) => ((probe.sqlite = ctx.db.$client), {}),
    }),
  };
  return { probe, modules: [...discoveredModules, module] };
}

describe('a burst of everything at once', () => {
  it('200 calls at once from ten terminals (sign-ins right and wrong, e-signatures right and wrong, bulk sign-offs, comments, creates, reads) are all answered, and the database holds together', async () => {
    const { probe, modules } = connectionProbe();
    const t = start({ modules, users: { scryptCost: 14 } });
    const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
    const QUINN = { number: 'Q1', secret: '271828' };
    await t.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'office');
    await t.call('users.create', { name: 'Quinn Inspector', number: QUINN.number, role: 'lead', departments: ['QC'], secret: QUINN.secret }, 'office');
    const terminals = Array.from({ length: 10 }, (_, i) => `terminal-${i}`);
    for (const terminal of terminals) await t.app.invoke('users.signIn', { number: ADMIN.number, secret: ADMIN.secret }, terminal, terminal);
    const items: WorkItem[] = [];
    for (let i = 0; i < 30; i++) items.push(await t.call<WorkItem>('workItems.create', { title: `Item ${i}`, workflowId: 'template:standard', submit: true }, 'office'));
    const shown = (from: number, n: number) => items.slice(from, from + n).map((i) => ({ id: i.id, expectedVersion: i.version, expectedStep: i.currentStep }));

    const calls: Promise<Result<unknown> | 'still waiting'>[] = [];
    for (let i = 0; i < 200; i++) {
      const terminal = terminals[i % terminals.length]!;
      const item = items[i % items.length]!;
      const invoke = (channel: string, input: unknown, session = terminal) => calls.push(within(t.app.invoke(channel, input, session, terminal), 30_000));
      switch (i % 10) {
        case 0:
          invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } });
          break;
        case 1:
          invoke('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: String(500000 + i) } });
          break;
        case 2:
          invoke('users.signIn', { number: QUINN.number, secret: i % 20 === 2 ? QUINN.secret : String(600000 + i) }, `quinn-${i}`);
          break;
        case 3:
          invoke('workItems.approveMany', { items: shown(i % 27, 3), signature: { secret: i % 20 === 3 ? ADMIN.secret : String(700000 + i) } });
          break;
        case 4:
          invoke('comments.add', { itemId: item.id, text: `Note ${i}` });
          break;
        case 5:
          invoke('workItems.create', { title: `Burst ${i}`, workflowId: 'template:standard', submit: true });
          break;
        case 6:
          invoke('workItems.get', { id: item.id });
          break;
        case 7:
          invoke('workItems.list', {});
          break;
        case 8:
          invoke('users.sessionState', {}, `quinn-${i - 6}`);
          break;
        default:
          invoke('workItems.hints', { ids: [item.id] });
      }
    }
    const answers = await Promise.all(calls);
    expect(answers.filter((a) => a === 'still waiting')).toEqual([]);
    const answered = answers as Result<unknown>[];
    // Nothing failed on our side: every refusal is one a person can read (wrong PIN, changed meanwhile, locked).
    expect(answered.filter((a) => !a.ok && a.error.code === 'INTERNAL')).toEqual([]);
    expect(answered.filter((a) => a.ok).length).toBeGreaterThan(100);
    expect(probe.sqlite!.inTransaction).toBe(false);
    expect(consistent(t)).toBe(50);
    // No attempt is left counted as being checked, and the audit trail holds every change in one unbroken chain.
    expect(probe.sqlite!.prepare('select count(*) as n from user_attempt_limits where pending > 0').get()).toEqual({ n: 0 });
    t.app.settle();
    expect(await t.call('audit.verify', {}, 'office')).toMatchObject({ ok: true });
  }, 60_000);
});

/** A module whose handler holds the connection across a wait that is not the database until `go` opens (a module that forgot released). */
function holdingHandler() {
  const probe = { go: gate(), holding: gate() };
  const module = {
    folder: 'probe',
    definition: defineModule({
      name: 'probe',
      version: '1.0.0',
      description: 'holds the connection across a wait',
      contract: { 'probe.hold': command<number>()(z.strictObject({})) },
      setup: (ctx: ModuleContext<unknown>) => ({
        handlers: {
          'probe.hold': async () => {
            probe.holding.open();
            await probe.go.opened;
            return ctx.workItems.get(1)?.version ?? 0;
          },
        },
      }),
    }),
  };
  return { probe, modules: [...discoveredModules, module] };
}

describe('closing the core while calls hold and wait', () => {
  it('a command waiting for its commit to reach the disk (group commit) when the core closes is answered, not left waiting', async () => {
    const t = start({ groupCommit: true });
    const item = await t.call<WorkItem>('workItems.create', { title: 'Pump', steps, submit: true });
    const before = t.app.flushStats!().commits;
    const comments = [1, 2, 3].map((n) => within(t.app.invoke('comments.add', { itemId: item.id, text: `Note ${n}` })));
    // Each has committed and waits for the flush that covers it (the first flush is under way).
    while (t.app.flushStats!().commits < before + 3) await Promise.resolve();
    t.app.close();
    const answers = await Promise.all(comments);
    expect(answers).not.toContain('still waiting');
    // Closing the database flushed what was committed: they are on disk, and say so.
    for (const answer of answers) expect(answer).toMatchObject({ ok: true });
    // A command that reaches the closed core is refused at once, not left waiting for a flush that never comes.
    expect(await within(t.app.invoke('comments.add', { itemId: item.id, text: 'Too late' }))).toMatchObject({ ok: false });
    expect(t.logs.filter((line) => /flush/i.test(line))).toEqual([]);
  });

  it('close does not wait for them and does not throw; every call held, waiting or in a released wait is still answered', async () => {
    const { probe, modules } = holdingHandler();
    const t = start({ modules, users: { scryptCost: 14 } });
    const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
    await t.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'office');
    await t.call('workItems.create', { title: 'Pump', workflowId: 'template:standard', submit: true }, 'office');
    // A sign-in whose PIN check is under way (the connection given up meanwhile), a call holding the connection, and calls queued behind it.
    const signIn = within(t.app.invoke('users.signIn', { number: ADMIN.number, secret: ADMIN.secret }, 'kiosk'));
    const held = within(t.app.invoke('probe.hold', {}, 'office'));
    await probe.holding.opened;
    const queued = [
      within(t.app.invoke('workItems.create', { title: 'Queued', workflowId: 'template:standard', submit: true }, 'office')),
      within(t.app.invoke('workItems.list', {}, 'office')),
      within(t.app.invoke('comments.add', { itemId: 1, text: 'Queued' }, 'office')),
    ];
    expect(() => t.app.close()).not.toThrow();
    probe.go.open();
    const answers = await Promise.all([signIn, held, ...queued]);
    expect(answers).not.toContain('still waiting');
    // After close nothing is done: the queued commands are refused, not half-applied.
    for (const answer of answers.slice(2) as Result<unknown>[]) expect(answer.ok).toBe(false);
    expect(await within(t.app.invoke('workItems.list', {}, 'office'))).toMatchObject({ ok: false });
  });
});

describe('fairness', () => {
  it('a call that gives the connection up for waits gets it back each time while a steady stream of calls keeps coming', async () => {
    const module = {
      folder: 'probe',
      definition: defineModule({
        name: 'probe',
        version: '1.0.0',
        description: 'waits off the connection, several times',
        contract: { 'probe.slow': query<number>()(z.strictObject({})) },
        setup: (ctx: ModuleContext<unknown>) => ({
          handlers: {
            'probe.slow': async () => {
              let seen = 0;
              for (let i = 0; i < 5; i++) {
                await ctx.storage.released(() => new Promise((resolve) => setImmediate(resolve)));
                seen = ctx.workItems.get(1)?.version ?? 0;
              }
              return seen;
            },
          },
        }),
      }),
    };
    const t = start({ modules: [...discoveredModules, module] });
    await t.call('workItems.create', { title: 'Pump', steps, submit: true });
    let done = false;
    let streamed = 0;
    // Three terminals each sending their next call as soon as the last is answered (as a network round trip: a turn of the event loop later), until the slow call is done (or 3,000 calls).
    const stream = async () => {
      while (!done && streamed < 3_000) {
        streamed++;
        await new Promise((resolve) => setImmediate(resolve));
        value(await t.app.invoke(streamed % 2 ? 'workItems.list' : 'comments.add', streamed % 2 ? {} : { itemId: 1, text: `Note ${streamed}` }));
      }
    };
    const streams = [stream(), stream(), stream()];
    const slow = t.app.invoke('probe.slow', {}).finally(() => (done = true));
    expect(value(await slow)).toBe(1);
    await Promise.all(streams);
    expect(streamed).toBeLessThan(3_000);
  });
});
