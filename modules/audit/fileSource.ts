import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { SEALED_UP_TO } from './blocks';
import { highestIssuedQuery, pageQuery, storedEntry, type EntryRow, type LogColumns } from './chain';
import { quoted } from './records';
import type { ChainSource, Reach } from './verify';

/**
 * The chain as read from a database file opened outside the app (the command-line check, a site
 * move): read-only, so a file the app has not opened since a migration is read with the columns it has.
 */
export function fileChainSource(sqlite: Database.Database): ChainSource {
  const db = drizzle(sqlite);
  const hasColumn = (name: string, table = 'audit_log') => sqlite.prepare(`select 1 from pragma_table_info(?) where name = ?`).get(table, name) !== undefined;
  const columns: LogColumns = {
    hasEventColumn: hasColumn('event_seq'),
    hasBlockColumns: hasColumn('last_event_id'),
    hasTerminalColumn: hasColumn('terminal'),
    hasEventTerminal: hasColumn('terminal', 'transition_events'),
  };
  return {
    columns,
    page: (afterSeq, limit) => db.all<EntryRow>(pageQuery(afterSeq, limit, columns)).map(storedEntry),
    highestIssued: () => db.all<{ seq: number }>(highestIssuedQuery())[0]?.seq ?? 0,
    all: (query) => db.all(query),
  };
}

/** Whether the file has an audit log at all (the module has run on it). */
export const hasAuditLog = (sqlite: Database.Database): boolean =>
  sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'audit_log'`).get() !== undefined;

/** Events committed after the last one sealed (the app was stopped before sealing them); 0 for a log from before the mark. */
export function unsealedEvents(sqlite: Database.Database): number {
  const hasMark = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'audit_event_mark'`).get();
  if (!hasMark) return 0;
  return sqlite.prepare(`select count(*) from transition_events where id > ${SEALED_UP_TO}`).pluck().get() as number;
}

/** Rows of the sealed tables committed after the last block of each (the app seals them when it next runs). */
export function unsealedRows(sqlite: Database.Database, reach: Reach): { table: string; rows: number }[] {
  return reach.tables.flatMap(({ table, key, upTo }) => {
    try {
      const rows = sqlite.prepare(`select count(*) from ${quoted(table)} where ${quoted(key)} > ?`).pluck().get(upTo) as number;
      return rows > 0 ? [{ table, rows }] : [];
    } catch {
      return [];
    }
  });
}
