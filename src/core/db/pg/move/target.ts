import { existsSync } from 'node:fs';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { escapeIdentifier, type Client, type QueryConfig } from 'pg';
import { migrationsTableOf } from '../../migrationsTable';
import { MIGRATIONS_SCHEMA } from '../migrate';
import { MoveRefused } from './errors';
import { pgMigrations } from './plan';

const LEDGER_PREFIX = migrationsTableOf('');

export interface TargetFacts {
  version: string;
  database: string;
  user: string;
  /** The target already had this version's migrations (or some of them), and no rows. */
  migrated: boolean;
}

/**
 * Refuses a target the move must not write to: PostgreSQL older than 15; a connection as someone
 * other than the database's owner (the tables must belong to the role the site server migrates
 * with); any table with a row in it; migration ledgers of another version (or of a module this
 * program does not have); tables that no Aviation Workflow migration made; an app role that cannot
 * be given its grants. Reads only: run inside the move's transaction, before it writes anything.
 */
export async function checkTarget(client: Client, options: { assetsRoot: string; appRole?: string }): Promise<TargetFacts> {
  const facts = (
    await client.query<{ version: string; num: number; database: string; user: string; owner: string }>(
      `select current_setting('server_version') as version, current_setting('server_version_num')::int as num, current_database() as database,
              current_user as user, pg_get_userbyid(d.datdba) as owner
       from pg_database d where d.datname = current_database()`,
    )
  ).rows[0]!;
  if (facts.num < 150000) throw new MoveRefused(`The target runs PostgreSQL ${facts.version}; the site needs PostgreSQL 15 or later.`);
  if (facts.user !== facts.owner) {
    throw new MoveRefused(
      `Connect as the owner of database ${facts.database} (${facts.owner}), not as ${facts.user}: the tables the move creates belong to whoever creates them, ` +
        'and must belong to the role the site server migrates with.',
    );
  }

  const tables = (
    await client.query<{ schema: string; name: string }>(
      `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
       order by 1, 2`,
    )
  ).rows;
  const withRows: string[] = [];
  for (const { schema, name } of tables.filter((t) => t.schema !== MIGRATIONS_SCHEMA)) {
    const qualified = `${escapeIdentifier(schema)}.${escapeIdentifier(name)}`;
    try {
      if ((await client.query(`select 1 from ${qualified} limit 1`)).rowCount) withRows.push(schema === 'public' ? name : `${schema}.${name}`);
    } catch (error) {
      throw new MoveRefused(`The target has a table ${schema}.${name} that ${facts.user} cannot read (${(error as Error).message}): give an empty database.`);
    }
  }
  if (withRows.length) {
    const shown = withRows.slice(0, 8).join(', ') + (withRows.length > 8 ? ` and ${withRows.length - 8} more` : '');
    throw new MoveRefused(`The target database ${facts.database} is not empty: ${shown} ${withRows.length === 1 ? 'has rows' : 'have rows'}. A site is moved into an empty database only (create one: createdb -O ${facts.user} <name>).`);
  }

  const ledgers = tables.filter((t) => t.schema === MIGRATIONS_SCHEMA && t.name.startsWith(LEDGER_PREFIX)).map((t) => t.name);
  for (const ledger of ledgers) {
    const owner = ledger.slice(LEDGER_PREFIX.length);
    const folder = pgMigrations(options.assetsRoot, owner);
    const known = existsSync(folder) ? new Set(readMigrationFiles({ migrationsFolder: folder }).map((m) => m.hash)) : new Set<string>();
    const applied = (await client.query<{ hash: string }>(`select hash from ${escapeIdentifier(MIGRATIONS_SCHEMA)}.${escapeIdentifier(ledger)}`)).rows;
    if (applied.some((r) => !known.has(r.hash))) {
      throw new MoveRefused(
        `The target was migrated by another version of Aviation Workflow (${MIGRATIONS_SCHEMA}.${ledger} lists migrations this one does not have${known.size ? '' : `: it has no module ${owner}`}). Give an empty database.`,
      );
    }
  }
  const publicTables = tables.filter((t) => t.schema === 'public');
  if (publicTables.length && !ledgers.includes(migrationsTableOf('core'))) {
    throw new MoveRefused(`The target has tables that no Aviation Workflow migration made (${publicTables.slice(0, 5).map((t) => t.name).join(', ')}…): give an empty database.`);
  }

  if (options.appRole !== undefined) await checkAppRole(client, options.appRole, facts.user);
  return { version: facts.version, database: facts.database, user: facts.user, migrated: ledgers.length > 0 };
}

/** What grantAppRole (roles.ts) would refuse or fail on, found before the copy rather than after it. */
async function checkAppRole(client: Client, role: string, user: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new MoveRefused(`--app-role "${role}": use lower-case letters, digits and _.`);
  if (role === user) throw new MoveRefused(`--app-role ${role} is the owner you connected as: the app role must be another role (it gets grants, never ownership).`);
  const exists = (await client.query('select 1 from pg_roles where rolname = $1', [role])).rowCount;
  if (!exists) {
    const me = (await client.query<{ may: boolean }>('select rolsuper or rolcreaterole as may from pg_roles where rolname = current_user')).rows[0];
    if (!me?.may) {
      throw new MoveRefused(`The app role ${role} does not exist, and ${user} may not create roles: create it first (as a superuser: CREATE ROLE ${role} LOGIN PASSWORD '…'), then move.`);
    }
  }
  const owned = await client.query<{ tablename: string }>('select tablename from pg_tables where tableowner = $1', [role]);
  if (owned.rowCount) throw new MoveRefused(`The app role ${role} owns tables (${owned.rows.map((r) => r.tablename).join(', ')}): it must not own any.`);
}

/**
 * The client as migratePostgres and grantAppRole see it: the BEGIN, COMMIT and ROLLBACK they send
 * become a savepoint, its release and a rollback to it, so what they do joins the move's one
 * transaction and is undone with it.
 */
export function joinedClient(client: Client): Client {
  const rewrite = (text: string) => {
    switch (text.trim().toLowerCase()) {
      case 'begin':
        return 'savepoint move_step';
      case 'commit':
        return 'release savepoint move_step';
      case 'rollback':
        return 'rollback to savepoint move_step';
      default:
        return text;
    }
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') {
        return (query: string | QueryConfig, ...rest: unknown[]) =>
          (target.query as (...args: unknown[]) => unknown)(typeof query === 'string' ? rewrite(query) : { ...query, text: rewrite(query.text) }, ...rest);
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
