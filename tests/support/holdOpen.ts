import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './tempApp';

/**
 * A program other than the app holding the database open (a viewer, a script), or with
 * `writeLock` also its write lock (an open write transaction). Resolves once the other process
 * holds it; release() rolls back, closes and waits for it to end.
 */
export function holdOpen(file: string, { writeLock = false } = {}): Promise<{ release(): Promise<void> }> {
  const hold = writeLock ? `db.exec("BEGIN IMMEDIATE; UPDATE work_items SET title = 'Held elsewhere'");` : `db.prepare('select count(*) from sqlite_schema').get();`;
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const D = require(${JSON.stringify(join(projectRoot, 'node_modules', 'better-sqlite3'))});
       const db = new D(${JSON.stringify(file)}, { fileMustExist: true });
       ${hold}
       console.log('holding');
       process.stdin.on('data', () => { if (db.inTransaction) db.exec('ROLLBACK'); db.close(); process.exit(0); });`,
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
            child.stdin.write('close\n');
          }),
      }),
    );
  });
}
