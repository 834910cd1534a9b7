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
import { defineModule, type ModuleContext } from '../../src/core/modules/types';
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

describe('deferred work and another call\'s open transaction', () => {
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
