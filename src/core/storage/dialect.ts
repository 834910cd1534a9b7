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
  /**
   * The elements of a JSON array kept as text, as a FROM item named `alias` with one column,
   * `value`: a string element's text, an object element's JSON text (read a field of it with
   * jsonText). SQLite's json_each, PostgreSQL's json_array_elements_text. For strings and objects:
   * a number element is a number on SQLite and text on PostgreSQL.
   */
  jsonElements(jsonArray: SQL, alias: string): SQL;
  /** Case-insensitive LIKE with `\` as the escape (SQLite's LIKE folds ASCII; PostgreSQL's ILIKE). */
  likeFolded(text: SQL, pattern: string): SQL;
  /**
   * Text to order or compare ignoring the case of A–Z only, and otherwise by code point: SQLite's
   * `collate nocase`. PostgreSQL folds A–Z with translate and compares in the "C" collation, so the
   * database's locale (which would sort "_x" or "Émile" elsewhere) plays no part.
   */
  nocase(text: SQL): SQL;
}

const plainName = (name: string, what: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`${what} "${name}" is not a plain name`);
  return name;
};
const jsonKey = (key: string) => sql.raw(`'${plainName(key, 'JSON key')}'`);
const alias = (name: string) => sql.raw(plainName(name, 'Alias'));

export const sqliteSql: DialectSql = {
  bool: (value) => sql`${value ? 1 : 0}`,
  greatest: (a, b) => sql`max(${a}, ${b})`,
  least: (a, b) => sql`min(${a}, ${b})`,
  jsonText: (json, key) => sql`(${json} ->> ${jsonKey(key)})`,
  jsonElements: (jsonArray, name) => sql`json_each(${jsonArray}) as ${alias(name)}`,
  likeFolded: (text, pattern) => sql`${text} like ${pattern} escape '\\'`,
  nocase: (text) => sql`${text} collate nocase`,
};

export const postgresSql: DialectSql = {
  bool: (value) => sql`${value}`,
  greatest: (a, b) => sql`greatest(${a}, ${b})`,
  least: (a, b) => sql`least(${a}, ${b})`,
  jsonText: (json, key) => sql`((${json})::json ->> ${jsonKey(key)})`,
  jsonElements: (jsonArray, name) => sql`json_array_elements_text((${jsonArray})::json) as ${alias(name)}(value)`,
  likeFolded: (text, pattern) => sql`${text} ilike ${pattern} escape '\\'`,
  nocase: (text) => sql`translate(${text}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') collate "C"`,
};
