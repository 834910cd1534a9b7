import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import type { SessionState, User } from '../contract';
import { applyPendingRestore } from '../../../src/core/db/restore';
import users from '../index';
import * as kdf from '../kdf';
import { readRows, startPerTest, type UsersApp } from './usersApp';

const start = startPerTest();
afterEach(() => vi.restoreAllMocks());

/** Where sign-ins outlive a restart of the core (a site server): durableSessions. */
const durable = (config: Record<string, unknown> = {}) => start(config, { durableSessions: true });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const stateAt = async (app: UsersApp, session: string) => (await app.t.call<SessionState>('users.sessionState', {}, session)).state;
const kept = (app: UsersApp) =>
  readRows<{ session_hash: string; user_id: number; signed_in_at: number; last_activity: number; locked: number }>(app, 'select * from user_sessions order by signed_in_at, session_hash');

// The restore tests go through the backups module's channels; a build without that module has no restore to test.
const withBackups = existsSync(join(import.meta.dirname, '..', '..', 'backups'));
/** What these tests read of the backups module's answers (its contract is its own). */
interface BackupJob {
  state: string;
  backup?: { name: string };
}
interface BackupsStatus {
  job: BackupJob | null;
}

/** A backup made by the administrator (signed in at 'office'), once it is done. */
async function backUp(app: UsersApp): Promise<BackupJob> {
  await app.t.call('backups.start', {}, 'office');
  let job: BackupJob | null = null;
  while (!job || (job.state !== 'done' && job.state !== 'failed')) {
    job = (await app.t.call<BackupsStatus>('backups.status', {}, 'office')).job;
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(job.state).toBe('done');
  return job;
}

/** Closes and opens the app on the same folder (as a restart of the site server's core or process does). */
function restart(app: UsersApp): UsersApp {
  return app.reopen();
}

describe('sign-ins that outlive a restart (durableSessions)', () => {
  it('keeps a person signed in at the same session across a restart, able to work', async () => {
    let app = await durable();
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    app = restart(app);
    expect(await app.t.call<SessionState>('users.sessionState', {}, 'qc')).toMatchObject({ state: 'signed-in', user: { name: 'Quinn' } });
    const item = await app.t.call<WorkItem>('workItems.create', { title: 'After the restart', workflowId: 'template:standard' }, 'qc');
    expect(item.createdBy).toMatchObject({ name: 'Quinn' });
    // The administrator signed in at set-up too.
    expect(await stateAt(app, 'office')).toBe('signed-in');
    // A session nobody signed in at is not signed in because others are.
    expect(await stateAt(app, 'elsewhere')).toBe('signed-out');
    app.cleanup();
  });

  it('keeps each session only as its SHA-256, with who, since when, the last activity and the lock: nothing of the PIN', async () => {
    const app = await durable();
    const quinn = await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    const columns = readRows<{ name: string }>(app, 'select name from pragma_table_info(\'user_sessions\') order by cid').map((c) => c.name);
    expect(columns).toEqual(['session_hash', 'user_id', 'signed_in_at', 'last_activity', 'locked']);
    const rows = kept(app);
    expect(rows).toContainEqual({ session_hash: sha256('qc'), user_id: quinn.id, signed_in_at: app.now(), last_activity: app.now(), locked: 0 });
    expect(rows.map((r) => r.session_hash).sort()).toEqual([sha256('office'), sha256('qc')].sort());
    // No column anywhere in the table holds the session names themselves.
    expect(JSON.stringify(rows)).not.toMatch(/"(qc|office)"/);
  });

  it('checks a signature with the full scrypt after a restart: the quick verifier is never kept', async () => {
    let app = await durable();
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    const first = await app.item('at QC');
    const item = await app.item('at QC');

    const scrypt = vi.spyOn(kdf, 'verifySecret');
    await app.t.call('workItems.approve', { id: first.id, expectedVersion: first.version, signature: { secret: '271828' } }, 'qc');
    expect(scrypt).not.toHaveBeenCalled(); // before the restart: the quick check

    app = restart(app);
    expect(await app.t.fail('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '000000' } }, 'qc')).toMatchObject({ code: 'FORBIDDEN' });
    expect(scrypt).toHaveBeenCalledTimes(1);
    const signed = await app.t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: '271828' } }, 'qc');
    expect(signed.currentStep).toBe(2);
    expect(scrypt).toHaveBeenCalledTimes(2); // after it: the full check, each time
    app.cleanup();
  });

  it('locks after a restart once idle for idleLockMinutes since the last activity before it', async () => {
    let app = await durable({ idleLockMinutes: 10 });
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    const signedInAt = app.now();
    app.advance(4);
    await app.t.call('users.activity', {}, 'qc');
    const activeAt = app.now();
    // Activity within 30 s of the last write is held in memory only: the idle clock may start up to 30 s early after a restart.
    app.advance(0.25);
    await app.t.call('users.activity', {}, 'qc');
    expect(kept(app).find((r) => r.session_hash === sha256('qc'))).toMatchObject({ signed_in_at: signedInAt, last_activity: activeAt });

    app = restart(app);
    app.advance(9); // 9.25 min since the last activity: still theirs
    expect(await stateAt(app, 'qc')).toBe('signed-in');
    expect(await app.t.call('workItems.counts', {}, 'qc')).toBeTruthy();
    app.advance(1); // 10.25 min since the activity written last: locked
    expect(await app.t.fail('workItems.counts', {}, 'qc')).toMatchObject({ code: 'SIGNED_OUT' });
    expect(await stateAt(app, 'qc')).toBe('locked');
    expect(app.changes.at(-1)).toMatchObject({ entity: 'session', action: 'locked', after: { reason: 'idle', idleSince: new Date(activeAt).toISOString() } });
    expect(kept(app).find((r) => r.session_hash === sha256('qc'))).toMatchObject({ locked: 1 });
    app.cleanup();
  });

  it('keeps a locked session locked across a restart, until the same person unlocks it', async () => {
    let app = await durable();
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    await app.t.call('users.lock', {}, 'qc');
    app = restart(app);
    expect(await stateAt(app, 'qc')).toBe('locked');
    expect(await app.t.fail('workItems.counts', {}, 'qc')).toMatchObject({ code: 'SIGNED_OUT' });
    await app.signIn('qc', 'Q1', '271828');
    expect(app.changes.at(-1)).toMatchObject({ entity: 'session', action: 'unlocked' });
    app = restart(app);
    expect(await stateAt(app, 'qc')).toBe('signed-in');
    app.cleanup();
  });

  it('ends kept sessions with sign-out, a new PIN and deactivation, as in memory', async () => {
    let app = await durable();
    const sam = await app.addUser('Sam', 'S1', 'staff', ['QC'], '135790');
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.addUser('Dee', 'D1', 'staff', ['QC'], '112358');
    await app.signIn('bench-1', 'S1', '135790');
    await app.signIn('bench-2', 'S1', '135790');
    await app.signIn('qc-1', 'Q1', '271828');
    await app.signIn('qc-2', 'Q1', '271828');
    await app.signIn('dee', 'D1', '112358');
    await app.signIn('gone', 'D1', '112358');
    await app.t.call('users.signOut', {}, 'gone');
    await app.t.call('users.resetSecret', { id: sam.id, secret: '246810' }, 'office');
    // Changing their own PIN signs them out elsewhere, not where they changed it.
    await app.t.call('users.changeOwnSecret', { current: '271828', secret: '314159', confirm: '314159' }, 'qc-1');
    const dee = (await app.t.call<User[]>('users.list', {}, 'office')).find((u) => u.number === 'D1')!;
    await app.t.call('users.setActive', { id: dee.id, active: false }, 'office');
    expect(kept(app).map((r) => r.session_hash).sort()).toEqual([sha256('office'), sha256('qc-1')].sort());

    app = restart(app);
    // Sam is still active: only the ended row keeps them out.
    for (const session of ['bench-1', 'bench-2', 'qc-2', 'dee', 'gone']) expect(await stateAt(app, session)).toBe('signed-out');
    expect(await stateAt(app, 'qc-1')).toBe('signed-in');
    app.cleanup();
  });

  it('signs out and forgets sessions idle beyond idleSignOutHours: at a start, at sign-ins, and when next asked', async () => {
    let app = await durable({ idleSignOutHours: 12 });
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.addUser('Sam', 'S1', 'staff', ['QC'], '135790');
    await app.signIn('qc', 'Q1', '271828');
    app.advance(12 * 60 + 1);
    // Asked first: signed out (not just locked), on record.
    expect(await stateAt(app, 'qc')).toBe('signed-out');
    expect(app.changes.at(-1)).toMatchObject({ entity: 'session', action: 'signed-out', after: { reason: 'idle' } });
    // Never asked again (the admin's window is gone): forgotten at the next sign-in anywhere.
    expect(kept(app).map((r) => r.session_hash)).toEqual([sha256('office')]);
    await app.signIn('bench', 'S1', '135790');
    expect(kept(app).map((r) => r.session_hash)).toEqual([sha256('bench')]);

    // And at a start: a server that was down longer than that keeps nobody.
    await app.signIn('qc', 'Q1', '271828');
    app.advance(5);
    await app.t.call('users.activity', {}, 'qc');
    app.advance(12 * 60 - 2); // the bench idle 12 h 3 min, Quinn 11 h 58 min
    app = restart(app);
    expect(kept(app).map((r) => r.session_hash)).toEqual([sha256('qc')]);
    expect(await stateAt(app, 'qc')).toBe('locked');
    expect(await stateAt(app, 'bench')).toBe('signed-out');
    app.cleanup();
  });

  it.runIf(withBackups)('ends every sign-in when a backup is restored, the backup’s own included', async () => {
    let app = await durable();
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    const job = await backUp(app);
    expect(readRows<{ n: number }>(app, 'select count(*) as n from user_sessions')[0]!.n).toBe(2);
    await app.t.call('backups.restore', { name: job.backup!.name }, 'office');
    app = restart(app);
    expect(await stateAt(app, 'qc')).toBe('signed-out');
    expect(await stateAt(app, 'office')).toBe('signed-out');
    expect(kept(app)).toEqual([]);
    expect(app.t.logs.join('\n')).toContain('Ended what the backup held of who was signed in where on its day (2 rows)');
    // After the next restart too: nothing came back.
    await app.signIn('qc', 'Q1', '271828');
    app = restart(app);
    expect(await stateAt(app, 'qc')).toBe('signed-in');
    expect(await stateAt(app, 'office')).toBe('signed-out');
    app.cleanup();
  });
});

