import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { ChannelMap } from '../../src/shared/channel';

/** Shared by the fuzz tests: hostile values, payloads built from a channel's schema, a row fingerprint. */

/** A small deterministic generator, so a failing run can be replayed from its seed. */
export function random(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

export const HOSTILE: unknown[] = [
  null,
  true,
  0,
  -1,
  -0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1e308,
  2 ** 53 + 2,
  2_147_483_647,
  '',
  ' ',
  'x'.repeat(100_000),
  "'; drop table work_items; --",
  "' or 1=1 --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000\u202e\ud800',
  '=cmd|/c calc!A1',
  '../../etc/passwd',
  '2026-13-45',
  [],
  [1, 'two', null],
  {},
  { nested: { deeper: ['x'] } },
  { __proto__: { polluted: true } },
];

/** A malformed payload for a channel: hostile values in its own fields, mostly with a field it does not know. */
export function payloadFor(channel: ChannelMap[string], next: () => number): unknown {
  const pick = () => HOSTILE[Math.floor(next() * HOSTILE.length)];
  const roll = next();
  const shape = (channel.input as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  // A channel that takes nothing (backups.start) has {} — and null, read as {} — as its valid
  // input: the only malformed payload for it carries a field it does not know.
  if (Object.keys(shape).length === 0) return { isAdmin: pick() };
  if (roll < 0.1) return pick(); // not an object at all
  const payload: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) if (next() < 0.7) payload[key] = pick();
  // Most payloads also carry a field no schema knows.
  if (roll < 0.8) payload[next() < 0.5 ? 'constructor' : 'isAdmin'] = pick();
  return payload;
}

/** A fingerprint of every row of every table: equal fingerprints, no row changed. */
export function fingerprint(db: Database.Database): string {
  const hash = createHash('sha256');
  const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((r) => r.name);
  for (const table of tables) {
    hash.update(table);
    for (const row of db.prepare(`select * from "${table}"`).raw().iterate()) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}
