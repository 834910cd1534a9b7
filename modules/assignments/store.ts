/**
 * The assignments module's SQL, on the storage port (SQLite and PostgreSQL alike): who holds each
 * item at its step (`assignments`, one row per item) and every change (`assignment_history`,
 * append-only: only ever inserted). The triggers insist that a change's history row is written
 * before the current row changes.
 *
 * The statements that the start-up clean-up also runs synchronously (startup.ts) are built from
 * one function each, given placeholders here and values there, so both write the same SQL.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type Reader, type Tx } from '../../src/core/modules/api';
import type { HistoryAction } from './contract';
import { assignmentHistory, assignments } from './schema';

/** Types, not interfaces: they are also queries' named values. */
export type AssignmentRow = {
  itemId: number;
  stepIndex: number;
  stepEnteredAt: number;
  itemVersion: number;
  userId: number;
  userName: string;
  userNumber: string;
  assignedAt: number;
  assignedById: string;
  assignedByName: string;
  reason: string | null;
};

export type HistoryRow = {
  id: number;
  itemId: number;
  action: HistoryAction;
  stepIndex: number;
  stepName: string;
  itemVersion: number;
  fromUserId: number | null;
  fromUserName: string | null;
  toUserId: number | null;
  toUserName: string | null;
  actorId: string;
  actorName: string;
  at: number;
  reason: string | null;
};

export type NewHistory = Omit<HistoryRow, 'id'>;

/** What a statement builder is given: a query's placeholders, or the values themselves. */
type Values<T> = { [K in keyof T]: unknown };

const a = assignments;
const h = assignmentHistory;

const assignmentColumns = sql`${a.itemId} as "itemId", ${a.stepIndex} as "stepIndex", ${a.stepEnteredAt} as "stepEnteredAt",
  ${a.itemVersion} as "itemVersion", ${a.userId} as "userId", ${a.userName} as "userName", ${a.userNumber} as "userNumber",
  ${a.assignedAt} as "assignedAt", ${a.assignedById} as "assignedById", ${a.assignedByName} as "assignedByName", ${a.reason} as "reason"`;

const historyColumns = sql`${h.id} as "id", ${h.itemId} as "itemId", ${h.action} as "action", ${h.stepIndex} as "stepIndex",
  ${h.stepName} as "stepName", ${h.itemVersion} as "itemVersion", ${h.fromUserId} as "fromUserId", ${h.fromUserName} as "fromUserName",
  ${h.toUserId} as "toUserId", ${h.toUserName} as "toUserName", ${h.actorId} as "actorId", ${h.actorName} as "actorName",
  ${h.at} as "at", ${h.reason} as "reason"`;

/** Every current row, by item (for the start-up clean-up). */
export const everyAssignment: SQL = sql`select ${assignmentColumns} from ${a} order by ${a.itemId}`;

export const historyInsert = (v: Values<NewHistory>): SQL =>
  sql`insert into ${h} (item_id, action, step_index, step_name, item_version, from_user_id, from_user_name, to_user_id, to_user_name,
      actor_id, actor_name, at, reason)
    values (${v.itemId}, ${v.action}, ${v.stepIndex}, ${v.stepName}, ${v.itemVersion}, ${v.fromUserId}, ${v.fromUserName}, ${v.toUserId},
      ${v.toUserName}, ${v.actorId}, ${v.actorName}, ${v.at}, ${v.reason})`;

export const assignmentDelete = (v: Values<{ itemId: number }>): SQL => sql`delete from ${a} where ${a.itemId} = ${v.itemId}`;

const assignmentByItem = query<AssignmentRow, { itemId: number }>((p) => sql`select ${assignmentColumns} from ${a} where ${a.itemId} = ${p.itemId}`);

/** Longest held first; rows of one millisecond by item. */
const assignmentsOfUser = query<AssignmentRow, { userId: number; limit: number }>(
  (p) => sql`select ${assignmentColumns} from ${a} where ${a.userId} = ${p.userId} order by ${a.assignedAt}, ${a.itemId} limit ${p.limit}`,
);

const historyOfItem = query<HistoryRow, { itemId: number }>((p) => sql`select ${historyColumns} from ${h} where ${h.itemId} = ${p.itemId} order by ${h.id}`);

const insertHistory = query<never, NewHistory>(historyInsert);

const upsertAssignment = query<never, AssignmentRow>(
  (p) => sql`insert into ${a} (item_id, step_index, step_entered_at, item_version, user_id, user_name, user_number, assigned_at,
      assigned_by_id, assigned_by_name, reason)
    values (${p.itemId}, ${p.stepIndex}, ${p.stepEnteredAt}, ${p.itemVersion}, ${p.userId}, ${p.userName}, ${p.userNumber}, ${p.assignedAt},
      ${p.assignedById}, ${p.assignedByName}, ${p.reason})
    on conflict (item_id) do update set step_index = excluded.step_index, step_entered_at = excluded.step_entered_at,
      item_version = excluded.item_version, user_id = excluded.user_id, user_name = excluded.user_name, user_number = excluded.user_number,
      assigned_at = excluded.assigned_at, assigned_by_id = excluded.assigned_by_id, assigned_by_name = excluded.assigned_by_name,
      reason = excluded.reason`,
);

const deleteAssignment = query<never, { itemId: number }>(assignmentDelete);

/** The item's current row (possibly for a step it has left), if any. */
export const assignmentOf = (r: Reader, itemId: number): Promise<AssignmentRow | undefined> => r.get(assignmentByItem, { itemId });

/** The rows of what this user holds, longest held first, at most `limit`. */
export const assignmentsOf = (r: Reader, userId: number, limit: number): Promise<AssignmentRow[]> => r.all(assignmentsOfUser, { userId, limit });

/** Every recorded change of the item, oldest first. */
export const historyOf = (r: Reader, itemId: number): Promise<HistoryRow[]> => r.all(historyOfItem, { itemId });

/** Records a change; before the current row changes (the triggers insist). */
export const recordHistory = async (tx: Tx, entry: NewHistory): Promise<void> => {
  await tx.run(insertHistory, entry);
};

/** Makes `row` the item's current assignment, replacing the one it had. */
export const putAssignment = async (tx: Tx, row: AssignmentRow): Promise<void> => {
  await tx.run(upsertAssignment, row);
};

/** Removes the item's current assignment. */
export const removeAssignment = async (tx: Tx, itemId: number): Promise<void> => {
  await tx.run(deleteAssignment, { itemId });
};
