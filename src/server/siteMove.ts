import { resolve } from 'node:path';
import { MoveFailed, MoveInterrupted, MoveRefused } from '../core/db/pg/move/errors';
import { moveSite, reportLines } from '../core/db/pg/move/move';
import { parseCommandLine } from '../harness/http';

/**
 * `npm run site:move`, or bin/aviation-workflow-site-move in the server package: copies a stopped
 * site's SQLite database into an empty PostgreSQL database and proves the copy (docs/postgresql.md,
 * "Moving a site to PostgreSQL").
 */

const command = process.env['AVIATION_WORKFLOW_MOVE_COMMAND'] ?? 'npm run site:move';

const { values: args } = parseCommandLine({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    from: { type: 'string' },
    to: { type: 'string' },
    'app-role': { type: 'string' },
    'allow-broken-chain': { type: 'boolean', default: false },
    'leave-behind': { type: 'boolean', default: false },
  },
  describe: {
    help: 'print this text and exit',
    from: "the stopped site's data folder (or its aviation-workflow.sqlite)",
    to: 'the empty PostgreSQL database, as its owner: postgres://owner@host:5432/database (password: PGPASSWORD or ~/.pgpass)',
    'app-role': 'the role the site server will connect as: created if missing, and given its grants',
    'allow-broken-chain': 'move a site whose audit chain is broken (the damage is carried over as it is)',
    'leave-behind': 'move without the modules and tables this program has no PostgreSQL schema for',
  },
  command,
  summary:
    "Moves a site's SQLite database into an empty PostgreSQL database (15 or later) in one transaction, then compares every row of every table " +
    'with SQLite before committing. Nothing is written to the target when the move is refused, fails or is interrupted.',
  exitCodes: [
    '0  moved and verified (committed)',
    '1  refused: nothing was written to the target (the reason is printed)',
    '2  a wrong command line',
    '3  failed or found a difference: rolled back, the target is as it was',
    '130  interrupted (Ctrl-C): rolled back, the target is as it was',
  ],
});

const { from, to } = args;
if (!from || !to) {
  process.stderr.write(`${command}: give --from <data folder> and --to <postgres://owner@host:port/database> (see --help)\n`);
  process.exit(2);
}

const stop = new AbortController();
process.on('SIGINT', () => {
  if (stop.signal.aborted) process.exit(130); // the connection drops, and PostgreSQL rolls back by itself
  console.log('Stopping at the next batch and rolling back (Ctrl-C again to stop at once; the target is rolled back either way)…');
  stop.abort();
});

/** Tests only: waits after copying this table until Ctrl-C, so an interruption mid-copy can be tested. */
const pauseAfter = process.env['AVIATION_WORKFLOW_MOVE_TEST_PAUSE_AFTER'];
const paused = () => new Promise<void>((done) => stop.signal.addEventListener('abort', () => done(), { once: true }));

async function main(from: string, to: string): Promise<number> {
  const report = await moveSite({
    from,
    to,
    assetsRoot: resolve(import.meta.dirname, '../../..'),
    appRole: args['app-role'],
    allowBrokenChain: args['allow-broken-chain'],
    leaveBehind: args['leave-behind'],
    signal: stop.signal,
    out: (line) => console.log(line),
    afterTable: pauseAfter
      ? async (table) => {
          if (table !== pauseAfter) return;
          console.log(`Paused after ${table} (AVIATION_WORKFLOW_MOVE_TEST_PAUSE_AFTER).`);
          await paused();
        }
      : undefined,
  });
  for (const line of reportLines(report)) console.log(line);
  return 0;
}

/** The reason, in a paragraph, and the exit code. */
function failed(error: unknown): number {
  console.log('');
  if (error instanceof MoveRefused) {
    console.log(`Not moved: ${error.message}`);
    return 1;
  }
  if (error instanceof MoveInterrupted) {
    console.log('Not moved: interrupted (Ctrl-C). Everything was rolled back: the target is as it was.');
    return 130;
  }
  if (error instanceof MoveFailed) {
    console.log(`Not moved: ${error.message} Everything was rolled back: the target is as it was.`);
    for (const line of error.details) console.log(`  ${line}`);
    return 3;
  }
  console.log(`Not moved: ${(error as Error).stack ?? String(error)}`);
  return 3;
}

main(from, to).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(failed(error)),
);
