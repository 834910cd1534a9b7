/**
 * The approvals module's SQL, on the storage port (SQLite and PostgreSQL alike): the sign-off
 * records (approval_records, naming the core's transition event), the wordings they point at
 * (approval_meanings, each stored once) and the records kept whole from before they named their
 * events (approval_records_original). Records and meanings are only ever inserted.
 */
import { sql } from 'drizzle-orm';
import { query, type Reader, type Tx } from '../../src/core/modules/api';

/** A sign-off record as read: from its event, or kept whole (`original` 1) from before migration 0001. */
export interface RecordRow {
  id: number;
  itemId: number;
  action: 'approve' | 'reject';
  signerId: string;
  signerName: string;
  at: number;
  fromStep: number;
  /** Null unless original: the step's name on the item's workflow is the department. */
  fromDepartment: string | null;
  toStep: number | null;
  toDepartment: string | null;
  meaning: string;
  comment: string | null;
  eventSeq: number;
  original: 0 | 1;
}

/**
 * Adds a wording unless it is there. The `not exists` keeps PostgreSQL from drawing an identity
 * number for a wording already stored (on conflict alone draws one every time); `on conflict` covers
 * another transaction adding the same new wording meanwhile.
 */
const insertMeaning = query<never, { text: string }>(
  (p) => sql`insert into approval_meanings (text)
    select ${p.text} where not exists (select 1 from approval_meanings where text = ${p.text})
    on conflict (text) do nothing`,
);

/** The record names its event (item and seq) and takes the event's id. */
const insertRecord = query<never, { itemId: number; eventSeq: number; meaning: string }>(
  (p) => sql`insert into approval_records (item_id, event_seq, id, meaning_id)
    select e.item_id, e.seq, e.id, m.id from transition_events e, approval_meanings m
    where e.item_id = ${p.itemId} and e.seq = ${p.eventSeq} and m.text = ${p.meaning}`,
);

/**
 * Who, when, what and the comment come from the event; records kept whole by migration 0001 come
 * as they were. In event order; an original and a record of one event by id.
 */
const recordsOfItem = query<RecordRow, { itemId: number }>(
  (p) => sql`select r.id as "id", r.item_id as "itemId", e.action as "action", e.actor_id as "signerId", e.actor_name as "signerName",
      e.at as "at", coalesce(e.from_step, 0) as "fromStep", null as "fromDepartment", e.to_step as "toStep", null as "toDepartment",
      m.text as "meaning", e.comment as "comment", r.event_seq as "eventSeq", 0 as "original"
    from approval_records r
    join transition_events e on e.item_id = r.item_id and e.seq = r.event_seq
    join approval_meanings m on m.id = r.meaning_id
    where r.item_id = ${p.itemId}
    union all
    select id, item_id, action, signer_id, signer_name, at, from_step, from_department, to_step, to_department, meaning, comment, event_seq, 1
    from approval_records_original where item_id = ${p.itemId}
    order by "eventSeq", "id"`,
);

/**
 * Records a sign-off of the item's event `eventSeq` (appended in this transaction), meaning
 * `meaning`: false (nothing written) when there is no such event.
 */
export async function recordSignoff(tx: Tx, signoff: { itemId: number; eventSeq: number; meaning: string }): Promise<boolean> {
  await tx.run(insertMeaning, { text: signoff.meaning });
  return (await tx.run(insertRecord, signoff)).changes === 1;
}

/** The item's sign-off records, in event order. */
export const recordsOf = (r: Reader, itemId: number): Promise<RecordRow[]> => r.all(recordsOfItem, { itemId });