describe.runIf(withBackups)('a restored backup', () => {
  it('is put in place with its sign-ins already gone, so a start that fails after the restore brings none back', async () => {
    const app = await durable();
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    const job = await backUp(app);
    await app.t.call('backups.restore', { name: job.backup!.name }, 'office');
    app.t.app.close();
    // What createApp does first at the next start, and nothing after it.
    const databasePath = join(app.t.dataDir, 'aviation-workflow.sqlite');
    const outcome = applyPendingRestore(app.t.dataDir, databasePath, { now: app.now, log: () => undefined, signInTables: ['site_sessions', ...users.signInTables!] });
    expect(outcome.report).not.toBeNull();
    const file = new Database(databasePath, { readonly: true });
    try {
      expect(file.prepare('select count(*) from user_sessions').pluck().get()).toBe(0);
      expect(file.prepare('select count(*) from users').pluck().get()).toBe(2);
    } finally {
      file.close();
    }
  });
});

describe('sign-ins in the desktop app and the harness (no durableSessions)', () => {
  it('signs everyone out at a restart, as before, and keeps nothing of them in the database', async () => {
    let app = await start();
    await app.addUser('Quinn', 'Q1', 'staff', ['QC'], '271828');
    await app.signIn('qc', 'Q1', '271828');
    expect(kept(app)).toEqual([]);
    app = app.reopen();
    expect(await stateAt(app, 'qc')).toBe('signed-out');
    expect(await stateAt(app, 'office')).toBe('signed-out');
    app.cleanup();
  });
});
