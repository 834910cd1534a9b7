import Database from 'better-sqlite3';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unchangedSinceCleanClose } from '../../src/core/db/databaseFile';
import { startApp, type TempApp } from '../support/tempApp';

/**
 * The start-up quick_check reads every page of the database (seconds at a million items). It is
 * skipped only for a file exactly as the app left it at a clean close (small files are always
 * checked, so the damaged-database tests in modules/backups exercise the check itself).
 */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((t) => t.cleanup()));
const dbFile = (t: TempApp) => join(t.dataDir, 'aviation-workflow.sqlite');
const note = (t: TempApp) => `${dbFile(t)}.closed-cleanly.json`;

async function closedCleanly(): Promise<TempApp> {
  const t = startApp();
  apps.push(t);
  await t.call('workItems.create', { title: 'Replace pitot probe', steps: [{ name: 'Engineering' }], submit: true });
  t.app.close();
  return t;
}

describe('the clean-close note behind skipping the start-up quick_check', () => {
  it('is written when the app closes and says the file is unchanged, once', async () => {
    const t = await closedCleanly();
    expect(existsSync(note(t))).toBe(true);
    expect(unchangedSinceCleanClose(dbFile(t))).toBe(true);
    // Used up: a crash from now on leaves no note.
    expect(existsSync(note(t))).toBe(false);
    expect(unchangedSinceCleanClose(dbFile(t))).toBe(false);
  });

  it('does not vouch for a file changed after the close (its size, times or WAL differ)', async () => {
    const t = await closedCleanly();
    appendFileSync(dbFile(t), Buffer.alloc(4096));
    expect(unchangedSinceCleanClose(dbFile(t))).toBe(false);

    const u = await closedCleanly();
    const other = new Database(dbFile(u));
    other.pragma('journal_mode = WAL');
    other.prepare(`update work_items set title = 'Changed elsewhere'`).run();
    other.close();
    expect(unchangedSinceCleanClose(dbFile(u))).toBe(false);
  });

  it('still vouches for the file after a read-only look at it (which leaves an empty WAL behind)', async () => {
    const t = await closedCleanly();
    const reader = new Database(dbFile(t), { readonly: true, fileMustExist: true });
    expect(reader.prepare('select count(*) as n from work_items').get()).toEqual({ n: 1 });
    reader.close();
    expect(existsSync(`${dbFile(t)}-wal`)).toBe(true);
    expect(unchangedSinceCleanClose(dbFile(t))).toBe(true);
  });

  it('is used up by the next start, so a crash (no close) leaves none', async () => {
    const t = await closedCleanly();
    const again = t.reopen();
    apps.push(again);
    expect(existsSync(note(t))).toBe(false);
    // "Crash": the process ends without close(); the next start finds no note and checks the file.
    expect(unchangedSinceCleanClose(dbFile(t))).toBe(false);
  });
});
