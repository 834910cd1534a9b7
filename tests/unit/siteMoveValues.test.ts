import { describe, expect, it } from 'vitest';
import { progressLines } from '../../src/core/db/pg/move/progress';
import { movedTables } from '../../src/core/db/pg/move/tables';
import { canonical, toPg, ValueError } from '../../src/core/db/pg/move/values';

describe('a site move converts each value by the type mapping, strictly', () => {
  it('turns 0/1 into booleans, BigInts into exact integer text, keeps bytes, numbers and text', () => {
    expect([toPg('boolean', 0n), toPg('boolean', 1n)]).toEqual([false, true]);
    expect(toPg('integer', 9_007_199_254_740_993n)).toBe('9007199254740993');
    expect(toPg('double', 1.5)).toBe(1.5);
    expect(toPg('double', 12n)).toBe('12');
    const bytes = Buffer.from([0, 255]);
    expect(toPg('bytea', bytes)).toBe(bytes);
    expect(toPg('text', '{"b":1,"a":2}')).toBe('{"b":1,"a":2}');
    expect(toPg('text', null)).toBeNull();
  });

  it('refuses what the column cannot hold as it is, rather than letting PostgreSQL cast it', () => {
    expect(() => toPg('boolean', 2n)).toThrow(ValueError);
    expect(() => toPg('integer', 'seven')).toThrow('the text "seven", which the integer column cannot hold as it is');
    expect(() => toPg('integer', 1.5)).toThrow(ValueError);
    expect(() => toPg('bytea', 'ab')).toThrow(ValueError);
    expect(() => toPg('text', Buffer.from('x'))).toThrow('1 bytes, which the text column');
  });

  it('compares both sides in one form: a flag, an integer or bytes read from SQLite equal the same read from PostgreSQL', () => {
    expect(canonical('boolean', 1n)).toBe(canonical('boolean', true));
    expect(canonical('boolean', 0n)).not.toBe(canonical('boolean', true));
    expect(canonical('integer', 1_700_000_000_000n)).toBe(canonical('integer', '1700000000000'));
    expect(canonical('integer', 3n)).toBe(canonical('integer', 3));
    expect(canonical('double', 1_700_005_400_000n)).toBe(canonical('double', 1_700_005_400_000));
    expect(canonical('bytea', Buffer.from('ab'))).toBe('\\x6162');
    // A value of an unexpected type never equals a proper one.
    expect(canonical('bytea', '\\x6162')).not.toBe(canonical('bytea', Buffer.from('ab')));
    expect(canonical('text', null)).toBeNull();
  });
});

describe('what a site move copies', () => {
  it('orders tables so that every table comes after those its foreign keys point at', () => {
    const tables = movedTables(['core', 'comments', 'templates']);
    const at = (name: string) => tables.findIndex((t) => t.name === name);
    expect(at('workflow_snapshots')).toBeLessThan(at('work_items'));
    expect(at('work_items')).toBeLessThan(at('transition_events'));
    expect(at('work_items')).toBeLessThan(at('comments'));
    expect(at('comments')).toBeLessThan(at('comment_revisions'));
    expect(at('templates')).toBeLessThan(at('template_versions'));
    const items = tables.find((t) => t.name === 'work_items')!;
    expect(items.key).toEqual(['id']);
    expect(items.columns.find((c) => c.name === 'due_at')).toMatchObject({ kind: 'double', generated: true });
    expect(items.columns.find((c) => c.name === 'id')).toMatchObject({ kind: 'integer', sqlType: 'bigint', identity: true });
  });

  it('prints progress at most every interval, and a last line with the rate', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = progressLines((l) => lines.push(l), 2000, () => now);
    progress.start('work_items', 1_000_000);
    for (const [at, done] of [[500, 100_000], [2100, 400_000], [3000, 500_000], [4200, 900_000]]) {
      now = at!;
      progress.update(done!);
    }
    now = 5000;
    progress.update(1_000_000);
    progress.finish();
    expect(lines).toEqual([
      '  work_items  400,000 / 1,000,000 rows  190,476 rows/s',
      '  work_items  900,000 / 1,000,000 rows  214,286 rows/s',
      '  work_items  1,000,000 rows in 5.0 s, 200,000 rows/s',
    ]);
  });
});
