import Database from 'better-sqlite3';
import { join } from 'node:path';
import { makeDataDir, startApp, type TempApp } from '../../../tests/support/tempApp';
import type { AuditEntry, AuditPage } from '../contract';

export const START = Date.parse('2026-03-02T08:00:00Z');
/** The first run's entries are a minute before START, so the trail's time order puts them first. */
export const FIRST_RUN_AT = START - 60_000;

/**
 * Entries every new log starts with: the settings file's three departments and one template, at
 * first run; then, once every module has started, what the comments module declares for the trail
 * (its coverage entry).
 */
export const FIRST_RUN_ENTRIES = 5;

/** An app on a temp folder whose clock moves only when told (each call to advance). */
export function auditApp(extra: Parameters<typeof startApp>[0] = {}, dataDir = makeDataDir()) {
  let now = FIRST_RUN_AT;
  const t = startApp({ clock: () => now, ...extra }, dataDir);
  // The start-up job (the modules' declarations into the chain) runs now, not at some point in the test.
  t.app.settle();
  now = START;
  return {
    t,
    advance: (ms: number) => (now += ms),
    /** Every entry, oldest first. */
    entries: async (): Promise<AuditEntry[]> => {
      const out: AuditEntry[] = [];
      for (let offset = 0; ; offset += 200) {
        const page = await t.call<AuditPage>('audit.list', { limit: 200, offset });
        out.push(...page.rows);
        // The total is counted only up to a cap: a short page is the end.
        if (page.rows.length < 200) return out.reverse();
      }
    },
    /** A second connection to the same file, as someone with the file would open it. */
    openFile: () => new Database(join(t.dataDir, 'aviation-workflow.sqlite')),
  };
}

export type AuditApp = ReturnType<typeof auditApp>;
export type { TempApp };
