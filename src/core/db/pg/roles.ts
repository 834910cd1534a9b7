import { escapeIdentifier, escapeLiteral, type ClientBase } from 'pg';
import { declaredGuards, type GuardedTables } from './guards';

export interface AppRoleOptions {
  /** The role the app (the site server) connects as. */
  role: string;
  /** Its password (set or changed); left as it is when absent. */
  password?: string;
  /** The schema of the app's tables. Default: public. */
  schema?: string;
  /** Guarded tables; default: what every owner's schema.pg.ts declares (guards.ts). */
  guards?: GuardedTables;
}

/**
 * Creates the application role if it is missing and sets its grants to exactly these, on the tables
 * there are now (run it after every migration, as the tables' owner or a superuser; creating the role
 * needs CREATEROLE): SELECT and INSERT on append-only tables; SELECT, INSERT and UPDATE on
 * undeletable ones; SELECT, INSERT, UPDATE and DELETE on every other table of the schema (those the
 * triggers write too: tallies, the search index, report counts); USAGE and SELECT on its sequences.
 * Never TRUNCATE, never anything on the migration ledgers (schema drizzle). The role must not own a
 * table: migrations run as the owner role, so the grants, not ownership, are what binds the app.
 */
export async function grantAppRole(admin: ClientBase, options: AppRoleOptions): Promise<void> {
  const { role, password, schema = 'public', guards = declaredGuards() } = options;
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`role name "${role}": use lower-case letters, digits and _`);
  const roleId = escapeIdentifier(role);
  const schemaId = escapeIdentifier(schema);
  const owned = await admin.query<{ tablename: string }>('select tablename from pg_tables where schemaname = $1 and tableowner = $2', [schema, role]);
  if (owned.rowCount) {
    throw new Error(`role "${role}" owns ${owned.rows.map((r) => r.tablename).join(', ')}: the app role must not own tables (migrations run as the owner role)`);
  }
  const existing = new Set(
    (await admin.query<{ tablename: string }>('select tablename from pg_tables where schemaname = $1', [schema])).rows.map((r) => r.tablename),
  );
  const table = (name: string) => `${schemaId}.${escapeIdentifier(name)}`;
  await admin.query('begin');
  try {
    const exists = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
    if (!exists.rowCount) await admin.query(`create role ${roleId} login`);
    if (password !== undefined) await admin.query(`alter role ${roleId} password ${escapeLiteral(password)}`);
    await admin.query(`grant usage on schema ${schemaId} to ${roleId}`);
    await admin.query(`revoke all on all tables in schema ${schemaId} from ${roleId}`);
    await admin.query(`grant select, insert, update, delete on all tables in schema ${schemaId} to ${roleId}`);
    for (const name of guards.appendOnly.filter((t) => existing.has(t))) await admin.query(`revoke update, delete on ${table(name)} from ${roleId}`);
    for (const name of guards.undeletable.filter((t) => existing.has(t))) await admin.query(`revoke delete on ${table(name)} from ${roleId}`);
    await admin.query(`revoke all on all sequences in schema ${schemaId} from ${roleId}`);
    await admin.query(`grant usage, select on all sequences in schema ${schemaId} to ${roleId}`);
    await admin.query('commit');
  } catch (error) {
    await admin.query('rollback');
    throw error;
  }
}
