/**
 * The PostgreSQL schema (issue 17) against the SQLite one, on a throw-away cluster
 * (tests/support/postgres.ts; fails, with how to install it, where PostgreSQL is missing):
 * - parity: every owner on disk has a schema.pg.ts whose tables, columns, nullability, keys,
 *   indexes, checks and foreign keys are the SQLite schema's, and a freshly migrated PostgreSQL
 *   database has the tables, columns, indexes and triggers of a freshly migrated SQLite one;
 * - the migrator applies every owner's migrations once, and a second run changes nothing;
 * - append-only tables: the app role may INSERT and SELECT but not UPDATE, DELETE or TRUNCATE
 *   (grants); the owner role is refused by the triggers, with the table named;
 * - the triggers the two dialects both have (tallies, search, report counts) give the same rows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase } from '../../src/core/db/connection';
import { declaredGuards } from '../../src/core/db/pg/guards';
import { MIGRATIONS_SCHEMA, migratePostgres, pgMigrationFolders } from '../../src/core/db/pg/migrate';
import { grantAppRole } from '../../src/core/db/pg/roles';
import { startPostgres, type TestPostgres } from '../support/postgres';

const root = join(import.meta.dirname, '..', '..');
const OWNER = 'aw_owner';
const APP = 'aw_app';
const DATABASE = 'aw';

/** Every owner on disk with a SQLite schema: the core and each module folder that has a schema.ts. */
const owners = [
  { name: 'core', folder: join(root, 'src/core/db') },
  ...readdirSync(join(root, 'modules'))
    .filter((m) => existsSync(join(root, 'modules', m, 'schema.ts')))
    .sort()
    .map((m) => ({ name: m, folder: join(root, 'modules', m) })),
];

/** PostgreSQL-only objects, each for a reason (the rest must match SQLite one for one). */
const PG_ONLY_INDEXES = new Set(['work_items_search_body']); // the trigram index: FTS5's own index on SQLite
const PG_ONLY_COLUMNS: Record<string, string[]> = { work_items_search: ['rowid'] }; // FTS5's rowid is hidden

let server: TestPostgres;
let admin: pg.Client;
let owner: pg.Client;
let app: pg.Client;
const sqlite = openDatabase(':memory:').db;

const connect = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
};

beforeAll(async () => {
  server = await startPostgres();
  const superuser = await connect(server.url);
  await superuser.query(`create role ${OWNER} login`);
  await superuser.query(`create database ${DATABASE} owner ${OWNER}`);
  await superuser.end();
  admin = await connect(server.urlFor('postgres', DATABASE));
  owner = await connect(server.urlFor(OWNER, DATABASE));
  await migratePostgres(owner, { assetsRoot: root });
  await grantAppRole(admin, { role: APP });
  app = await connect(server.urlFor(APP, DATABASE));

  applyMigrations(sqlite, join(root, 'src/core/db/migrations'), 'core');
  for (const { name, folder } of owners.slice(1)) {
    if (existsSync(join(folder, 'migrations'))) applyMigrations(sqlite, join(folder, 'migrations'), name);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all([app, owner, admin].map((c) => c?.end().catch(() => {})));
  server?.stop();
  sqlite.$client.close();
});

// --- The drizzle schemas ------------------------------------------------------------------------------

/** A SQLite column type and the PostgreSQL types that may stand for it. */
const TYPES: Record<string, string[]> = { integer: ['integer', 'bigint'], text: ['text'], real: ['double precision'], blob: ['bytea'] };
/** Columns typed otherwise on purpose. */
const TYPE_EXCEPTIONS: Record<string, string> = {
  // Declared integer on SQLite, but its value is real there when the target hours are fractional (step_entered_at + hours × 3600000).
  'work_items.due_at': 'double precision',
};

const nameOf = (c: unknown) => (c && typeof c === 'object' && 'name' in c ? String((c as { name: unknown }).name) : 'expression');

function describeTable(config: ReturnType<typeof sqliteTableConfig> | ReturnType<typeof pgTableConfig>) {
  return {
    columns: Object.fromEntries(
      // A SQLite INTEGER PRIMARY KEY always has a default (the rowid); on PostgreSQL only an identity has one.
      config.columns.map((c) => [c.name, { notNull: c.notNull, primary: c.primary, default: c.primary || c.hasDefault, generated: !!c.generated, unique: c.isUnique ? c.uniqueName : null }]),
    ),
    primaryKey: config.primaryKeys.map((k) => k.columns.map((c) => c.name)),
    indexes: Object.fromEntries(
      config.indexes.map((i) => [i.config.name, { unique: !!i.config.unique, columns: i.config.columns.map(nameOf), partial: !!i.config.where }]),
    ),
    checks: config.checks.map((c) => c.name).sort(),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const r = fk.reference();
        return `${r.columns.map((c) => c.name).join(',')} -> ${getTableName(r.foreignTable)}(${r.foreignColumns.map((c) => c.name).join(',')})`;
      })
      .sort(),
  };
}

