import type { SqliteDatabase } from '../../src/core/db/databaseFile';
import { isCorruptionError } from '../../src/core/db/databaseFile';
import type { Backup } from './contract';

export interface VerifyResult {
  ok: boolean;
  problem?: string;
  rows: Backup['rows'];
}

/**
 * Opens a backup read-only and checks it: PRAGMA integrity_check must say "ok", and it must be
 * an Aviation Workflow database (its work items and transitions readable, counted).
 */
export function verifyBackupFile(open: (file: string) => SqliteDatabase, file: string): VerifyResult {
  let db: SqliteDatabase | undefined;
  try {
    db = open(file);
    const findings = (db.pragma('integrity_check(20)') as Record<string, string>[]).map((r) => Object.values(r)[0]);
    if (findings.length !== 1 || findings[0] !== 'ok') return { ok: false, problem: `integrity_check: ${findings.join('; ')}`, rows: null };
    const tables = new Set((db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    const missing = ['work_items', 'transition_events'].filter((t) => !tables.has(t));
    if (missing.length) return { ok: false, problem: `not an Aviation Workflow database (no ${missing.join(', ')} table)`, rows: null };
    const count = (table: string) => (db!.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return { ok: true, rows: { workItems: count('work_items'), transitions: count('transition_events') } };
  } catch (error) {
    if (isCorruptionError(error) || /not a database|malformed/i.test((error as Error).message)) {
      return { ok: false, problem: (error as Error).message, rows: null };
    }
    throw error;
  } finally {
    db?.close();
  }
}
