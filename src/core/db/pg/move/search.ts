import type { Client } from 'pg';

/**
 * The search index. On SQLite it is a contentless FTS5 table (only the items' ids, no text to copy);
 * on PostgreSQL a table of the same name with each item's text and a trigram index. So it is not
 * copied but rebuilt from the copied work_items, with the function its triggers use (as the core's
 * migrations-pg/0001 fills it), and then checked: the same ids as SQLite's index, and every text
 * what the triggers would have written for its item.
 */
export const SEARCH_TABLE = 'work_items_search';

export async function rebuildSearch(client: Client): Promise<number> {
  await client.query(`delete from ${SEARCH_TABLE}`);
  const result = await client.query(`insert into ${SEARCH_TABLE} (rowid, body) select id, work_items_search_body(title, metadata_json) from work_items`);
  return result.rowCount ?? 0;
}

/** Rows whose text is not what the triggers make of their item (0 when the index is right). */
export async function searchTextsOff(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `select count(*) as n from ${SEARCH_TABLE} s left join work_items w on w.id = s.rowid
     where w.id is null or s.body is distinct from work_items_search_body(w.title, w.metadata_json)`,
  );
  return Number(rows[0]!.n);
}
