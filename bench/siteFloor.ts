import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The single-commit raw floor: one-row transactions committed one after another with the app's
 * durability (WAL, synchronous=FULL: one fsync each), on the same disk as the site's database.
 */
export function rawCommitFloor(dir: string, commits: number): { commitsPerS: number } {
  const file = join(dir, 'raw-floor.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table t (id integer primary key, v text)');
  const insert = db.prepare('insert into t (v) values (?)');
  const started = performance.now();
  for (let i = 0; i < commits; i++) insert.run(`row ${i}`);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  return { commitsPerS: commits / seconds };
}
