import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackgroundReader, type BackgroundReader } from '../../src/core/db/backgroundReader';
import { openDatabase } from '../../src/core/db/connection';
import { makeDataDir } from '../support/tempApp';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(): { reader: BackgroundReader; write: (q: string) => void } {
  const dir = makeDataDir();
  const file = join(dir, 'db.sqlite');
  const { sqlite } = openDatabase(file);
  sqlite.exec('create table t (n integer)');
  const reader = createBackgroundReader(file);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => sqlite.close(), () => reader.close());
  return { reader, write: (q) => sqlite.exec(q) };
}

describe('background reader', () => {
  it('reads what the main connection committed, with bound parameters', async () => {
    const { reader, write } = setup();
    write('insert into t values (1), (2), (3)');
    const rows = await reader.all<{ n: number }>(sql`select n from t where n >= ${2} order by n`);
    expect(rows).toEqual([{ n: 2 }, { n: 3 }]);
    write('insert into t values (4)');
    expect(await reader.all(sql`select count(*) as c from t`)).toEqual([{ c: 4 }]);
  });

  it('leaves the calling thread free while a long query runs', async () => {
    const { reader } = setup();
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    const slow = reader.all<{ n: number }>(
      sql`with recursive c(x) as (select 1 union all select x + 1 from c where x < 2000000) select count(*) as n from c`,
    );
    setImmediate(tick);
    const [{ n }] = (await slow) as [{ n: number }];
    running = false;
    expect(n).toBe(2_000_000);
    // Had the query run on this thread, no tick could have happened before it finished.
    expect(ticks).toBeGreaterThan(1);
  });

  it('refuses writes and reports a bad query as an error, then goes on working', async () => {
    const { reader } = setup();
    await expect(reader.all(sql`insert into t values (9) returning n`)).rejects.toThrow(/readonly/i);
    await expect(reader.all(sql`select * from no_such_table`)).rejects.toThrow(/Background query failed: no such table/);
    expect(await reader.all(sql`select count(*) as c from t`)).toEqual([{ c: 0 }]);
  });

  it('answers queries given at once each with its own rows', async () => {
    const { reader, write } = setup();
    write('insert into t values (1), (2), (3), (4), (5)');
    const results = await Promise.all([1, 2, 3, 4, 5].map((k) => reader.all<{ n: number }>(sql`select n from t where n = ${k}`)));
    expect(results).toEqual([1, 2, 3, 4, 5].map((n) => [{ n }]));
  });
});