async function tablesOf(file: string, kind: 'sqlite' | 'pg') {
  const exports = (await import(file)) as Record<string, unknown>;
  const tables = Object.values(exports).filter((t) => (kind === 'sqlite' ? is(t, SQLiteTable) : is(t, PgTable)));
  return new Map(tables.map((t) => (kind === 'sqlite' ? sqliteTableConfig(t as SQLiteTable) : pgTableConfig(t as PgTable))).map((c) => [c.name, c]));
}

describe('schema.pg.ts beside every schema.ts', () => {
  it.each(owners)('$name: same tables, columns, nullability, keys, indexes, checks and foreign keys; types map', async ({ folder }) => {
    expect(existsSync(join(folder, 'schema.pg.ts')), `${folder}/schema.pg.ts is missing`).toBe(true);
    expect(existsSync(join(folder, 'migrations-pg', 'meta', '_journal.json')), `${folder}/migrations-pg is missing (npm run db:generate)`).toBe(true);
    const lite = await tablesOf(join(folder, 'schema.ts'), 'sqlite');
    const pgs = await tablesOf(join(folder, 'schema.pg.ts'), 'pg');
    expect([...pgs.keys()].sort()).toEqual([...lite.keys()].sort());
    for (const [name, liteConfig] of lite) {
      const pgConfig = pgs.get(name)!;
      expect(describeTable(pgConfig), `table ${name}`).toEqual(describeTable(liteConfig));
      for (const column of liteConfig.columns) {
        const pgColumn = pgConfig.columns.find((c) => c.name === column.name)!;
        const pgType = pgColumn.getSQLType();
        const allowed = [TYPE_EXCEPTIONS[`${name}.${column.name}`] ?? (column.columnType === 'SQLiteBoolean' ? 'boolean' : TYPES[column.getSQLType()])].flat();
        expect(allowed, `${name}.${column.name}: ${column.getSQLType()} (SQLite) as ${pgType}`).toContain(pgType);
      }
    }
  });
});

// --- The migrated databases ---------------------------------------------------------------------------

interface Catalog {
  tables: Record<string, { columns: Record<string, { notNull: boolean }>; primaryKey: string[] }>;
  indexes: Record<string, string>;
  triggers: Record<string, string>;
}

function sqliteCatalog(): Catalog {
  const db = sqlite.$client;
  const all = db.prepare(`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__migrations_%'`).all() as { name: string; sql: string }[];
  const virtual = all.filter((t) => /^create virtual table/i.test(t.sql)).map((t) => t.name);
  const shadow = (name: string) => virtual.some((v) => name.startsWith(`${v}_`));
  const tables: Catalog['tables'] = {};
  for (const { name } of all.filter((t) => !shadow(t.name))) {
    const columns = db.prepare(`select name, "notnull", pk from pragma_table_xinfo(?) where hidden <> 1`).all(name) as { name: string; notnull: number; pk: number }[];
    tables[name] = {
      columns: Object.fromEntries(columns.map((c) => [c.name, { notNull: c.notnull === 1 || c.pk > 0 }])),
      primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
    };
  }
  const pairs = (type: string) =>
    Object.fromEntries(
      (db.prepare(`select name, tbl_name from sqlite_master where type = ? and name not like 'sqlite_autoindex_%'`).all(type) as { name: string; tbl_name: string }[])
        .filter((r) => !shadow(r.tbl_name))
        .map((r) => [r.name, r.tbl_name]),
    );
  return { tables, indexes: pairs('index'), triggers: pairs('trigger') };
}

