import type Database from 'better-sqlite3';
import { escapeIdentifier, type Client } from 'pg';
import { MoveFailed, MoveInterrupted } from './errors';
import type { Progress } from './progress';
import type { MovedTable } from './tables';
import { toPg, ValueError } from './values';

/** A batch is sent at this many rows, or sooner at this many characters of text (audit entries carry JSON). */
const BATCH_ROWS = 5000;
const BATCH_CHARS = 8_000_000;

export const quoted = escapeIdentifier;
const list = (names: string[]) => names.map(quoted).join(', ');

export interface CopyContext {
  sqlite: Database.Database;
  client: Client;
  progress: Progress;
  signal?: AbortSignal;
}

export const checkSignal = (signal?: AbortSignal): void => {
  if (signal?.aborted) throw new MoveInterrupted();
};

/** "id 5", "item_id 3, event_seq 2": a row, by its key. */
export const rowName = (table: MovedTable, row: unknown[], columns: string[]): string =>
  table.key.map((k) => `${k} ${String(row[columns.indexOf(k)])}`).join(', ');

/**
 * Copies one table: streams SQLite's rows in key order (iterate: a million rows never sit in memory)
 * and inserts them in batches of one statement each, `insert … select * from unnest($1::bigint[], …)`
 * (one array parameter per column, whatever the batch size). The next batch is read from SQLite while
 * PostgreSQL inserts the last one. Generated columns are left to PostgreSQL. Returns the rows copied.
 */
export async function copyTable(ctx: CopyContext, table: MovedTable): Promise<number> {
  const { sqlite, client, progress, signal } = ctx;
  checkSignal(signal);
  const columns = table.columns.filter((c) => !c.generated);
  const names = columns.map((c) => c.name);
  const total = Number(sqlite.prepare(`select count(*) from ${quoted(table.name)}`).pluck().get());
  progress.start(table.name, total);
  const select = sqlite.prepare(`select ${list(names)} from ${quoted(table.name)} order by ${list(table.key)}`).raw(true).safeIntegers(true);
  const insert = `insert into ${quoted(table.name)} (${list(names)}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${c.sqlType}[]`).join(', ')})`;

  let batch: unknown[][] = columns.map(() => []);
  let rows = 0;
  let chars = 0;
  let firstRow: unknown[] | null = null;
  let done = 0;
  let pending: Promise<void> | null = null;
  const send = async (last: unknown[]) => {
    const values = batch;
    const sent = rows;
    const from = rowName(table, firstRow!, names);
    const to = rowName(table, last, names);
    batch = columns.map(() => []);
    rows = chars = 0;
    firstRow = null;
    await pending;
    checkSignal(signal);
    pending = client.query(insert, values).then(
      () => {
        done += sent;
        progress.update(done);
      },
      (error: Error & { detail?: string }) => {
        throw new MoveFailed(`PostgreSQL refused rows of ${table.name} (${from} to ${to}): ${error.message}${error.detail ? ` (${error.detail})` : ''}.`);
      },
    );
    // Awaited before the next batch; until then a failure must not count as unhandled.
    pending.catch(() => {});
  };

  let last: unknown[] = [];
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    firstRow ??= row;
    last = row;
    for (let i = 0; i < columns.length; i++) {
      const value = row[i];
      try {
        batch[i]!.push(toPg(columns[i]!.kind, value));
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        throw new MoveFailed(`${table.name} row ${rowName(table, row, names)}: ${columns[i]!.name} holds ${error.message}.`);
      }
      if (typeof value === 'string') chars += value.length;
    }
    rows++;
    if (rows >= BATCH_ROWS || chars >= BATCH_CHARS) await send(row);
  }
  if (rows > 0) await send(last);
  await pending;
  progress.finish();
  return done;
}

/**
 * Removes the rows the migrations themselves wrote into an empty database (the sealing marks of the
 * audit trail and the reports start at 0): the copy brings the site's own. The target had no rows
 * before (checkTarget), so nothing else is there to remove. Children first, for the foreign keys.
 */
export async function clearMigrationRows(client: Client, tables: MovedTable[]): Promise<void> {
  for (const table of [...tables].reverse()) await client.query(`delete from ${quoted(table.name)}`);
}

/**
 * Switches the tables' own triggers off for the copy, or on again. Off: the copy is the site's rows
 * as they are, derived ones included (tallies, report counts, the assignments' and comments' records),
 * copied verbatim rather than made again by the triggers, which would count what the copy also brings
 * (tallies twice) or refuse an order they do not expect (an assignment before its history row). The
 * append-only guards are among them; the target is empty and only INSERTs run. ALTER TABLE … DISABLE
 * TRIGGER USER needs only the tables' owner (session_replication_role would need a superuser) and keeps
 * the foreign keys' system triggers on: PostgreSQL checks every reference while copying. It is part of
 * the transaction: a rollback turns them back on by itself.
 */
export async function setTriggers(client: Client, tables: string[], on: boolean): Promise<void> {
  for (const table of tables) await client.query(`alter table ${quoted(table)} ${on ? 'enable' : 'disable'} trigger user`);
}

/** User triggers of these tables that are not enabled (none, once the move switched them on again). */
export async function disabledTriggers(client: Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select c.relname || '.' || t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relname = any($1) and not t.tgisinternal and t.tgenabled <> 'O' order by 1`,
    [tables],
  );
  return rows.map((r) => r.name);
}

export interface SequenceSet {
  table: string;
  column: string;
  /** The value the sequence stands at: the next id it gives is one more. 0: the next is 1. */
  last: number;
}

/**
 * Identity columns were copied with their values, which does not move their sequences: each is set
 * to the highest id, or to SQLite's sqlite_sequence when that is higher (AUTOINCREMENT never gives an
 * id again, even of a row deleted since; the audit trail's check reads it as the highest seq issued).
 */
export async function setSequences(client: Client, sqlite: Database.Database, tables: MovedTable[]): Promise<SequenceSet[]> {
  const hasSequenceTable = sqlite.prepare(`select 1 from sqlite_master where name = 'sqlite_sequence'`).get() !== undefined;
  const issued = (table: string) =>
    hasSequenceTable ? BigInt((sqlite.prepare('select seq from sqlite_sequence where name = ?').safeIntegers(true).pluck().get(table) as bigint | undefined) ?? 0n) : 0n;
  const out: SequenceSet[] = [];
  for (const table of tables) {
    for (const column of table.columns.filter((c) => c.identity)) {
      const max = (await client.query<{ max: string | null }>(`select max(${quoted(column.name)})::text as max from ${quoted(table.name)}`)).rows[0]!.max;
      const last = [BigInt(max ?? 0), issued(table.name)].reduce((a, b) => (a > b ? a : b));
      await client.query(`select setval(pg_get_serial_sequence($1, $2), $3, $4)`, [quoted(table.name), column.name, last > 0n ? last.toString() : '1', last > 0n]);
      out.push({ table: table.name, column: column.name, last: Number(last) });
    }
  }
  return out;
}
