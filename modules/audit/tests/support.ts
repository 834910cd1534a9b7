import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { join } from 'node:path';
import { makeDataDir, startApp, type TempApp } from '../../../tests/support/tempApp';
import { BLOCK_ENTITY, blockSummary, CELLS_BEFORE_TERMINAL, eventCells, eventRange, sealedEvent, statedSummary, type EventRow } from '../blocks';
import { canonicalJson, entryHash, GENESIS_HASH, pageQuery, storedEntry, type EntryRow } from '../chain';
import type { AuditEntry, AuditPage } from '../contract';
import { makePrints } from '../prints';

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

/**
 * Makes a log written by this version into one from before terminals were recorded (audit
 * migration 0007, the core's 0007), for tests that take a file back to an older form: every
 * terminal cleared, each block of events sealed again as it was then (its events without
 * terminals, prints of the cells before `terminal`; keeping what it says was found), every hash
 * and link recomputed. Drop the triggers first.
 */
export function forgetTerminals(file: Database.Database): void {
  const db = drizzle(file);
  file.exec('update transition_events set terminal = null; update audit_log set terminal = null;');
  const update = file.prepare('update audit_log set after_json = ?, prev_hash = unhex(?), hash = unhex(?) where seq = ?');
  let prevHash = GENESIS_HASH;
  for (const entry of db.all<EntryRow>(pageQuery(0, 1_000_000)).map(storedEntry)) {
    let afterJson = entry.afterJson;
    const stated = entry.entity === BLOCK_ENTITY ? statedSummary(afterJson) : null;
    if (stated) {
      const rows = db.all<EventRow>(eventRange(stated.firstEventId, stated.lastEventId));
      const summary = blockSummary(stated.firstEventId, stated.lastEventId, rows.map(sealedEvent), rows, stated.foundUpTo ?? 0);
      const prints = makePrints(rows.map((r) => eventCells(r).slice(0, CELLS_BEFORE_TERMINAL + 1)), CELLS_BEFORE_TERMINAL);
      afterJson = canonicalJson({ ...summary, prints });
    }
    const hash = entryHash(prevHash, { ...entry, afterJson, terminal: null });
    update.run(entry.eventSeq == null ? afterJson : null, prevHash, hash, entry.seq);
    prevHash = hash;
  }
}
