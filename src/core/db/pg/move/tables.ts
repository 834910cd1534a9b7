/// <reference types="vite/client" />
import { getTableName, is } from 'drizzle-orm';
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import * as core from '../../schema.pg';

/**
 * What a site move copies, read from the drizzle pg schemas (the core's and each module folder's
 * schema.pg.ts, found at build time as guards.ts finds them): each table's columns with the kind of
 * value they hold on PostgreSQL, its key (the order rows are copied and compared in), its foreign
 * keys (the order tables are copied in) and its identity columns (sequences set after the copy).
 */

/** How a value is converted and compared: docs/postgresql.md's type mapping. */
export type Kind = 'boolean' | 'integer' | 'double' | 'bytea' | 'text';

export interface MovedColumn {
  name: string;
  kind: Kind;
  /** The PostgreSQL type, for the casts of a batch insert (bigint, boolean, double precision…). */
  sqlType: string;
  /** Computed by PostgreSQL (due_at): not copied, but compared. */
  generated: boolean;
  /** An identity column: its sequence is set past the highest value after the copy. */
  identity: boolean;
}

export interface MovedTable {
  name: string;
  owner: string;
  columns: MovedColumn[];
  /** The primary key's columns (every column when there is none): rows are copied and compared in this order. */
  key: string[];
  /** Tables its foreign keys point at. */
  references: string[];
}

const modules = import.meta.glob<Record<string, unknown>>('../../../../../modules/*/schema.pg.ts', { eager: true });

/** Every owner's schema.pg.ts exports, by owner (core, then the module folders by name). */
export function pgSchemas(): Map<string, Record<string, unknown>> {
  const owners = Object.entries(modules)
    .map(([path, exports]) => [path.split('/').at(-2)!, exports] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return new Map<string, Record<string, unknown>>([['core', core], ...owners]);
}

function kindOf(table: string, column: PgColumn): Kind {
  const type = column.getSQLType();
  if (type === 'boolean') return 'boolean';
  if (type === 'bigint' || type === 'integer' || type === 'smallint') return 'integer';
  if (type === 'double precision' || type === 'real') return 'double';
  if (type === 'bytea') return 'bytea';
  if (type === 'text' || type.startsWith('varchar')) return 'text';
  // A new column type needs a decision about how SQLite's value maps to it (values.ts).
  throw new Error(`${table}.${column.name} is ${type} on PostgreSQL, which the site move does not know how to copy`);
}

function describe(owner: string, table: PgTable): MovedTable {
  const config = getTableConfig(table);
  const columns = config.columns.map((c) => ({
    name: c.name,
    kind: kindOf(config.name, c),
    sqlType: c.getSQLType(),
    generated: c.generated !== undefined,
    identity: c.generatedIdentity !== undefined,
  }));
  const single = config.columns.filter((c) => c.primary).map((c) => c.name);
  const composite = config.primaryKeys[0]?.columns.map((c) => c.name) ?? [];
  const key = single.length ? single : composite.length ? composite : columns.map((c) => c.name);
  const references = [...new Set(config.foreignKeys.map((fk) => getTableName(fk.reference().foreignTable)))].filter((t) => t !== config.name);
  return { name: config.name, owner, columns, key, references };
}

/** The tables of these owners, in an order where every table comes after those its foreign keys point at. */
export function movedTables(owners: readonly string[]): MovedTable[] {
  const schemas = pgSchemas();
  const tables = owners.flatMap((owner) =>
    Object.values(schemas.get(owner) ?? {})
      .filter((value): value is PgTable => is(value, PgTable))
      .map((table) => describe(owner, table))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
  const names = new Set(tables.map((t) => t.name));
  const ordered: MovedTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find((t) => !placed.has(t.name) && t.references.every((r) => placed.has(r) || !names.has(r)));
    if (!next) throw new Error(`the foreign keys of ${tables.filter((t) => !placed.has(t.name)).map((t) => t.name).join(', ')} go round in a circle`);
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}