async function pgCatalog(client: pg.Client): Promise<Catalog> {
  const columns = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
    `select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
  );
  const keys = await client.query<{ table_name: string; column_name: string }>(
    `select c.relname as table_name, a.attname as column_name from pg_index i join pg_class c on c.oid = i.indrelid
     join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
     join lateral unnest(i.indkey) with ordinality k(attnum, pos) on true join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
     where i.indisprimary order by c.relname, k.pos`,
  );
  const tables: Catalog['tables'] = {};
  for (const r of columns.rows) {
    tables[r.table_name] ??= { columns: {}, primaryKey: [] };
    tables[r.table_name]!.columns[r.column_name] = { notNull: r.is_nullable === 'NO' };
  }
  for (const r of keys.rows) tables[r.table_name]!.primaryKey.push(r.column_name);
  const indexes = await client.query<{ name: string; table: string }>(
    `select ic.relname as name, tc.relname as table from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class tc on tc.oid = i.indrelid
     join pg_namespace n on n.oid = tc.relnamespace and n.nspname = 'public' where not i.indisprimary`,
  );
  const triggers = await client.query<{ name: string; table: string }>(
    `select t.tgname as name, c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid
     join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public' where not t.tgisinternal`,
  );
  return {
    tables,
    indexes: Object.fromEntries(indexes.rows.map((r) => [r.name, r.table])),
    triggers: Object.fromEntries(triggers.rows.map((r) => [r.name, r.table])),
  };
}

describe('a freshly migrated PostgreSQL database against a freshly migrated SQLite one', () => {
  it('has the same tables, with the same columns, nullability and primary keys', async () => {
    const lite = sqliteCatalog();
    const pgs = await pgCatalog(owner);
    expect(Object.keys(pgs.tables).sort()).toEqual(Object.keys(lite.tables).sort());
    for (const [name, table] of Object.entries(lite.tables)) {
      const pgTable = pgs.tables[name]!;
      const extra = PG_ONLY_COLUMNS[name] ?? [];
      const columns = Object.fromEntries(Object.entries(pgTable.columns).filter(([c]) => !extra.includes(c)));
      expect(columns, `columns of ${name}`).toEqual(table.columns);
      if (!extra.length) expect(pgTable.primaryKey, `primary key of ${name}`).toEqual(table.primaryKey);
    }
  });

  it('has the same indexes (partial ones included), on the same tables', async () => {
    const pgs = await pgCatalog(owner);
    const shared = Object.fromEntries(Object.entries(pgs.indexes).filter(([name]) => !PG_ONLY_INDEXES.has(name)));
    expect(shared).toEqual(sqliteCatalog().indexes);
  });

  it('has the same triggers, plus a TRUNCATE guard on each table whose DELETE a trigger guards', async () => {
    const lite = sqliteCatalog();
    const pgs = await pgCatalog(owner);
    const truncateGuards = Object.fromEntries(Object.entries(pgs.triggers).filter(([name]) => name.endsWith('_no_truncate')));
    const shared = Object.fromEntries(Object.entries(pgs.triggers).filter(([name]) => !name.endsWith('_no_truncate')));
    expect(shared).toEqual(lite.triggers);
    const deleteGuarded = (sqlite.$client.prepare(`select distinct tbl_name from sqlite_master where type = 'trigger' and sql like '%BEFORE DELETE%'`).all() as { tbl_name: string }[]).map(
      (r) => r.tbl_name,
    );
    expect(Object.fromEntries(deleteGuarded.map((t) => [`${t}_no_truncate`, t]))).toEqual(truncateGuards);
  });

  it('declares in each schema.pg.ts exactly the tables its triggers guard', async () => {
    const triggers = (await pgCatalog(owner)).triggers;
    const tables = new Set(Object.values(triggers));
    const guarded = (suffix: string) => [...tables].filter((t) => triggers[`${t}${suffix}`] === t);
    const appendOnly = guarded('_no_update').filter((t) => guarded('_no_delete').includes(t));
    const undeletable = guarded('_no_delete').filter((t) => !appendOnly.includes(t));
    expect(declaredGuards()).toEqual({ appendOnly: appendOnly.sort(), undeletable: undeletable.sort() });
  });
});

