import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Client, PoolClient } from 'pg';
import { migrationsTableOf } from '../migrationsTable';

/** Where the ledgers live: a schema of their own, on which the app role has no rights. */
export const MIGRATIONS_SCHEMA = 'drizzle';

export interface PgMigrations {
  owner: string;
  folder: string;
}

/**
 * The core's migrations-pg, then each module folder's that has one (by name), under assetsRoot (the
 * repository, or the installed server's folder). `modules` limits the modules to those (the enabled ones).
 */
export function pgMigrationFolders(assetsRoot: string, modules?: readonly string[]): PgMigrations[] {
  const found: PgMigrations[] = [{ owner: 'core', folder: join(assetsRoot, 'src/core/db/migrations-pg') }];
  const root = join(assetsRoot, 'modules');
  const folders = existsSync(root) ? readdirSync(root).sort() : [];
  for (const name of folders) {
    const folder = join(root, name, 'migrations-pg');
    if ((!modules || modules.includes(name)) && existsSync(join(folder, 'meta', '_journal.json'))) found.push({ owner: name, folder });
  }
  return found;
}

/**
 * Applies every owner's PostgreSQL migrations (core first: the modules' tables point at its
 * work_items and use its append-only guard), each with its own ledger, drizzle.__migrations_<owner>
 * as on SQLite (connection.ts). Run as the owner role. Holds an advisory lock meanwhile, so two
 * servers starting at once migrate one after the other. Returns the owners it went through.
 */
export async function migratePostgres(client: Client | PoolClient, options: { assetsRoot: string; modules?: readonly string[] }): Promise<string[]> {
  const db = drizzle({ client });
  const owners = pgMigrationFolders(options.assetsRoot, options.modules);
  await client.query("select pg_advisory_lock(hashtext('aviation-workflow migrations'))");
  try {
    for (const { owner, folder } of owners) {
      await migrate(db, { migrationsFolder: folder, migrationsTable: migrationsTableOf(owner), migrationsSchema: MIGRATIONS_SCHEMA });
    }
  } finally {
    await client.query("select pg_advisory_unlock(hashtext('aviation-workflow migrations'))");
  }
  return owners.map((o) => o.owner);
}
