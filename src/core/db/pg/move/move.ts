import pg from 'pg';
import { migratePostgres } from '../migrate';
import { grantAppRole } from '../roles';
import { sourceChecks, type SourceCheckResult } from './checks';
import { checkSignal, clearMigrationRows, copyTable, disabledTriggers, setSequences, setTriggers, type CopyContext, type SequenceSet } from './copy';
import { MoveFailed, MoveRefused } from './errors';
import { planMove, type MovePlan } from './plan';
import { count, duration, progressLines } from './progress';
import { rebuildSearch, SEARCH_TABLE, searchTextsOff } from './search';
import { openSource } from './source';
import type { MovedTable } from './tables';
import { checkTarget, joinedClient, type TargetFacts } from './target';
import { compareTable, tableEqual, type TableCheck } from './verify';

export interface MoveOptions {
  /** The site's data folder, or its .sqlite file. */
  from: string;
  /** postgres://owner@host:port/database (a password from the URL, PGPASSWORD or ~/.pgpass, as pg reads them). */
  to: string;
  /** Where src/core/db/migrations*, modules/<name>/migrations* are (the project, or the installed server's folder). */
  assetsRoot: string;
  /** The role the site server will connect as: created if missing, and given its grants (roles.ts). */
  appRole?: string;
  /** Move a site whose audit chain is broken (it is reported, loudly). */
  allowBrokenChain?: boolean;
  /** Move without the modules and tables this program cannot move (they stay in the SQLite file). */
  leaveBehind?: boolean;
  /** Stops the move at the next batch, rolled back (Ctrl-C). */
  signal?: AbortSignal;
  /** Each line the move prints. */
  out: (line: string) => void;
  progressEveryMs?: number;
  /** After each table is copied, inside the transaction (tests: a failure there, or a value changed, must leave the target as it was). */
  afterTable?: (table: string, client: pg.Client) => void | Promise<void>;
}

export interface MoveReport {
  owners: string[];
  target: TargetFacts;
  checks: { name: string; result: SourceCheckResult }[];
  tables: TableCheck[];
  sequences: SequenceSet[];
  leftBehind: MovePlan['leftBehind'];
  ms: number;
}

/** The search index, compared by its ids only (its text is rebuilt, see search.ts). */
const SEARCH_IDS: MovedTable = {
  name: SEARCH_TABLE,
  owner: 'core',
  columns: [{ name: 'rowid', kind: 'integer', sqlType: 'bigint', generated: false, identity: false }],
  key: ['rowid'],
  references: [],
};

/**
 * Moves a site's SQLite database into an empty PostgreSQL database and proves the copy, in one
 * PostgreSQL transaction: the target checks, the migrations, the copy, the comparison and the app
 * role's grants all commit together or not at all (a failure, a difference or Ctrl-C rolls back, and
 * the target is as it was). Refusals (MoveRefused) come before anything is written.
 */
