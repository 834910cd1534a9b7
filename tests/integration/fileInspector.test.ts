import Database from 'better-sqlite3';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileInspector, type FileInspector } from '../../src/core/db/fileInspector';
import { makeDataDir } from '../support/tempApp';

/** ctx.inspectFile: another SQLite file read on a worker thread, never a hang. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(): { dir: string; file: string; inspector: FileInspector } {
  const dir = makeDataDir();
  const file = join(dir, 'copy.sqlite');
  const db = new Database(file);
  db.exec(`create table t (n integer primary key, s text); insert into t values (1, 'x'), (2, 'x'), (3, 'x')`);
  db.close();
  const inspector = createFileInspector();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => inspector.stop());
  return { dir, file, inspector };
}

/** A statement that keeps SQLite busy for a while (~1 s) without a big file. */
const SLOW = 'with recursive c(x) as (select 1 union all select x + 1 from c where x < 5000000) select count(*) as n from c';

async function eventually(ok: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!ok() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return ok();
}

describe('inspecting another database file off the thread', () => {
  it('answers statements and PRAGMAs with their rows, read-only, and ends its thread when closed', async () => {
    const { file, inspector } = setup();
    const inspection = inspector.open(file);
    expect(await inspection.all('PRAGMA integrity_check(20)')).toEqual([{ integrity_check: 'ok' }]);
    expect(await inspection.all('select n from t where n >= ? order by n', [2])).toEqual([{ n: 2 }, { n: 3 }]);
    await expect(inspection.all(`insert into t values (9, 'y') returning n`)).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    // A failed statement does not end the inspection.
    expect(await inspection.all('select count(*) as c from t')).toEqual([{ c: 3 }]);
    expect(inspector.running()).toBe(1);
    await inspection.close();
    expect(inspector.running()).toBe(0);
    await expect(inspection.all('select 1')).rejects.toThrow(/is closed/);
  });

  it('keeps the calling thread free while a statement runs', async () => {
    const { file, inspector } = setup();
    const inspection = inspector.open(file);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      expect(await inspection.all(SLOW)).toEqual([{ n: 5_000_000 }]);
    } finally {
      clearInterval(timer);
      await inspection.close();
    }
    expect(ticks).toBeGreaterThan(5);
  });

  it('rejects at once, with SQLite\'s code, a file that is missing, a folder, or not a database', async () => {
    const { dir, inspector } = setup();
    const missing = inspector.open(join(dir, 'gone.sqlite'));
    await expect(missing.all('PRAGMA integrity_check')).rejects.toMatchObject({ message: expect.stringMatching(/^Could not open gone\.sqlite: /), code: 'SQLITE_CANTOPEN' });
    // Every later call is refused the same way; closing it ends nothing twice.
    await expect(missing.all('select 1')).rejects.toThrow(/Could not open gone\.sqlite/);
    await missing.close();

    mkdirSync(join(dir, 'folder.sqlite'));
    const folder = inspector.open(join(dir, 'folder.sqlite'));
    await expect(folder.all('PRAGMA integrity_check')).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_/) });
    await folder.close();

    writeFileSync(join(dir, 'text.sqlite'), 'this is not an SQLite file'.padEnd(4096, '!'));
    const text = inspector.open(join(dir, 'text.sqlite'));
    await expect(text.all('PRAGMA integrity_check')).rejects.toMatchObject({ code: 'SQLITE_NOTADB' });
    await text.close();
    expect(await eventually(() => inspector.running() === 0)).toBe(true);
  });

  it('gives up a statement that takes longer than allowed, refuses what follows, and its thread ends once SQLite returns', async () => {
    const { file, inspector } = setup();
    const inspection = inspector.open(file, { timeoutMs: 100 });
    const started = performance.now();
    await expect(inspection.all(SLOW)).rejects.toThrow(/^Reading copy\.sqlite took longer than 100 ms; it was given up\.$/);
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(inspection.all('select 1')).rejects.toThrow(/took longer than/);
    // Closing does not wait for the statement SQLite is still running…
    const closing = performance.now();
    await inspection.close();
    expect(performance.now() - closing).toBeLessThan(50);
    // …and the thread ends by itself when it returns.
    expect(await eventually(() => inspector.running() === 0)).toBe(true);
  });

  it('at the core\'s close, closes what is still open and waits for a statement to finish, without hanging', async () => {
    const { file, inspector } = setup();
    const idle = inspector.open(file);
    await idle.all('select 1');
    const busy = inspector.open(file);
    const answer = busy.all(SLOW).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await new Promise((r) => setTimeout(r, 100));
    const stopping = performance.now();
    inspector.stop();
    expect(performance.now() - stopping).toBeLessThan(6000);
    expect(await answer).toMatch(/answered|stopped/);
    expect(await eventually(() => inspector.running() === 0)).toBe(true);
  });
});
