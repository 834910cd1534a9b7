import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsTableOf } from '../../migrationsTable';
import { MoveRefused } from './errors';
import { SEARCH_TABLE } from './search';
import { ledgerState, sqliteMigrations, type LedgerState, type Source } from './source';
import { movedTables, pgSchemas, type MovedTable } from './tables';

export interface MovePlan {
  /** The owners moved: core first, then modules by name. */
  owners: string[];
  ledgers: LedgerState[];
  /** In copy order (foreign keys first). */
  tables: MovedTable[];
  /** With --leave-behind: what stays in the SQLite file only. */
  leftBehind: { owners: string[]; tables: string[] };
}

export const pgMigrations = (assetsRoot: string, owner: string): string =>
  owner === 'core' ? join(assetsRoot, 'src/core/db/migrations-pg') : join(assetsRoot, 'modules', owner, 'migrations-pg');

const hasJournal = (folder: string) => existsSync(join(folder, 'meta', '_journal.json'));

/**
 * What to move: every owner with a ledger in the file, each of which must be at this version's
 * migrations and have a PostgreSQL schema here. Refuses otherwise, saying what to do; an owner (or
 * a table) this program cannot move is left behind only when asked (`leaveBehind`).
 */
export function planMove(source: Source, assetsRoot: string, leaveBehind: boolean): MovePlan {
  const schemas = pgSchemas();
  const unavailable: string[] = [];
  const ledgers: LedgerState[] = [];
  for (const owner of source.owners) {
    const sqliteFolder = sqliteMigrations(assetsRoot, owner);
    if (!hasJournal(sqliteFolder) || !hasJournal(pgMigrations(assetsRoot, owner)) || !schemas.has(owner)) {
      if (owner === 'core') throw new MoveRefused(`This program's own migrations are missing from ${assetsRoot} (src/core/db/migrations, migrations-pg): reinstall it.`);
      unavailable.push(owner);
      continue;
    }
    ledgers.push(ledgerState(source.sqlite, owner, sqliteFolder));
  }

  const stale = ledgers.filter((l) => l.behind || l.newer);
  if (stale.length) {
    const what = stale.map((l) => `${l.owner} (${l.applied} of ${l.known} migrations applied${l.newer ? ', some by a newer version' : ''})`).join(', ');
    const newer = stale.some((l) => l.newer);
    throw new MoveRefused(
      `The database is not at this version's schema: ${what}. ` +
        (newer
          ? 'It was used by a newer version of Aviation Workflow: move it with that version.'
          : 'Start this version of the site server on it once (switch on, for that start, any module it names that is switched off), stop it, and move it again.'),
    );
  }

  const owners = ledgers.map((l) => l.owner);
  const tables = movedTables(owners);
  for (const table of tables) {
    if (!source.tables.has(table.name)) throw new MoveRefused(`The database's schema is not this version's: it has no table ${table.name} (${table.owner}).`);
    const columns = new Set(source.sqlite.prepare(`select name from pragma_table_xinfo(?)`).pluck().all(table.name) as string[]);
    const missing = table.columns.filter((c) => !columns.has(c.name)).map((c) => c.name);
    if (missing.length) throw new MoveRefused(`The database's schema is not this version's: table ${table.name} has no column ${missing.join(', ')}.`);
  }

  // Everything else in the file: SQLite's own tables, the ledgers, the search index (rebuilt) and the shadow tables of virtual ones.
  const moved = new Set([...tables.map((t) => t.name), SEARCH_TABLE]);
  const internal = (name: string) =>
    name.startsWith('sqlite_') || name.startsWith(migrationsTableOf('')) || source.virtualTables.some((v) => name.startsWith(`${v}_`));
  const strays = [...source.tables].filter((t) => !moved.has(t) && !internal(t)).sort();
  if ((unavailable.length || strays.length) && !leaveBehind) {
    const parts = [
      ...unavailable.map((m) => `module ${m} (this program has no PostgreSQL schema for it: modules/${m} or its migrations-pg is missing)`),
      ...(strays.length ? [`the tables ${strays.join(', ')}`] : []),
    ];
    throw new MoveRefused(
      `This program cannot move everything in the database: ${parts.join('; ')}. ` +
        'Move it with a version of the site server that has every module the site used, or move without them with --leave-behind (they then stay in the SQLite file only).',
    );
  }
  return { owners, ledgers, tables, leftBehind: { owners: unavailable, tables: strays } };
}
