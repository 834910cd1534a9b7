/**
 * The core's rows a module's store test needs (a work item and its workflow snapshot, a transition
 * event), written with plain SQL through the storage port, so the same helper serves both adapters
 * of storageMatrix.ts. Only the columns the tests care about are given; the rest are plain defaults.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../src/core/storage/port';

export interface ItemRow {
  steps?: { name: string }[];
  status?: 'draft' | 'active' | 'completed' | 'cancelled';
  currentStep?: number | null;
  version?: number;
  stepEnteredAt?: number;
  createdAt?: number;
}

/** Inserts a work item on a new workflow snapshot; its id. */
export async function addItem(tx: Tx, item: ItemRow = {}): Promise<number> {
  const steps = item.steps ?? [{ name: 'Engineering' }, { name: 'Quality Control' }];
  const status = item.status ?? 'active';
  const at = item.createdAt ?? Date.parse('2026-03-01T08:00:00Z');
  const snapshot = await tx.get<{ id: number }>(
    sql`insert into workflow_snapshots (steps_json, step_count) values (${JSON.stringify(steps)}, ${steps.length}) returning id as "id"`,
  );
  const row = await tx.get<{ id: number }>(
    sql`insert into work_items (title, priority, status, current_step, workflow_id, created_by_id, created_by_name, created_at, updated_at, step_entered_at, version)
      values (${'Replace brake unit'}, 'normal', ${status}, ${item.currentStep === undefined ? (status === 'active' ? 0 : null) : item.currentStep}, ${snapshot!.id},
        'u1', 'Una', ${at}, ${at}, ${item.stepEnteredAt ?? at}, ${item.version ?? 1})
      returning id as "id"`,
  );
  return row!.id;
}

export interface EventRow {
  itemId: number;
  seq: number;
  action: string;
  actorId?: string;
  actorName?: string;
  at?: number;
  fromStep?: number | null;
  toStep?: number | null;
  toStatus?: string;
  comment?: string | null;
}

/** Appends a transition event; its id. */
export async function addEvent(tx: Tx, event: EventRow): Promise<number> {
  const row = await tx.get<{ id: number }>(
    sql`insert into transition_events (item_id, seq, action, actor_id, actor_name, at, from_status, to_status, from_step, to_step, comment)
      values (${event.itemId}, ${event.seq}, ${event.action}, ${event.actorId ?? 'u2'}, ${event.actorName ?? 'Quinn Inspector'},
        ${event.at ?? Date.parse('2026-03-01T09:00:00Z')}, 'active', ${event.toStatus ?? 'active'}, ${event.fromStep ?? null}, ${event.toStep ?? null},
        ${event.comment ?? null})
      returning id as "id"`,
  );
  return row!.id;
}