// --- The migrator -------------------------------------------------------------------------------------

describe('migratePostgres', () => {
  const snapshot = async () => {
    const ledgers = await owner.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1 order by 1`, [MIGRATIONS_SCHEMA]);
    const rows: Record<string, number> = {};
    for (const { table_name } of ledgers.rows) rows[table_name] = (await owner.query(`select 1 from ${MIGRATIONS_SCHEMA}."${table_name}"`)).rowCount ?? 0;
    const functions = await owner.query(`select proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' order by 1`);
    return { rows, catalog: await pgCatalog(owner), functions: functions.rows };
  };

  it('applied every owner’s migrations, each in its own ledger, and a second run changes nothing', async () => {
    const before = await snapshot();
    const expected = Object.fromEntries(
      pgMigrationFolders(root).map(({ owner: name, folder }) => [
        `__migrations_${name}`,
        (JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length,
      ]),
    );
    expect(before.rows).toEqual(expected);
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(owners.map((o) => `__migrations_${o.name}`)));
    expect(await migratePostgres(owner, { assetsRoot: root })).toEqual(pgMigrationFolders(root).map((o) => o.owner));
    expect(await snapshot()).toEqual(before);
  });
});

// --- Append-only tables -------------------------------------------------------------------------------

/** Fixture rows the append-only tables point at, written by the owner role (where the tables exist). */
async function fixtures(client: pg.Client) {
  const snapshot = await client.query<{ id: string }>(`insert into workflow_snapshots (steps_json, step_count) values ('[{"name":"QC"}]', 1) returning id`);
  const item = await client.query<{ id: string }>(
    `insert into work_items (title, priority, status, current_step, workflow_id, created_by_id, created_by_name, created_at, updated_at, version)
     values ('Fixture', 'normal', 'active', 0, $1, 'u1', 'Una', 1, 1, 1) returning id`,
    [snapshot.rows[0]!.id],
  );
  return { itemId: Number(item.rows[0]!.id) };
}

/** One valid new row per append-only table: table -> [insert SQL, params]. A new append-only table needs one here. */
async function appendOnlyRows(client: pg.Client, itemId: number, n: number): Promise<Record<string, [string, unknown[]]>> {
  const exists = async (t: string) => ((await client.query(`select 1 from pg_tables where schemaname = 'public' and tablename = $1`, [t])).rowCount ?? 0) > 0;
  const rows: Record<string, [string, unknown[]]> = {
    user_signatures: [
      `insert into user_signatures (item_id, event_seq, action, meaning, signer_id, signer_name, signer_number, signer_role, department, signed_at) values ($1, $2, 'approve', 'Approved at QC', '1', 'Una', 'E1', 'staff', 'QC', 5)`,
      [itemId, n],
    ],
    audit_log: [
      `insert into audit_log (at, actor_id, actor_name, entity, entity_id, action, prev_hash, hash) values (5, '1', 'Una', 'thing', $1, 'created', $2, $3)`,
      [String(n), Buffer.alloc(32), Buffer.alloc(32, n)],
    ],
    assignment_history: [
      `insert into assignment_history (item_id, action, step_index, step_name, item_version, to_user_id, to_user_name, actor_id, actor_name, at) values ($1, 'assigned', 0, 'QC', 1, 7, 'Ann', '1', 'Una', $2)`,
      [itemId, n],
    ],
  };
  if (await exists('template_versions')) {
    const template = await owner.query<{ id: number }>(`insert into templates (key, current_version, created_at) values ($1, 1, 1) returning id`, [`t${n}`]);
    rows.template_versions = [
      `insert into template_versions (template_id, version, name, steps_json, comment_on_reject, comment_on_every_action, no_self_approval, origin, created_at, created_by_id, created_by_name) values ($1, 1, 'T', '[]', false, false, true, 'created', 5, '1', 'Una')`,
      [template.rows[0]!.id],
    ];
  }
  if (await exists('comment_revisions')) {
    const comment = await owner.query<{ id: string }>(`insert into comments (item_id, author_id, author_name, created_at, text) values ($1, '1', 'Una', 1, 'first') returning id`, [itemId]);
    rows.comment_revisions = [
      `insert into comment_revisions (comment_id, revision, text, written_at, replaced_at, replaced_by_id, replaced_by_name) values ($1, 1, 'first', 1, 2, '1', 'Una')`,
      [comment.rows[0]!.id],
    ];
  }
  return rows;
}

