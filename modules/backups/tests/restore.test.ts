import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatabaseCorruptError } from '../../../src/core/app';
import { discoveredModules } from '../../../src/core/modules/discovered';
import { defineModule } from '../../../src/core/modules/types';
import { PENDING_RESTORE_FILE } from '../../../src/core/db/restore';
import { createAppOrRecover, describeDamage } from '../../../src/core/recovery';
import { projectRoot } from '../../../tests/support/tempApp';
import { command } from '../../../src/shared/channel';
import type { SessionActor, WorkItem } from '../../../src/shared/types';
import type { Backup } from '../contract';
import { changeSpy, createItem, dataDirWith, makeDataDir, startApp, testClock, waitForJob, HOUR, type TempApp } from './support';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

function start(dataDir = dataDirWith({}), clock = testClock()) {
  const spy = changeSpy();
  const t = startApp({ clock: clock.read, modules: spy.modules }, dataDir);
  apps.push(t);
  return { t, clock, changes: spy.changes };
}

/** Reopens the same data folder (the restart a restore asks for) and tracks it for cleanup. */
function restart(t: TempApp, clock: ReturnType<typeof testClock>) {
  const spy = changeSpy();
  apps.splice(apps.indexOf(t), 1);
  const next = t.reopen({ clock: clock.read, modules: spy.modules });
  apps.push(next);
  return { t: next, changes: spy.changes };
}

const titles = async (t: TempApp) => (await t.call<{ rows: WorkItem[] }>('workItems.list', { limit: 200 })).rows.map((i) => i.title).sort();

async function backUp(t: TempApp): Promise<Backup> {
  await t.call('backups.start');
  const job = await waitForJob(t);
  expect(job.state).toBe('done');
  return job.backup!;
}

/** Overwrites 16 KiB in the middle of a file with garbage, as a failing disk might. */
function damage(file: string) {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(16_384, 0xa5), 0, 16_384, Math.floor(statSync(file).size / 2 / 4096) * 4096);
  closeSync(fd);
}

