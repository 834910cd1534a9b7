/**
 * Checks an audit trail's hash chain from the command line, with the module's own code:
 *   npm run audit:verify -- --data-dir <folder>      (or: -- <file.sqlite>)
 * Prints OK and the count, or the first broken entry. Exit codes: 0 intact, 1 broken, 2 could not check.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { eventRange, SEALED_UP_TO, type EventRow } from './blocks';
import { highestIssuedQuery, pageQuery, storedEntry, type EntryRow } from './chain';
import { verifyChain, type ChainSource } from './verify';

/** The database's file name in a data folder (see src/core/app.ts). */
const DATABASE_FILE = 'aviation-workflow.sqlite';

function databasePath(): string {
  const { values, positionals } = parseArgs({ options: { 'data-dir': { type: 'string' } }, allowPositionals: true });
  const given = values['data-dir'] ?? positionals[0];
  if (!given) throw new Error('Say which database to check: --data-dir <folder> or the path of the .sqlite file.');
  const path = resolve(given);
  if (!existsSync(path)) throw new Error(`${path} does not exist.`);
  return statSync(path).isDirectory() ? join(path, DATABASE_FILE) : path;
}

/** Events committed after the last one sealed (the app was stopped before sealing them); 0 for a log from before the mark. */
function unsealedEvents(sqlite: Database.Database): number {
  const hasMark = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'audit_event_mark'`).get();
  if (!hasMark) return 0;
  return sqlite.prepare(`select count(*) from transition_events where id > ${SEALED_UP_TO}`).pluck().get() as number;
}

async function main(): Promise<number> {
  const file = databasePath();
  if (!existsSync(file)) throw new Error(`There is no database at ${file}.`);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasLog = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'audit_log'`).get();
    if (!hasLog) throw new Error(`${file} has no audit log (the audit module has never run on it).`);
    const db = drizzle(sqlite);
    // A file the app has not opened since a migration lacks its columns (read-only here, so it stays so).
    const hasColumn = (name: string) => sqlite.prepare(`select 1 from pragma_table_info('audit_log') where name = ?`).get(name) !== undefined;
    const columns = { hasEventColumn: hasColumn('event_seq'), hasBlockColumns: hasColumn('last_event_id') };
    const source: ChainSource = {
      page: (afterSeq, limit) => db.all<EntryRow>(pageQuery(afterSeq, limit, columns)).map(storedEntry),
      highestIssued: () => db.all<{ seq: number }>(highestIssuedQuery())[0]?.seq ?? 0,
      events: (first, last) => db.all<EventRow>(eventRange(first, last)),
    };
    const total = (sqlite.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
    const tty = process.stderr.isTTY;
    const result = await verifyChain(source, (checked) => {
      if (tty) process.stderr.write(`\rChecked ${checked} of ${total} entries…`);
    });
    if (tty) process.stderr.write('\n');
    const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
    if (result.ok) {
      const sealing = result.events > 0 ? `, sealing ${result.events} work-item ${result.events === 1 ? 'event' : 'events'} in blocks` : '';
      console.log(`OK: ${entries(result.entries)}${sealing}, the chain is intact. Last entry #${result.lastSeq}, hash ${result.lastHash}.`);
      const unsealed = unsealedEvents(sqlite);
      if (unsealed > 0) {
        console.log(`${unsealed} work-item ${unsealed === 1 ? 'event is' : 'events are'} not in the chain yet: the app seals them when it next runs.`);
      }
      return 0;
    }
    console.log(`BROKEN at entry #${result.broken.seq} (${result.broken.kind}): ${result.broken.message}`);
    console.log(`${entries(result.entries)} before it ${result.entries === 1 ? 'checks' : 'check'} out.`);
    return 1;
  } finally {
    sqlite.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`audit:verify could not check the log: ${error.message}`);
    process.exit(2);
  },
);
