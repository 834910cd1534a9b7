import { isCorruptionError } from '../../src/core/db/databaseFile';
import type { ModuleContext } from '../../src/core/modules/types';
import type { Backup } from './contract';

export interface VerifyResult {
  ok: boolean;
  problem?: string;
  rows: Backup['rows'];
  /** The highest transition id in the backup (0 if none): what a copy must reach to hold every transition committed when it began. */
  lastTransitionId: number;
}

/**
 * Checks a backup on a worker thread (the copy is read whole; the app keeps answering meanwhile):
 * PRAGMA integrity_check must say "ok", and it must be an Aviation Workflow database (its work
 * items and transitions readable, counted). A damaged file or one that is not a database is not
 * ok; any other failure (a file that cannot be opened, a check that does not finish) is thrown.
 */
export async function verifyBackupFile(inspectFile: ModuleContext<unknown>['inspectFile'], file: string): Promise<VerifyResult> {
  const db = inspectFile(file);
  try {
    const findings = (await db.all<Record<string, string>>('PRAGMA integrity_check(20)')).map((r) => Object.values(r)[0]);
    if (findings.length !== 1 || findings[0] !== 'ok') return { ok: false, problem: `integrity_check: ${findings.join('; ')}`, rows: null, lastTransitionId: 0 };
    const tables = new Set((await db.all<{ name: string }>(`select name from sqlite_master where type = 'table'`)).map((r) => r.name));
    const missing = ['work_items', 'transition_events'].filter((t) => !tables.has(t));
    if (missing.length) return { ok: false, problem: `not an Aviation Workflow database (no ${missing.join(', ')} table)`, rows: null, lastTransitionId: 0 };
    const [counts] = await db.all<{ workItems: number; transitions: number; lastTransitionId: number }>(
      `select (select count(*) from work_items) as workItems, (select count(*) from transition_events) as transitions,
              (select coalesce(max(id), 0) from transition_events) as lastTransitionId`,
    );
    return { ok: true, rows: { workItems: counts!.workItems, transitions: counts!.transitions }, lastTransitionId: counts!.lastTransitionId };
  } catch (error) {
    if (isCorruptionError(error) || /not a database|malformed/i.test((error as Error).message)) {
      return { ok: false, problem: (error as Error).message, rows: null, lastTransitionId: 0 };
    }
    throw error;
  } finally {
    await db.close();
  }
}
