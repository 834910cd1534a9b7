import Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/core/db/statementCache';

const parts = sqliteTable('parts', { id: integer('id').primaryKey(), name: text('name').notNull() });

describe('the statement cache drizzle prepares through', () => {
  let sqlite: Database.Database;
  afterEach(() => sqlite.close());

  const open = () => {
    sqlite = new Database(':memory:');
    sqlite.exec(`create table parts (id integer primary key, name text not null); insert into parts (name) values ('pump'), ('valve'), ('seal')`);
    const prepared: string[] = [];
    const counting = new Proxy(sqlite, {
      get: (target, property) => (property === 'prepare' ? (source: string) => (prepared.push(source), target.prepare(source)) : Reflect.get(target, property, target)),
    });
    return { db: drizzle(withStatementCache(counting as Database.Database)), prepared };
  };

  it('prepares a query once however often it runs, with each run its own parameters', () => {
    const { db, prepared } = open();
    const names = ['pump', 'valve', 'seal', 'pump'].map((name) => db.select().from(parts).where(eq(parts.name, name)).get()?.id);
    expect(names).toEqual([1, 2, 3, 1]);
    expect(prepared).toHaveLength(1);
  });

  it('gives plain rows to sql`` reads after the same text was read as drizzle rows (raw mode is reset)', () => {
    const { db } = open();
    const drizzleRows = db.select({ id: parts.id, name: parts.name }).from(parts);
    const sameText = sql.raw(drizzleRows.toSQL().sql);
    expect(db.all(sameText)).toHaveLength(3);
    expect(drizzleRows.all()[0]).toEqual({ id: 1, name: 'pump' });
    expect(db.all(sameText)[0]).toEqual({ id: 1, name: 'pump' });
  });

  it('serves a query whose statement is being iterated with a fresh statement, and keeps writes working', () => {
    const { db } = open();
    const cached = withStatementCache(sqlite);
    const seen: string[] = [];
    for (const row of cached.prepare('select id, name from parts').iterate() as IterableIterator<{ id: number; name: string }>) {
      seen.push(row.name, (cached.prepare('select id, name from parts').all() as unknown[]).length.toString());
    }
    expect(seen).toEqual(['pump', '3', 'valve', '3', 'seal', '3']);
    db.insert(parts).values({ name: 'gasket' }).run();
    db.insert(parts).values({ name: 'bolt' }).run();
    expect(db.select().from(parts).all().map((p) => p.name)).toEqual(['pump', 'valve', 'seal', 'gasket', 'bolt']);
  });

  it('leaves statements prepared on the connection itself alone', () => {
    const { db } = open();
    const own = sqlite.prepare('select name from parts where id = ?').pluck();
    expect(db.all(sql`select name from parts where id = ${2}`)).toEqual([{ name: 'valve' }]);
    expect(own.get(2)).toBe('valve');
  });
});
