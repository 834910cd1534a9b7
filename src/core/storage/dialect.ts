import { sql, type SQL } from 'drizzle-orm';

/**
 * The few pieces of SQL that differ between SQLite and PostgreSQL, one function each, so a store
 * writes its query once (`${tx.sql.greatest(a, b)}`). What both accept needs no helper:
 * `count(*) filter (where …)`, `insert … on conflict (…) do nothing / do update`, `returning`,
 * `->>` on JSON text (PostgreSQL: cast with jsonText below), window functions.
 */
export interface DialectSql {
  /** A boolean as a bound value: 1/0 on SQLite (it has no booleans), true/false on PostgreSQL. */
  bool(value: boolean): SQL;
  /** The larger of two values (SQLite's scalar max, PostgreSQL's greatest). */
  greatest(a: SQL, b: SQL): SQL;
  /** The smaller of two values. */
  least(a: SQL, b: SQL): SQL;
  /** A text field of a JSON object kept as text: `json ->> 'key'` (PostgreSQL needs the cast). */
  jsonText(json: SQL, key: string): SQL;
  /** Case-insensitive LIKE with `\` as the escape (SQLite's LIKE folds ASCII; PostgreSQL's ILIKE). */
  likeFolded(text: SQL, pattern: string): SQL;
}

const jsonKey = (key: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`JSON key "${key}" is not a plain name`);
  return sql.raw(`'${key}'`);
};

export const sqliteSql: DialectSql = {
  bool: (value) => sql`${value ? 1 : 0}`,
  greatest: (a, b) => sql`max(${a}, ${b})`,
  least: (a, b) => sql`min(${a}, ${b})`,
  jsonText: (json, key) => sql`(${json} ->> ${jsonKey(key)})`,
  likeFolded: (text, pattern) => sql`${text} like ${pattern} escape '\\'`,
};

export const postgresSql: DialectSql = {
  bool: (value) => sql`${value}`,
  greatest: (a, b) => sql`greatest(${a}, ${b})`,
  least: (a, b) => sql`least(${a}, ${b})`,
  jsonText: (json, key) => sql`((${json})::json ->> ${jsonKey(key)})`,
  likeFolded: (text, pattern) => sql`${text} ilike ${pattern} escape '\\'`,
};