export async function moveSite(options: MoveOptions): Promise<MoveReport> {
  const { out, signal } = options;
  const started = performance.now();
  const progress = progressLines(out, options.progressEveryMs);

  const source = openSource(options.from);
  try {
    const plan = planMove(source, options.assetsRoot, options.leaveBehind === true);
    out(`Source: ${source.file} (${(source.sizeBytes / 1e6).toFixed(1)} MB): quick_check ok, ${source.lockedFolder ? 'its data folder locked (the site stays stopped until the move ends), ' : ''}schema current (${plan.ledgers.map((l) => `${l.owner} ${l.applied}`).join(', ')}).`);
    if (plan.leftBehind.owners.length || plan.leftBehind.tables.length) {
      out(`WARNING: left behind, in the SQLite file only (--leave-behind): ${[...plan.leftBehind.owners.map((m) => `module ${m}`), ...plan.leftBehind.tables].join(', ')}.`);
    }

    const client = new pg.Client({ connectionString: options.to, application_name: 'aviation-workflow site move' });
    // A connection lost mid-move fails the query in flight; without a listener the error event would end the process.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      throw new MoveRefused(`Could not connect to the target ${redacted(options.to)}: ${(error as Error).message}`);
    }
    try {
      // A move takes minutes, and its transaction waits while the audit chain is checked: no limits meant for the app's statements.
      await client.query('set statement_timeout = 0; set idle_in_transaction_session_timeout = 0');
      await client.query('begin');
      // The migrations' own lock, held to the end: a site server started on the target waits for the move.
      await client.query("select pg_advisory_xact_lock(hashtext('aviation-workflow migrations'))");
      const target = await checkTarget(client, { assetsRoot: options.assetsRoot, appRole: options.appRole });
      out(`Target: ${redacted(options.to)} (PostgreSQL ${target.version}, database ${target.database}, owner ${target.user}): empty${target.migrated ? ', migrated by this version' : ''}.`);

      const checks = await runSourceChecks(source.sqlite, plan.owners, options, progress);
      const report = await copyAndVerify({ sqlite: source.sqlite, client, progress, signal }, plan, options);
      if (options.appRole !== undefined) {
        await grantAppRole(joinedClient(client), { role: options.appRole });
        out(`App role ${options.appRole}: granted (SELECT/INSERT on append-only tables, no DELETE on undeletable ones, USAGE on sequences; never TRUNCATE).`);
      }
      await client.query('commit');
      return { owners: plan.owners, target, checks, ...report, leftBehind: plan.leftBehind, ms: performance.now() - started };
    } catch (error) {
      await client.query('rollback').catch(() => {});
      if (error instanceof MoveRefused || error instanceof MoveFailed) throw error;
      throw new MoveFailed(`The move failed: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => {});
    }
  } finally {
    source.close();
  }
}

async function runSourceChecks(sqlite: CopyContext['sqlite'], owners: string[], options: MoveOptions, progress: ReturnType<typeof progressLines>) {
  const results: MoveReport['checks'] = [];
  for (const { check } of sourceChecks(owners)) {
    let started = false;
    const result = await check.run(sqlite, (done, total) => {
      if (!started) progress.start(`checking the ${check.name}`, total);
      started = true;
      progress.update(done);
    });
    options.out(`Source ${check.name}: ${result.summary}`);
    for (const line of result.details) options.out(`  ${line}`);
    if (!result.ok) {
      if (!options.allowBrokenChain) {
        throw new MoveRefused(
          `The site's ${check.name} is broken (above): it is not moved as it is. Find out what changed first (npm run audit:verify, or the Audit panel); ` +
            'to move it anyway, with the damage carried over to PostgreSQL as it is, add --allow-broken-chain.',
        );
      }
      options.out(`WARNING: moving a site whose ${check.name} is BROKEN (--allow-broken-chain): the copy carries the same damage, and its check will report it there too.`);
    }
    results.push({ name: check.name, result });
  }
  return results;
}

