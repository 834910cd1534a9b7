import type { Kind } from './tables';

/**
 * docs/postgresql.md's type mapping, one value at a time. SQLite's values are read with
 * safeIntegers, so every integer arrives as a BigInt, exact whatever its size.
 */

/** A SQLite value that the PostgreSQL column cannot hold as it is: the move stops and says where. */
export class ValueError extends Error {}

const describeValue = (value: unknown): string =>
  Buffer.isBuffer(value) ? `${value.length} bytes` : typeof value === 'string' ? `the text ${JSON.stringify(value.slice(0, 40))}` : `${typeof value} ${String(value)}`;

/**
 * The parameter for a PostgreSQL column of this kind. Strict: SQLite lets any column hold any type,
 * and a value of another type (text in an integer column, a number in a flag) is reported rather
 * than converted by PostgreSQL's casts into something the source never held.
 */
export function toPg(kind: Kind, value: unknown): unknown {
  if (value === null) return null;
  switch (kind) {
    case 'boolean':
      if (value === 0n || value === 1n) return value === 1n;
      break;
    case 'integer':
      if (typeof value === 'bigint') return value.toString();
      break;
    case 'double':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return value.toString();
      break;
    case 'bytea':
      if (Buffer.isBuffer(value)) return value;
      break;
    case 'text':
      if (typeof value === 'string') return value;
      break;
  }
  throw new ValueError(`${describeValue(value)}, which the ${kind} column cannot hold as it is`);
}

/**
 * One form for a value read from either side, so a row read back from PostgreSQL can be compared
 * with its SQLite original: 0/1 and false/true are the same flag, a BigInt and pg's int8 string the
 * same integer, a Buffer its hex. A value of an unexpected type keeps a form of its own, so it
 * never compares equal by accident.
 */
export function canonical(kind: Kind, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'boolean':
      if (value === true || value === 1n) return 't';
      if (value === false || value === 0n) return 'f';
      break;
    case 'integer':
      if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'string') return String(value);
      break;
    case 'double':
      if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'string') return String(Number(value));
      break;
    case 'bytea':
      if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
      break;
    case 'text':
      if (typeof value === 'string') return value;
      break;
  }
  return `(${typeof value}) ${String(value)}`;
}
