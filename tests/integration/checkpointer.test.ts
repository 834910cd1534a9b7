import Database from 'better-sqlite3';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKSTOP_PAGES, createCheckpointer } from '../../src/core/db/checkpointer';
import { openDatabase } from '../../src/core/db/connection';
import { unchangedSinceCleanClose } from '../../src/core/db/databaseFile';
import { makeDataDir, startApp, type TempApp } from '../support/tempApp';

/**
 * Checkpoints run on a worker thread, not inside the commit that crosses SQLite's threshold.
 * What the main file alone holds (copied without its -wal) shows what has been checkpointed.
 */
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

/** Rows of `query` in a copy of the main file without its WAL: only what was checkpointed into it (none while its table is not). */
function inMainFileAlone(file: string, query: string): unknown[] {
  const copy = `${file}.main-only`;
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return db.prepare(query).all();
  } catch (error) {
    if (/no such table/.test((error as Error).message)) return [];
    throw error;
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

async function eventually<T>(read: () => T, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the background checkpointer', () => {
  it('copies committed writes into the database file without the writer checkpointing', async () => {
    const dir = makeDataDir();
    const file = join(dir, 'db.sqlite');
    const { sqlite } = openDatabase(file);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    sqlite.exec('create table t (n integer)');
    const checkpointer = createCheckpointer(sqlite, file, { intervalMs: 50 });
    cleanups.push(() => sqlite.close(), () => checkpointer.stop());
    // The writer's own threshold is only a backstop now: far more than these writes.
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);

    sqlite.exec('insert into t values (1), (2), (3)');
    expect(inMainFileAlone(file, 'select count(*) as n from sqlite_master')).toEqual([{ n: 0 }]);
    checkpointer.wake();
    const rows = await eventually(() => inMainFileAlone(file, 'select n from t order by n').length, (n) => n === 3);
    expect(rows).toBe(3);
  });

  it('is stopped before the app closes its connection, so the close is the last one and the file is left clean', async () => {
    const t: TempApp = startApp();
    cleanups.push(() => t.cleanup());
    const file = join(t.dataDir, 'aviation-workflow.sqlite');
    await t.call('workItems.create', { title: 'Replace pitot probe', steps: [{ name: 'Engineering' }], submit: true });
    await eventually(() => inMainFileAlone(file, `select 1 from sqlite_master where name = 'work_items'`).length, (n) => n === 1);
    await t.call('workItems.create', { title: 'Bleed valve', steps: [{ name: 'Engineering' }], submit: true });
    t.app.close();
    // The last connection to close checkpoints everything and removes the log.
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(inMainFileAlone(file, 'select title from work_items order by id')).toEqual([{ title: 'Replace pitot probe' }, { title: 'Bleed valve' }]);
    expect(unchangedSinceCleanClose(file)).toBe(true);
  });
});

describe('under a steady stream of writes', () => {
  it('lets the log start over long before the writer itself would checkpoint (which stalls a commit for tens of ms)', async () => {
    const dir = makeDataDir();
    const file = join(dir, 'db.sqlite');
    const { sqlite } = openDatabase(file);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    sqlite.exec('create table t (n integer, body blob)');
    const checkpointer = createCheckpointer(sqlite, file, { intervalMs: 50 });
    cleanups.push(() => sqlite.close(), () => checkpointer.stop());
    checkpointer.wake();
    const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
    const insert = sqlite.prepare('insert into t values (?, ?)');
    const body = Buffer.alloc(pageSize * 20, 7); // ~20 pages a commit, as a transition writes
    // One and a half times the backstop's worth of pages, a commit about every millisecond, as a busy site writes.
    const commits = Math.ceil((BACKSTOP_PAGES * 1.5) / 20);
    for (let i = 0; i < commits; i++) {
      insert.run(i, body);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const walPages = statSync(`${file}-wal`).size / pageSize;
    // The log's file keeps the largest size it ever reached: well under the backstop means it started
    // over (without the finishing pass it reaches the backstop). Half the backstop leaves room for a
    // worker slowed by a busy machine (CI saw 2,538 pages, against ~1,000–2,000 when idle).
    expect(walPages).toBeLessThan(BACKSTOP_PAGES / 2);
    expect(sqlite.prepare('select count(*) from t').pluck().get()).toBe(commits);
  });
});

describe('stopping the checkpointer', () => {
  const opened = () => {
    const dir = makeDataDir();
    const file = join(dir, 'db.sqlite');
    const { sqlite } = openDatabase(file);
    sqlite.exec('create table t (n integer)');
    return { dir, file, sqlite, checkpointer: createCheckpointer(sqlite, file, { intervalMs: 50 }) };
  };

  it('waits for a worker that is still starting and stops it, instead of ending the thread mid-open', async () => {
    const { dir, sqlite, checkpointer } = opened();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    checkpointer.wake();
    // The worker is created on the next tick and takes a while to boot: stop() comes before it listens.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(checkpointer.stop()).toBe('stopped');
    sqlite.close();
  });

  it('waits for a worker whose file was removed while it opened (as a restore replaces it): the thread fails on its own', async () => {
    for (let delayMs = 0; delayMs < 40; delayMs += 4) {
      const { dir, sqlite, checkpointer } = opened();
      checkpointer.wake();
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      sqlite.close();
      // The worker may create the -wal/-shm beside the file while it is being removed: retry the rmdir that then fails.
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 5 });
      // Listening already (and stopped), or failed to open the missing file: never ended mid-call, never timed out.
      expect(['stopped', 'failed']).toContain(checkpointer.stop());
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says when no worker was ever started', () => {
    const { dir, sqlite, checkpointer } = opened();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    expect(checkpointer.stop()).toBe('never-started');
    sqlite.close();
  });
});
