/**
 * Checks an audit trail's hash chain from the command line, with the module's own code:
 *   npm run audit:verify -- --data-dir <folder>      (or: -- <file.sqlite>)   [--all]
 * Prints OK and the count, or the problems (a handful, and how many more; --all lists every one).
 * Exit codes: 0 intact, 1 broken, 2 could not check.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileChainSource, hasAuditLog, unsealedEvents, unsealedRows } from './fileSource';
import { chainSummary, HANDFUL, problemPlace, problemsHeadline } from './problems';
import { verifyChain } from './verify';

/** The database's file name in a data folder (see src/core/app.ts). */
const DATABASE_FILE = 'aviation-workflow.sqlite';

const { values, positionals } = parseArgs({ options: { 'data-dir': { type: 'string' }, all: { type: 'boolean' } }, allowPositionals: true });

function databasePath(): string {
  const given = values['data-dir'] ?? positionals[0];
  if (!given) throw new Error('Say which database to check: --data-dir <folder> or the path of the .sqlite file.');
  const path = resolve(given);
  if (!existsSync(path)) throw new Error(`${path} does not exist.`);
  return statSync(path).isDirectory() ? join(path, DATABASE_FILE) : path;
}

async function main(): Promise<number> {
  const file = databasePath();
  if (!existsSync(file)) throw new Error(`There is no database at ${file}.`);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (!hasAuditLog(sqlite)) throw new Error(`${file} has no audit log (the audit module has never run on it).`);
    // A file the app has not opened since a migration lacks its columns (read-only here, so it stays so).
    const source = fileChainSource(sqlite);
    const total = (sqlite.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
    const tty = process.stderr.isTTY;
    const result = await verifyChain(source, {
      listed: values.all ? Infinity : HANDFUL,
      onProgress: (checked) => {
        if (tty) process.stderr.write(`\rChecked ${checked} of ${total} entries…`);
      },
    });
    if (tty) process.stderr.write('\n');
    const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const notes = () => result.notes.forEach((note) => console.log(`Note: ${note}`));
    if (result.ok) {
      const parts = [
        ...(result.events > 0 ? [plural(result.events, 'work-item event', 'work-item events')] : []),
        ...(result.records > 0
          ? [`${plural(result.records, 'record', 'records')} (${result.reach.tables.filter((t) => t.rows > 0).map((t) => `${t.table} ${t.rows}`).join(', ')})`]
          : []),
      ];
      const sealing = parts.length ? `, sealing ${parts.join(' and ')} in blocks` : '';
      console.log(`OK: ${entries(result.entries)}${sealing}, the chain is intact. Last entry #${result.lastSeq}, hash ${result.lastHash}.`);
      notes();
      const unsealed = unsealedEvents(sqlite);
      if (unsealed > 0) {
        console.log(`${unsealed} work-item ${unsealed === 1 ? 'event is' : 'events are'} not in the chain yet: the app seals them when it next runs.`);
      }
      for (const { table, rows } of unsealedRows(sqlite, result.reach)) {
        console.log(`${plural(rows, `${table} row is`, `${table} rows are`)} not in the chain yet: the app seals them when it next runs.`);
      }
      return 0;
    }
    console.log(`BROKEN: ${problemsHeadline(result.problemCount, result.broken)}`);
    for (const p of result.problems) console.log(`  ${problemPlace(p)}: ${p.message}`);
    const rest = result.problemCount - result.problems.length;
    if (rest > 0) console.log(`  … and ${rest.toLocaleString('en')} more: add --all to list every one.`);
    console.log(chainSummary(result));
    notes();
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