const refusal = async (client: pg.Client, statement: string) => {
  try {
    await client.query(statement);
  } catch (error) {
    return error as pg.DatabaseError;
  }
  throw new Error(`not refused: ${statement}`);
};

describe('append-only tables', () => {
  const { appendOnly, undeletable } = declaredGuards();

  it.each(appendOnly)('%s: the app role may INSERT and SELECT; UPDATE, DELETE and TRUNCATE are refused by grants, and by the triggers for the owner role', async (table) => {
    const exists = (await owner.query(`select 1 from pg_tables where schemaname = 'public' and tablename = $1`, [table])).rowCount;
    if (!exists) return; // a module whose folder is here but whose migrations are not (cannot happen with migratePostgres above)
    const { itemId } = await fixtures(owner);
    const rows = await appendOnlyRows(owner, itemId, 1 + appendOnly.indexOf(table));
    expect(rows[table], `a fixture row for ${table} in appendOnlyRows()`).toBeDefined();
    const [insert, params] = rows[table]!;
    await app.query(insert, params);
    expect((await app.query(`select * from ${table}`)).rowCount).toBeGreaterThan(0);

    for (const statement of [`update ${table} set ${(await firstColumn(table))} = ${(await firstColumn(table))}`, `delete from ${table}`, `truncate ${table}`]) {
      const byGrant = await refusal(app, statement);
      expect(byGrant.code, statement).toBe('42501'); // insufficient_privilege
      expect(byGrant.message).toContain(table);
      const byTrigger = await refusal(owner, statement);
      expect(byTrigger.code, statement).toBe('23001'); // restrict_violation, from append_only_refuse
      expect(byTrigger.message).toMatch(new RegExp(`^${table}: .+ \\((UPDATE|DELETE|TRUNCATE) refused\\)$`));
      expect(byTrigger.table).toBe(table);
    }
    expect((await owner.query(`select * from ${table}`)).rowCount).toBeGreaterThan(0);
  });

  it.each(undeletable)('%s: the app role may change a row but not DELETE or TRUNCATE it; the triggers refuse the owner role', async (table) => {
    const columns = await firstColumn(table);
    expect((await app.query(`update ${table} set ${columns} = ${columns}`)).command).toBe('UPDATE');
    expect((await refusal(app, `delete from ${table}`)).code).toBe('42501');
    expect((await refusal(app, `truncate ${table} cascade`)).code).toBe('42501');
    expect((await refusal(owner, `delete from ${table}`)).message).toMatch(new RegExp(`^${table}: .+ \\(DELETE refused\\)$`));
    // CASCADE: without it, a table others point at is refused for that before its trigger runs.
    expect((await refusal(owner, `truncate ${table} cascade`)).message).toMatch(/^\w+: .+ \(TRUNCATE refused\)$/);
  });

  it('the app role writes the tables the triggers keep, and cannot read the migration ledgers', async () => {
    const snapshot = await app.query<{ id: string }>(`insert into workflow_snapshots (steps_json, step_count) values ('[{"name":"Stores"}]', 1) returning id`);
    await app.query(
      `insert into work_items (title, priority, status, current_step, current_step_name, workflow_id, created_by_id, created_by_name, created_at, updated_at, version)
       values ('By the app', 'urgent', 'active', 0, 'Stores', $1, 'u1', 'Una', 1, 1, 1)`,
      [snapshot.rows[0]!.id],
    );
    const tally = await app.query(`select n from work_item_tallies where step_name = 'Stores' and priority = 'urgent'`);
    expect(tally.rows).toEqual([{ n: 1 }]);
    expect((await refusal(app, `select * from ${MIGRATIONS_SCHEMA}.__migrations_core`)).code).toBe('42501');
    const owned = await admin.query(`select tablename from pg_tables where schemaname = 'public' and tableowner <> $1`, [OWNER]);
    expect(owned.rows).toEqual([]);
  });
});