describe('restore', () => {
  it('replaces the database with the backup, keeps a pre-restore copy, and undoing it brings the later rows back', async () => {
    const { t, clock } = start();
    await createItem(t, 'Before the backup');
    const backup = await backUp(t);
    clock.advance(HOUR);
    await createItem(t, 'After the backup');

    const answer = await t.call('backups.restore', { name: backup.name });
    expect(answer).toEqual({ restarting: false, preRestoreCopy: 'pre-restore-2026-06-01T09-00-00.000Z.sqlite' });
    expect(existsSync(join(t.dataDir, PENDING_RESTORE_FILE))).toBe(true);
    expect(await t.fail('backups.start')).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringMatching(/waits for the app to restart/) });

    const restored = restart(t, clock);
    // The restore is on record as soon as the app has started; the pre-restore copy is checked off the thread meanwhile.
    await Promise.resolve();
    expect(restored.changes).toContainEqual(expect.objectContaining({ entity: 'backup', entityId: backup.name, action: 'restored' }));
    expect(restored.changes.filter((c) => c.action === 'verified')).toEqual([]);
    expect(await titles(restored.t)).toEqual(['Before the backup']);
    expect(existsSync(join(t.dataDir, PENDING_RESTORE_FILE))).toBe(false);
    const list = await restored.t.call<Backup[]>('backups.list');
    const copy = list.find((b) => b.kind === 'pre-restore')!;
    expect(copy).toMatchObject({ name: answer.preRestoreCopy, verification: { state: 'ok' }, rows: { workItems: 2 } });
    expect(restored.changes).toContainEqual(
      expect.objectContaining({ entity: 'backup', entityId: backup.name, action: 'restored', actor: { id: 'operator:hangar operator', name: 'Hangar operator' } }),
    );
    // The WAL and shared-memory files of the replaced database went with it, not left beside the new one.
    expect(readdirSync(join(t.dataDir, 'backups')).filter((f) => f.includes('pre-restore'))).toEqual([copy.name, `${copy.name}.json`]);

    clock.advance(HOUR);
    await restored.t.call('backups.restore', { name: copy.name });
    const undone = restart(restored.t, clock);
    expect(await titles(undone.t)).toEqual(['After the backup', 'Before the backup']);
    // Undo made its own pre-restore copy: nothing is ever thrown away.
    expect((await undone.t.call<Backup[]>('backups.list')).filter((b) => b.kind === 'pre-restore')).toHaveLength(2);
  });

  it('detects a damaged backup and refuses to restore it, changing nothing', async () => {
    const { t, changes } = start();
    for (let i = 0; i < 60; i++) await createItem(t, `Item ${i}`);
    const backup = await backUp(t);
    damage(join(t.dataDir, 'backups', backup.name));

    const verified = await t.call<Backup>('backups.verify', { name: backup.name });
    expect(verified.verification).toMatchObject({ state: 'failed', problem: expect.any(String) });

    // The same file stays in place (its pages may still take in the log's checkpoints meanwhile).
    const databaseBefore = statSync(join(t.dataDir, 'aviation-workflow.sqlite')).ino;
    const error = await t.fail('backups.restore', { name: backup.name });
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.message).toMatch(/^The backup from 2026-06-01T08:00:00.000Z is damaged and was not restored \(.+\)\. Nothing was changed; choose another backup\.$/);
    expect(existsSync(join(t.dataDir, PENDING_RESTORE_FILE))).toBe(false);
    expect(statSync(join(t.dataDir, 'aviation-workflow.sqlite')).ino).toBe(databaseBefore);
    expect((await t.call<Backup[]>('backups.list')).filter((b) => b.kind === 'pre-restore')).toEqual([]);
    expect(await titles(t)).toHaveLength(60);
    expect(changes.filter((c) => c.action === 'verified').map((c) => (c.after as { state: string }).state)).toEqual(['ok', 'failed', 'failed']);
  });

  it('leaves the database alone at start when the backup a pending restore names has been damaged since', async () => {
    const { t, clock } = start();
    for (let i = 0; i < 60; i++) await createItem(t, `Item ${i}`);
    const backup = await backUp(t);
    await createItem(t, 'After the backup');
    await t.call('backups.restore', { name: backup.name });
    damage(join(t.dataDir, 'backups', backup.name));

    const next = restart(t, clock);
    expect(await titles(next.t)).toHaveLength(61);
    expect(existsSync(join(t.dataDir, PENDING_RESTORE_FILE))).toBe(false);
    expect(existsSync(join(t.dataDir, 'pending-restore.failed.json'))).toBe(true);
    expect((await next.t.call<Backup[]>('backups.list')).filter((b) => b.kind === 'pre-restore')).toEqual([]);
  });

  it('refuses a name that is not a backup file (no paths from the window)', async () => {
    const { t } = start();
    expect(await t.fail('backups.restore', { name: '../aviation-workflow.sqlite' })).toMatchObject({ code: 'VALIDATION' });
    expect(await t.fail('backups.restore', { name: 'backup-2026-01-01T00-00-00.000Z.sqlite' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('only administrators back up and restore', () => {
  it('refuses staff with FORBIDDEN and lets an admin', async () => {
    const people: Record<string, SessionActor> = {
      ada: { id: 'user:ada', name: 'Ada Admin', role: 'admin', departments: [] },
      sam: { id: 'user:sam', name: 'Sam Staff', role: 'staff', departments: [] },
    };
    const signedIn = new Map<string, SessionActor>();
    const signIn = {
      folder: 'gatekeeper',
      definition: defineModule({
        name: 'gatekeeper',
        version: '1.0.0',
        description: 'Test sign-in',
        contract: { 'gatekeeper.signIn': command<SessionActor>()(z.strictObject({ who: z.enum(['ada', 'sam']) })) },
        setup: () => ({
          identity: { actorFor: (s: string) => signedIn.get(s) ?? null, canAdminister: (s: string) => signedIn.get(s)?.role === 'admin', publicChannels: ['gatekeeper.signIn'] },
          handlers: { 'gatekeeper.signIn': ({ who }: { who: 'ada' | 'sam' }, call: { session: string }) => (signedIn.set(call.session, people[who]!), people[who]!) },
        }),
      } as never),
    };
    const t = startApp({ modules: [...discoveredModules, signIn] }, dataDirWith({}));
    apps.push(t);
    await t.call('gatekeeper.signIn', { who: 'sam' }, 'staff');
    await t.call('gatekeeper.signIn', { who: 'ada' }, 'admin');
    expect(await t.fail('backups.start', {}, 'staff')).toMatchObject({ code: 'FORBIDDEN' });
    await t.call('backups.start', {}, 'admin');
    const job = await waitForJob(t, undefined, 'admin');
    expect(await t.fail('backups.restore', { name: job.backup!.name }, 'staff')).toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.fail('backups.verify', { name: job.backup!.name }, 'staff')).toMatchObject({ code: 'FORBIDDEN' });
    expect(existsSync(join(t.dataDir, PENDING_RESTORE_FILE))).toBe(false);
  });
});

describe('a damaged database at start', () => {
  for (const [what, spoil] of [
    ['garbage in the middle', damage],
    ['not a database at all', (file: string) => {
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.from('this is no longer an SQLite file'.padEnd(100, '!')), 0, 100, 0);
      closeSync(fd);
    }],
  ] as const) {
    it(`(${what}) fails with DatabaseCorruptError naming the backups; restoring the latest starts the app and keeps the damaged file`, async () => {
      const clock = testClock();
      const dataDir = dataDirWith({});
      const { t } = start(dataDir, clock);
      for (let i = 0; i < 60; i++) await createItem(t, `Item ${i}`);
      const older = await backUp(t);
      clock.advance(24 * HOUR);
      await createItem(t, 'In the latest backup');
      const latest = await backUp(t);
      t.app.close();
      apps.splice(apps.indexOf(t), 1);

      const file = join(dataDir, 'aviation-workflow.sqlite');
      spoil(file);
      const damagedBytes = readFileSync(file);

      let error: unknown;
      try {
        startApp({ clock: clock.read }, dataDir).cleanup();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DatabaseCorruptError);
      const corrupt = error as DatabaseCorruptError;
      expect(corrupt.backups.map((b) => b.createdAt)).toEqual([latest.createdAt, older.createdAt]);
      expect(corrupt.backups[0]!.file).toBe(join(dataDir, 'backups', latest.name));
      expect(corrupt.message).toMatch(/is damaged .*The latest verified backup is from 2026-06-02T08:00:00.000Z\./);

      clock.advance(HOUR);
      const options = { dataDir, assetsRoot: projectRoot, clock: clock.read, log: () => {} };
      // Quit: nothing touched.
      expect(createAppOrRecover(options, () => null)).toBeNull();
      expect(readFileSync(file).equals(damagedBytes)).toBe(true);
      // Restore: the app starts on the latest backup.
      const offered: string[] = [];
      const app = createAppOrRecover(options, (e) => (offered.push(describeDamage(e).question), e.backups[0]!));
      expect(offered).toEqual(['The database is damaged. Restore the backup from 2026-06-02T08:00:00.000Z?']);
      app!.close();
      const { t: recovered, changes } = start(dataDir, clock);
      expect(await titles(recovered)).toContain('In the latest backup');
      expect(await titles(recovered)).toHaveLength(61);
      const aside = join(dataDir, 'aviation-workflow.damaged-2026-06-02T09-00-00.000Z.sqlite');
      expect(readFileSync(aside).equals(damagedBytes)).toBe(true);
      expect(changes).toContainEqual(expect.objectContaining({ action: 'restored', entityId: latest.name, after: expect.objectContaining({ reason: 'damaged-database', previousDatabaseKeptAt: aside }) }));
    });
  }

  it('without any backup still fails with DatabaseCorruptError, with an empty list', () => {
    const dataDir = makeDataDir();
    const t = startApp({}, dataDir);
    t.app.close();
    const fd = openSync(join(dataDir, 'aviation-workflow.sqlite'), 'r+');
    writeSync(fd, Buffer.alloc(100, 1), 0, 100, 0);
    closeSync(fd);
    expect(() => startApp({}, dataDir)).toThrow(DatabaseCorruptError);
    try {
      startApp({}, dataDir);
    } catch (e) {
      expect((e as DatabaseCorruptError).backups).toEqual([]);
      expect((e as Error).message).toMatch(/There is no verified backup to restore\./);
    }
  });
});
