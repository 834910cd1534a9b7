/**
 * The storage port on both adapters, with real migrated schemas, for tests that run one store's
 * functions against SQLite and PostgreSQL alike (`describe.each(STORAGES)`):
 * - SQLite: a database file in a temporary folder, the core's and the named modules' migrations;
 * - PostgreSQL: a throw-away cluster (postgres.ts), migrated by an owner role, used as the app role
 *   with only its grants (grantAppRole), as a site server would.
 * Call `openStorages(modules)` in beforeAll and `close()` in afterAll.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { applyMigrations, openDatabase } from '../../src/core/db/connection';
import { migratePostgres } from '../../src/core/db/pg/migrate';
import { grantAppRole } from '../../src/core/db/pg/roles';
import type { DialectName, Storage } from '../../src/core/storage/port';
import { createPostgresStorage } from '../../src/core/storage/postgres';
import { createSqliteStorage } from '../../src/core/storage/sqlite';
import { startPostgres, type TestPostgres } from './postgres';

export const STORAGES: DialectName[] = ['sqlite', 'postgresql'];

const root = join(import.meta.dirname, '..', '..');

export interface OpenStorages {
  of(dialect: DialectName): Storage;
  close(): Promise<void>;
}

/** Both adapters on freshly migrated databases holding the core's tables and those of `modules`. */
export async function openStorages(modules: string[]): Promise<OpenStorages> {
  const folder = mkdtempSync(join(tmpdir(), 'storage-matrix-'));
  const { sqlite, db } = openDatabase(join(folder, 'matrix.sqlite'));
  applyMigrations(db, join(root, 'src/core/db/migrations'), 'core');
  for (const name of modules) {
    const migrations = join(root, 'modules', name, 'migrations');
    if (existsSync(migrations)) applyMigrations(db, migrations, name);
  }

  let server: TestPostgres | undefined;
  const clients: pg.Client[] = [];
  try {
    server = await startPostgres();
    const connect = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.push(client);
      return client;
    };
    const superuser = await connect(server.url);
    await superuser.query('create role aw_owner login');
    await superuser.query('create database aw owner aw_owner');
    await migratePostgres(await connect(server.urlFor('aw_owner', 'aw')), { assetsRoot: root, modules });
    await grantAppRole(await connect(server.urlFor('postgres', 'aw')), { role: 'aw_app' });
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
  const postgres = createPostgresStorage(server.urlFor('aw_app', 'aw'), { max: 4 });
  const storages: Record<DialectName, Storage> = { sqlite: createSqliteStorage(sqlite), postgresql: postgres };
  return {
    of: (dialect) => storages[dialect],
    close: async () => {
      await postgres.close();
      sqlite.close();
      server?.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
