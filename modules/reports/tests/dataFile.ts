import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The app's database file in a data folder, opened for `fn` as someone with the file would, and closed after. */
export function readDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'aviation-workflow.sqlite'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** readDb for work that awaits (the file stays open until it is done). */
export async function readDbAsync<T>(dataDir: string, fn: (db: Database.Database) => Promise<T>): Promise<T> {
  const db = new Database(join(dataDir, 'aviation-workflow.sqlite'));
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** A copy of the folder's settings with the reports module off: for a run without it on the same file (one core at a time). */
export function settingsWithoutReports(dataDir: string): string {
  const path = join(dataDir, 'settings-without-reports.json');
  const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));
  settings.modules.reports = { enabled: false };
  writeFileSync(path, JSON.stringify(settings));
  return path;
}