async function firstColumn(table: string) {
  const r = await owner.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER' and is_identity = 'NO' order by ordinal_position desc limit 1`,
    [table],
  );
  return `"${r.rows[0]!.column_name}"`;
}

// --- Triggers both dialects have ----------------------------------------------------------------------

const ITEMS = [
  { title: 'Replace hydraulic pump', status: 'active', step: 'Engineering', metadata: { registration: 'N123AB', ata: '29-11-00', workOrder: 'WO-2024-0042', part: 'P/N 65-1234-5' } },
  { title: 'Inspect landing gear', status: 'active', step: 'Quality Control', metadata: { registration: 'G-ABCD', ata: 'ATA 32-41', part: 'D23189000-5' } },
  { title: 'Cabin lights 100% check', status: 'completed', step: null, metadata: { registration: 'N12AB', ata: '33' } },
  { title: 'Draft: pump seals', status: 'draft', step: null, metadata: {} },
];

/** The same items, written the same way, into both databases (the triggers do the rest). */
async function insertBoth(): Promise<{ lite: number[]; pgIds: number[] }> {
  const steps = JSON.stringify([{ name: 'Engineering', targetHours: 24 }, { name: 'Quality Control' }]);
  const liteSnapshot = Number(sqlite.$client.prepare(`insert into workflow_snapshots (steps_json, step_count) values (?, 2)`).run(steps).lastInsertRowid);
  const pgSnapshot = Number((await owner.query<{ id: string }>(`insert into workflow_snapshots (steps_json, step_count) values ($1, 2) returning id`, [steps])).rows[0]!.id);
  const lite: number[] = [];
  const pgIds: number[] = [];
  const columns = `(title, priority, status, current_step_name, workflow_id, metadata_json, created_by_id, created_by_name, created_at, updated_at, version)`;
  for (const item of ITEMS) {
    const values = [item.title, 'normal', item.status, item.step, JSON.stringify(item.metadata), 'u1', 'Una', 1, 1, 1];
    lite.push(
      Number(sqlite.$client.prepare(`insert into work_items ${columns} values (?, ?, ?, ?, ${liteSnapshot}, ?, ?, ?, ?, ?, ?)`).run(...values).lastInsertRowid),
    );
    pgIds.push(Number((await owner.query<{ id: string }>(`insert into work_items ${columns} values ($1, $2, $3, $4, ${pgSnapshot}, $5, $6, $7, $8, $9, $10) returning id`, values)).rows[0]!.id));
  }
  return { lite, pgIds };
}