async function copyAndVerify(ctx: CopyContext, plan: MovePlan, options: MoveOptions): Promise<Pick<MoveReport, 'tables' | 'sequences'>> {
  const { client, signal } = ctx;
  const { out } = options;
  checkSignal(signal);
  const migrated = await migratePostgres(joinedClient(client), { assetsRoot: options.assetsRoot, modules: plan.owners.filter((o) => o !== 'core') });
  out(`Migrated: ${migrated.join(', ')}.`);

  const names = plan.tables.map((t) => t.name);
  await setTriggers(client, [...names, SEARCH_TABLE], false);
  await clearMigrationRows(client, plan.tables);
  out(`Copying ${plan.tables.length} tables (one transaction; the tables' triggers off while copying, foreign keys checked):`);
  const copied = new Map<string, number>();
  for (const table of plan.tables) {
    copied.set(table.name, await copyTable(ctx, table));
    await options.afterTable?.(table.name, client);
  }
  ctx.progress.start(SEARCH_TABLE, copied.get('work_items') ?? 0);
  ctx.progress.update(await rebuildSearch(client));
  ctx.progress.finish('rebuilt from work_items');
  const sequences = await setSequences(client, ctx.sqlite, plan.tables);
  await setTriggers(client, [...names, SEARCH_TABLE], true);
  for (const name of names) await client.query(`analyze ${pg.escapeIdentifier(name)}`);

  out('Comparing every row of every table with SQLite…');
  const tables: TableCheck[] = [];
  for (const table of plan.tables) tables.push(await compareTable(ctx, table, copied.get(table.name) ?? 0));
  tables.push(await compareTable(ctx, SEARCH_IDS, copied.get('work_items') ?? 0));
  checkSignal(signal);
  const problems = tables.filter((t) => !tableEqual(t));
  const textsOff = await searchTextsOff(client);
  const stillOff = await disabledTriggers(client, [...names, SEARCH_TABLE]);
  if (problems.length || textsOff || stillOff.length) {
    throw new MoveFailed(
      `The copy is not the same as the SQLite database, so it was rolled back: ${[
        ...problems.map((t) => `${t.table} (${count(t.differing)} rows differ; ${count(t.sqliteRows)} rows on SQLite, ${count(t.pgRows)} on PostgreSQL)`),
        ...(textsOff ? [`${count(textsOff)} search texts not what their items give`] : []),
        ...(stillOff.length ? [`triggers still off: ${stillOff.join(', ')}`] : []),
      ].join('; ')}.`,
      problems.flatMap((t) => t.differences),
    );
  }
  return { tables, sequences };
}

/** The connection URL without its password, for printing. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(the --to URL)';
  }
}

/** The report printed after a move: a line per table, the sequences, the checks, the time. */
export function reportLines(report: MoveReport): string[] {
  const width = Math.max(...report.tables.map((t) => t.table.length));
  const rows = report.tables.reduce((n, t) => n + t.sqliteRows, 0);
  const sequences = report.sequences.map((s) => `${s.table}.${s.column} ${count(s.last + 1)}`).join(', ');
  return [
    '',
    `  ${'table'.padEnd(width)} ${'SQLite'.padStart(12)} ${'PostgreSQL'.padStart(12)}   content`,
    ...report.tables.map((t) =>
      t.table === SEARCH_TABLE
        ? `  ${t.table.padEnd(width)} ${count(t.sqliteRows).padStart(12)} ${count(t.pgRows).padStart(12)}   rebuilt: the same item ids, every text what its item gives`
        : `  ${t.table.padEnd(width)} ${count(t.sqliteRows).padStart(12)} ${count(t.pgRows).padStart(12)}   equal  sha256 ${t.digest.slice(0, 16)}`,
    ),
    '',
    `Rows: ${count(rows)} in ${report.tables.length} tables, each value compared (booleans as 0/1 and false/true, bigints exactly, bytes as bytes, JSON text character for character).`,
    `Sequences set past the highest ids, next: ${sequences || 'none'}.`,
    ...report.checks.map(({ name, result }) =>
      result.ok
        ? `${name[0]!.toUpperCase()}${name.slice(1)}: ${result.summary.replace(/\.$/, '')} on SQLite; its tables are identical on PostgreSQL (hashes byte for byte, the hashed JSON text character for character).`
        : `${name[0]!.toUpperCase()}${name.slice(1)}: BROKEN on SQLite (moved anyway, --allow-broken-chain): the same damage is on PostgreSQL.`,
    ),
    ...(report.leftBehind.owners.length || report.leftBehind.tables.length
      ? [`Left behind in the SQLite file: ${[...report.leftBehind.owners.map((m) => `module ${m}`), ...report.leftBehind.tables].join(', ')}.`]
      : []),
    `Moved and verified in ${duration(report.ms)}: committed.`,
  ];
}
