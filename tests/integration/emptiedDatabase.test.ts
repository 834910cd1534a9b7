import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, DatabaseMissingError } from '../../src/core/app';
import { CREATED_NOTE_FILE } from '../../src/core/db/freshStart';
import { createAppOrRecover, describeDamage, recoveryChoices } from '../../src/core/recovery';
import type { AppStatus } from '../../src/shared/types';
import { runHarness } from '../support/harness';
import { makeDataDir, projectRoot, startApp, type TempApp } from '../support/tempApp';

/**
 * Finding 7: a 0-byte or missing database with backups beside it started as a new, empty one,
 * and whoever was at the terminal became the first administrator. Where the folder shows the app
 * ran before, the core refuses, offers the latest verified backup, and starts afresh only when asked.
 */
const apps: TempApp[] = [];
const folders: string[] = [];
afterEach(() => {
  apps.splice(0).forEach((a) => a.cleanup());
  folders.splice(0).forEach((f) => rmSync(f, { recursive: true, force: true }));
});

const databaseOf = (dataDir: string) => join(dataDir, 'aviation-workflow.sqlite');
const options = (dataDir: string) => ({ dataDir, assetsRoot: projectRoot, log: () => {} });

/** A folder the app has used: items, a verified backup (restore-points.json), a clean close. Sign-in on, with an administrator. */
async function usedFolder(): Promise<string> {
  const t = startApp({ users: { scryptCost: 14 } });
  folders.push(t.dataDir);
  await t.call('users.setupFirstAdmin', { name: 'Ada Admin', number: 'A100', secret: '424242', confirm: '424242' }, 'office');
  await t.call('workItems.create', { title: 'In the backup', workflowId: 'template:standard' }, 'office');
  await t.call('backups.start', {}, 'office');
  for (;;) {
    const status = await t.call<{ job: { state: string } | null }>('backups.status', {}, 'office');
    if (status.job?.state === 'done') break;
    if (status.job?.state === 'failed') throw new Error('the backup failed');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  t.app.close();
  return t.dataDir;
}

const emptyIt = (dataDir: string) => {
  for (const side of ['-wal', '-shm']) rmSync(databaseOf(dataDir) + side, { force: true });
  writeFileSync(databaseOf(dataDir), '');
};

describe('a missing or emptied database in a folder used before', () => {
  it('(0 bytes, backups beside it) is refused with the latest verified backup offered, changing nothing; restoring it brings the data back', async () => {
    const dataDir = await usedFolder();
    emptyIt(dataDir);
    const before = readdirSync(dataDir).sort();

    let error: unknown;
    try {
      createApp(options(dataDir)).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseMissingError);
    const missing = error as DatabaseMissingError;
    expect(missing.how).toBe('empty');
    expect(missing.backups).toHaveLength(1);
    expect(missing.message).toMatch(/cannot be used: the database file is empty \(0 bytes\), but this data folder has been used before \(.*restore-points\.json.*\)\. The latest verified backup is from /);
    expect(missing.message).toMatch(/A new, empty database is started only when asked for explicitly\.$/);
    // Nothing was created or changed: no new database, no first administrator to set up.
    expect(statSync(databaseOf(dataDir)).size).toBe(0);
    expect(readdirSync(dataDir).sort()).toEqual(before);

    expect(recoveryChoices(missing).map((c) => c.label)).toEqual(['Restore', 'Start a new, empty database', 'Quit']);
    expect(describeDamage(missing).question).toMatch(/^The database is missing or empty \(the database file is empty \(0 bytes\)\)\. Restore the backup from .*\?$/);
    expect(createAppOrRecover(options(dataDir), () => null)).toBeNull();
    expect(statSync(databaseOf(dataDir)).size).toBe(0);

    const app = createAppOrRecover(options(dataDir), (e) => e.backups[0]!)!;
    try {
      const status = app.status('office');
      expect(status).toMatchObject({ signIn: true, actor: null });
      const state = await app.invoke('users.sessionState', {}, 'office');
      expect(state).toMatchObject({ ok: true, value: { state: 'signed-out' } }); // not 'setup': the administrator is back
    } finally {
      app.close();
    }
  });

  it('(missing, the only sign its created note) is refused; a new database starts only when chosen, and says so', async () => {
    const dataDir = makeDataDir();
    folders.push(dataDir);
    startApp({}, dataDir).app.close();
    expect(existsSync(join(dataDir, CREATED_NOTE_FILE))).toBe(true);
    rmSync(databaseOf(dataDir));
    rmSync(`${databaseOf(dataDir)}.closed-cleanly.json`);
    rmSync(join(dataDir, 'backups'), { recursive: true, force: true });
    rmSync(join(dataDir, 'restore-points.json'), { force: true });

    expect(() => createApp(options(dataDir))).toThrow(DatabaseMissingError);
    expect(existsSync(databaseOf(dataDir))).toBe(false);
    const offered: string[][] = [];
    const app = createAppOrRecover(options(dataDir), (e) => (offered.push(recoveryChoices(e).map((c) => c.label)), 'start-new'))!;
    try {
      expect(offered).toEqual([['Start a new, empty database', 'Quit']]);
      expect(app.status().problems).toContain(
        'Started with a new, empty database, as chosen at start-up: the previous one could not be used (the database file is missing). Its backups, if any, are still in the backups folder.',
      );
      expect(await app.invoke('workItems.list', {})).toMatchObject({ ok: true, value: { total: 0 } });
    } finally {
      app.close();
    }
  });

  it('(a database with no tables) is refused too', async () => {
    const dataDir = await usedFolder();
    emptyIt(dataDir);
    new Database(databaseOf(dataDir)).exec('pragma user_version = 1').close();
    expect(statSync(databaseOf(dataDir)).size).toBeGreaterThan(0);
    expect(() => createApp(options(dataDir))).toThrow(/the database file holds no tables, but this data folder has been used before/);
  });

  it('a new folder (a settings file at most) is a first run, as before', async () => {
    const dataDir = makeDataDir();
    folders.push(dataDir);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'settings.json'), readFileSync(join(projectRoot, 'resources', 'default-settings.json')));
    const app = createApp(options(dataDir));
    try {
      expect(app.status().problems).toEqual([]);
      expect(await app.invoke('users.sessionState', {}, 'office')).toMatchObject({ ok: true, value: { state: 'setup' } });
    } finally {
      app.close();
    }
  });

  it('the browser harness says what is wrong and how to choose, and starts a new database only with --start-new-database', async () => {
    const dataDir = await usedFolder();
    rmSync(databaseOf(dataDir));
    const refused = await runHarness(projectRoot, ['--data-dir', dataDir], { scryptCost: 14 }).then(
      async (h) => (await h.stop(), 'started'),
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/exited with 1/);
    expect(refused).toMatch(/The database is missing or empty \(the database file is missing\)\. Restore the backup from .*\?/);
    expect(refused).toContain('--restore-latest-backup');
    expect(refused).toContain('To start over with a new, empty database, start again with --start-new-database.');
    expect(existsSync(databaseOf(dataDir))).toBe(false);

    const harness = await runHarness(projectRoot, ['--data-dir', dataDir, '--start-new-database'], { scryptCost: 14 });
    try {
      const status = (await harness.call('app.status')) as { ok: true; value: AppStatus };
      expect(status.value.problems.join('\n')).toMatch(/Started with a new, empty database, as chosen at start-up/);
      expect(await harness.call('workItems.list', {}, 'x')).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    } finally {
      await harness.stop();
    }
  }, 60_000);
});