/** The adapter's form of SQLite's `work_items_search match '"<text>"'` (migrations-pg/0001): ILIKE on the trigram-indexed body. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

describe('the search index and the tallies', () => {
  it('find the same items for the same searches, and keep the same tallies, on both dialects', async () => {
    const { lite, pgIds } = await insertBoth();
    const searches = ['N123', 'n12ab', '123AB', '29-11', 'ATA 32', '32-41', 'D2318', '65-1234', 'P/N', 'WO-2024', 'WO_2024', '100%', 'pump', 'PUMP', 'gear', 'G-AB', 'pump N123', 'nothing'];
    const rank = (ids: number[], all: number[]) => ids.map((id) => all.indexOf(id)).sort();
    for (const search of searches) {
      const liteFound = (sqlite.$client.prepare(`select rowid as id from work_items_search where work_items_search match ?`).all(`"${search.replace(/"/g, '""')}"`) as { id: number }[])
        .map((r) => r.id)
        .filter((id) => lite.includes(id));
      const pgFound = (await app.query<{ rowid: string }>(`select rowid from work_items_search where body ilike $1`, [likePattern(search)])).rows
        .map((r) => Number(r.rowid))
        .filter((id) => pgIds.includes(id));
      expect(rank(pgFound, pgIds), `search "${search}"`).toEqual(rank(liteFound, lite));
    }
    expect(rank((await app.query<{ rowid: string }>(`select rowid from work_items_search where body ilike $1`, [likePattern('29-11')])).rows.map((r) => Number(r.rowid)), pgIds)).toEqual([0]);

    // A change of title or metadata is indexed anew; a status change moves the tallies.
    for (const [run, id] of [[(s: string, p: unknown[]) => sqlite.$client.prepare(s.replace(/\$\d/g, '?')).run(...p), lite[1]!], [(s: string, p: unknown[]) => owner.query(s, p), pgIds[1]!]] as const) {
      await run(`update work_items set metadata_json = $1, status = $2, current_step_name = $3 where id = $4`, [JSON.stringify({ registration: 'EI-XYZ' }), 'completed', null, id]);
    }
    const pgAfter = await app.query<{ rowid: string }>(`select rowid from work_items_search where body ilike $1 or body ilike $2`, [likePattern('EI-XYZ'), likePattern('G-ABCD')]);
    expect(pgAfter.rows.map((r) => Number(r.rowid))).toEqual([pgIds[1]]);
    const tallies = async () => ({
      lite: (sqlite.$client.prepare(`select status, step_name, priority, n from work_item_tallies where workflow_id = (select workflow_id from work_items where id = ?) order by 1, 2, 3`).all(lite[0]) as object[]),
      pg: (await owner.query(`select status, step_name, priority, n from work_item_tallies where workflow_id = (select workflow_id from work_items where id = $1) order by 1, 2, 3`, [pgIds[0]])).rows,
    });
    const both = await tallies();
    expect(both.pg).toEqual(both.lite);
    expect(both.pg.length).toBeGreaterThan(1);
  });
});

describe('the reports module’s count triggers', () => {
  const reports = existsSync(join(root, 'modules/reports/migrations-pg'));

  it.runIf(reports)('count the same stays, by day, period and overdue day, on both dialects', async () => {
    const steps = JSON.stringify([{ name: 'Engineering', targetHours: 1.5 }, { name: 'Quality Control' }]);
    const liteSnapshot = Number(sqlite.$client.prepare(`insert into workflow_snapshots (steps_json, step_count) values (?, 2)`).run(steps).lastInsertRowid);
    const pgSnapshot = Number((await owner.query<{ id: string }>(`insert into workflow_snapshots (steps_json, step_count) values ($1, 2) returning id`, [steps])).rows[0]!.id);
    const day = 86_400_000;
    // [step, ms, left_at]: overdue and not, negative durations (a clock set back), across day boundaries.
    const stays = [
      [0, 2 * 3_600_000, 20_000 * day + 1000],
      [0, 3_600_000, 20_000 * day + 5000],
      [0, 30 * 3_600_000, 20_001 * day],
      [1, 50 * 3_600_000, 20_001 * day + 1],
      [0, -5000, 20_002 * day + 7],
      [0, 7_200_001, 20_033 * day - 1],
    ];
    const insert = `insert into report_stays (department_id, ms, item_id, left_seq, left_at, step_index, workflow_id) values ($1, $2, $3, $4, $5, $6, $7)`;
    for (const [i, [step, ms, leftAt]] of stays.entries()) {
      sqlite.$client.prepare(insert.replace(/\$\d/g, '?')).run(step! + 1, ms, 1, i, leftAt, step, liteSnapshot);
      await owner.query(insert, [step! + 1, ms, 1, i, leftAt, step, pgSnapshot]);
    }
    const remove = `delete from report_stays where left_seq = 1 and workflow_id = $1`;
    sqlite.$client.prepare(remove.replace('$1', '?')).run(liteSnapshot);
    await owner.query(remove, [pgSnapshot]);
    const read = async (sql: string) => ({
      lite: sqlite.$client.prepare(sql).all(),
      pg: (await owner.query(sql)).rows.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]))),
    });
    for (const sql of [
      'select left_day, department_id, hour, step_index, n from report_stay_days where left_day >= 20000 order by 1, 2, 3, 4',
      'select left_period, department_id, hour, step_index, n from report_stay_periods where left_period >= 625 order by 1, 2, 3, 4',
    ]) {
      const both = await read(sql);
      expect(both.pg, sql).toEqual(both.lite);
    }
    const overdue = (id: number) => `select day, step_index, due, ended from report_overdue_days where workflow_id = ${id} order by 1, 2`;
    const liteOverdue = sqlite.$client.prepare(overdue(liteSnapshot)).all();
    const pgOverdue = (await owner.query(overdue(pgSnapshot))).rows.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])));
    expect(pgOverdue).toEqual(liteOverdue);
    expect(liteOverdue.length).toBeGreaterThan(0);
  });
});
