import { asc, eq } from 'drizzle-orm';
import { defineModule } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { Actor, WorkflowStep, WorkItem } from '../../src/shared/types';
import { audited } from './audited';
import { assignmentsContract, type Assignee, type HistoryAction, type HistoryEntry, type ItemAssignment, type MyAssignment } from './contract';
import { manages, refusal, type Caller, type Role } from './rules';
import { assignmentHistory, assignments } from './schema';

/** The part of the users module this one relies on (its exports), described here: modules never import each other. */
interface PersonInfo {
  id: number;
  actorId: string;
  name: string;
  number: string;
  role: Role;
  departments: string[];
  active: boolean;
}
interface UsersDirectory {
  person(who: string | number): PersonInfo | null;
  membersOf(step: WorkflowStep): PersonInfo[];
}

type Row = typeof assignments.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();
/** Who the start-up clean-up is recorded against. */
const SYSTEM: Actor = { id: 'module:assignments', name: 'Assignments (at start-up)' };

/** The step an item is at and can be assigned at: active items only. */
function stepOf(item: WorkItem): { index: number; step: WorkflowStep } | null {
  if (item.status !== 'active' || item.currentStep === null) return null;
  const step = item.steps[item.currentStep];
  return step ? { index: item.currentStep, step } : null;
}

const notAssignable = (item: WorkItem): string | null => {
  switch (item.status) {
    case 'draft':
      return 'A draft is assigned once it is submitted.';
    case 'completed':
      return 'Completed items are not assigned.';
    case 'cancelled':
      return 'Cancelled items are not assigned.';
    default:
      return null;
  }
};

/** A row belongs to the item's current stay at its current step (not an earlier one it has left). */
const isCurrent = (row: Row, item: WorkItem) =>
  item.status === 'active' && item.currentStep === row.stepIndex && Date.parse(item.stepEnteredAt) === row.stepEnteredAt;

/** Why an item's step assignment ended, from the transition that moved it. */
function endedBy(before: WorkItem, after: WorkItem, action: string): string {
  const name = (item: WorkItem) => item.steps[item.currentStep ?? 0]?.name ?? 'its step';
  const at = name(before);
  switch (action) {
    case 'approve':
      return after.status === 'completed' ? `Approved at ${at}: all steps done.` : `Approved at ${at}, moved to ${name(after)}.`;
    case 'reject':
      return `Rejected at ${at}, sent back to ${name(after)}.`;
    case 'cancel':
      return `Cancelled at ${at}.`;
    default:
      return `The item left ${at}.`;
  }
}

export default defineModule({
  name: 'assignments',
  version: '0.1.0',
  description: 'One person holds each item at its current step: leads assign in their department, staff take and release; every change is recorded.',
  dependsOn: ['users'],
  hasMigrations: true,
  contract: assignmentsContract,
  setup({ db, clock, transaction, recordChange, use, workItems }) {
    const users = use<UsersDirectory | undefined>('users');
    if (typeof users?.person !== 'function' || typeof users.membersOf !== 'function') {
      throw new Error('the users module does not offer its directory (person, membersOf)');
    }

    const rowOf = (itemId: number) => db.select().from(assignments).where(eq(assignments.itemId, itemId)).get();
    const itemOf = (itemId: number) => {
      const item = workItems.get(itemId);
      if (!item) throw new AppError('NOT_FOUND', `Work item #${itemId} does not exist.`, { id: itemId });
      return item;
    };
    /** The current holder's row, if it belongs to the item's current stay at its step. */
    const holderOf = (item: WorkItem) => {
      const row = rowOf(item.id);
      return row && isCurrent(row, item) ? row : undefined;
    };

    /**
     * Writes one assignment change: its history row first, then the current row (the triggers
     * insist on that order), then the change feed for the audit trail — all in the caller's transaction.
     */
    const write = (
      item: WorkItem,
      change: { action: HistoryAction; stepIndex: number; from: Row | undefined; to: PersonInfo | null; reason: string | null; itemVersion?: number },
      actor: Actor,
      now = clock(),
    ) => {
      const stepName = item.steps[change.stepIndex]?.name ?? `step ${change.stepIndex + 1}`;
      const itemVersion = change.itemVersion ?? item.version;
      db.insert(assignmentHistory)
        .values({
          itemId: item.id,
          action: change.action,
          stepIndex: change.stepIndex,
          stepName,
          itemVersion,
          fromUserId: change.from?.userId ?? null,
          fromUserName: change.from?.userName ?? null,
          toUserId: change.to?.id ?? null,
          toUserName: change.to?.name ?? null,
          actorId: actor.id,
          actorName: actor.name,
          at: now,
          reason: change.reason,
        })
        .run();
      if (change.to) {
        const values = {
          stepIndex: change.stepIndex,
          stepEnteredAt: Date.parse(item.stepEnteredAt),
          itemVersion,
          userId: change.to.id,
          userName: change.to.name,
          userNumber: change.to.number,
          assignedAt: now,
          assignedById: actor.id,
          assignedByName: actor.name,
          reason: change.reason,
        };
        db.insert(assignments)
          .values({ itemId: item.id, ...values })
          .onConflictDoUpdate({ target: assignments.itemId, set: values })
          .run();
      } else {
        db.delete(assignments).where(eq(assignments.itemId, item.id)).run();
      }
      recordChange(
        {
          entity: 'assignment',
          entityId: String(item.id),
          action: change.action,
          before: change.from ? { userId: change.from.userId, name: change.from.userName, step: stepName, stepIndex: change.stepIndex } : null,
          after: {
            itemId: item.id,
            step: stepName,
            stepIndex: change.stepIndex,
            itemVersion,
            assignee: change.to ? { userId: change.to.id, name: change.to.name, number: change.to.number } : null,
            ...(change.reason ? { reason: change.reason } : {}),
          },
        },
        actor,
      );
    };

    /** Ends a row whose step the item has left (it moved while this module was switched off). */
    const endStale = (row: Row, item: WorkItem, actor: Actor) => {
      const stepName = item.steps[row.stepIndex]?.name ?? `step ${row.stepIndex + 1}`;
      write(item, { action: 'ended', stepIndex: row.stepIndex, from: row, to: null, reason: `The item left ${stepName} while assignments were switched off.` }, actor);
    };

    // Items that moved while this module was off: their old step's assignment ends now, on record.
    transaction(() => {
      for (const row of db.select().from(assignments).all()) {
        const item = workItems.get(row.itemId);
        if (item && !isCurrent(row, item)) endStale(row, item, SYSTEM);
      }
    });

    const callerOf = (me: PersonInfo | null, members: PersonInfo[]): Caller | null =>
      me?.active ? { userId: me.id, role: me.role, member: members.some((m) => m.id === me.id) } : null;

    const view = (item: WorkItem, actor: Actor): ItemAssignment => {
      const at = stepOf(item);
      const none = { take: false, release: false, assign: false, unassign: false };
      const me = users.person(actor.id);
      const base = { itemId: item.id, itemVersion: item.version, callerId: me?.id ?? null };
      if (!at) return { ...base, step: null, notAssignable: notAssignable(item), assignee: null, may: none, candidates: [], note: null };
      const department = at.step.name;
      const members = users.membersOf(at.step);
      const row = holderOf(item);
      const assignee: Assignee | null = row
        ? {
            userId: row.userId,
            name: row.userName,
            number: row.userNumber,
            assignedAt: iso(row.assignedAt),
            assignedBy: { id: row.assignedById, name: row.assignedByName },
            reason: row.reason,
            active: users.person(row.userId)?.active ?? false,
            member: members.some((m) => m.id === row.userId),
          }
        : null;
      const caller = callerOf(me, members);
      const holder = row ? { userId: row.userId, name: row.userName } : null;
      const may = caller
        ? {
            take: row === undefined && caller.member, // Take is for an unassigned item; a lead picks anyone (themselves too) under Reassign
            release: row?.userId === caller.userId,
            assign: manages(caller),
            unassign: row !== undefined && (manages(caller) || row.userId === caller.userId),
          }
        : none;
      const leads = `a lead of ${department} or an administrator`;
      const note = !caller
        ? 'Sign in with your own account to take or assign items.'
        : may.assign
          ? null
          : !caller.member
            ? row
              ? `Only ${leads} can change who holds this item.`
              : `Only ${department} members can take this item; ${leads} assigns it.`
            : row && row.userId !== caller.userId
              ? refusal(caller, holder, caller.userId, department)
              : null;
      const candidates = may.assign
        ? members.filter((m) => m.active).map((m) => ({ userId: m.id, name: m.name, number: m.number, role: m.role }))
        : [];
      return { ...base, step: { index: at.index, name: department }, notAssignable: null, assignee, may, candidates, note };
    };

    return {
      audited,
      exports: {
        /** Who holds an item at its current step (for other modules: queues, notifications). */
        assigneeOf: (itemId: number) => {
          const item = workItems.get(itemId);
          const row = item ? holderOf(item) : undefined;
          return row ? { userId: row.userId, name: row.userName } : null;
        },
      },

      on: {
        // In the transition's own transaction: the old step's assignment ends with the move, or neither happens.
        transition: ({ item, after, actor, event, now }) => {
          const row = rowOf(item.id);
          if (!row || isCurrent(row, after)) return; // nobody held it, or a partial sign-off kept it at its step
          write(after, { action: 'ended', stepIndex: row.stepIndex, from: row, to: null, reason: endedBy(item, after, event.action), itemVersion: after.version }, actor, now);
        },
      },

      handlers: {
        'assignments.forItem': ({ itemId }, { actor }) => view(itemOf(itemId), actor),

        'assignments.assign': ({ itemId, userId, reason, expectedVersion, expectedAssigneeId }, { actor }) =>
          transaction(() => {
            const item = itemOf(itemId);
            const at = stepOf(item);
            if (expectedVersion !== undefined && expectedVersion !== item.version) {
              const where = at ? `it is now at ${at.step.name}` : `it is now ${item.status}`;
              throw new AppError('STALE_VERSION', `Work item #${itemId} changed since you opened it (${where}); nothing was assigned. Look again and retry.`, {
                id: itemId,
                expectedVersion,
                actualVersion: item.version,
              });
            }
            if (!at) throw new AppError('INVALID_TRANSITION', notAssignable(item) ?? 'This item cannot be assigned now.', { id: itemId, status: item.status });
            const department = at.step.name;
            const members = users.membersOf(at.step);
            const me = users.person(actor.id);
            const caller = callerOf(me, members);
            if (!caller) throw new AppError('FORBIDDEN', 'Sign in with your own account to take or assign items.');

            let row = rowOf(itemId);
            if (row && !isCurrent(row, item)) {
              endStale(row, item, actor);
              row = undefined;
            }
            if (expectedAssigneeId !== undefined && (row?.userId ?? null) !== expectedAssigneeId) {
              const now = row ? `${row.userName} holds it now (${row.assignedByName} changed it)` : 'nobody holds it now';
              throw new AppError('STALE_VERSION', `The assignment changed since you opened this item: ${now}. Nothing was changed; look again and retry.`, {
                id: itemId,
                expectedAssigneeId,
                actualAssigneeId: row?.userId ?? null,
              });
            }
            if (userId === null && !row) throw new AppError('INVALID_TRANSITION', `Nobody is assigned to this item at ${department}.`, { id: itemId });
            if (userId !== null && row?.userId === userId) {
              const who = userId === caller.userId ? 'You are' : `${row.userName} is`;
              throw new AppError('INVALID_TRANSITION', `${who} already assigned to this item at ${department}.`, { id: itemId });
            }
            const holder = row ? { userId: row.userId, name: row.userName } : null;
            const refused = refusal(caller, holder, userId, department);
            if (refused) throw new AppError('FORBIDDEN', refused, { role: caller.role, department });

            let target: PersonInfo | null = null;
            if (userId !== null) {
              target = users.person(userId);
              if (!target) throw new AppError('NOT_FOUND', `There is no user #${userId}.`, { userId });
              if (!target.active) throw new AppError('FORBIDDEN', `${target.name} is inactive and cannot be assigned.`, { userId });
              if (!members.some((m) => m.id === userId)) {
                throw new AppError('FORBIDDEN', `${target.name} is not a member of ${department}, where this item is now.`, { userId, department });
              }
            }
            const action: HistoryAction =
              userId === null
                ? row?.userId === caller.userId
                  ? 'released'
                  : 'unassigned'
                : row
                  ? 'reassigned'
                  : userId === caller.userId
                    ? 'taken'
                    : 'assigned';
            write(item, { action, stepIndex: at.index, from: row, to: target, reason: reason ? reason : null }, actor);
            return view(item, actor);
          }),

        'assignments.history': ({ itemId }) => {
          itemOf(itemId);
          return db
            .select()
            .from(assignmentHistory)
            .where(eq(assignmentHistory.itemId, itemId))
            .orderBy(asc(assignmentHistory.id))
            .all()
            .map(
              (r): HistoryEntry => ({
                id: r.id,
                itemId: r.itemId,
                action: r.action,
                step: { index: r.stepIndex, name: r.stepName },
                itemVersion: r.itemVersion,
                from: r.fromUserId === null ? null : { userId: r.fromUserId, name: r.fromUserName ?? '' },
                to: r.toUserId === null ? null : { userId: r.toUserId, name: r.toUserName ?? '' },
                by: { id: r.actorId, name: r.actorName },
                at: iso(r.at),
                reason: r.reason,
              }),
            );
        },

        'assignments.mine': (_input, { actor }) => {
          const me = users.person(actor.id);
          if (!me) return [];
          return db
            .select()
            .from(assignments)
            .where(eq(assignments.userId, me.id))
            .orderBy(asc(assignments.assignedAt), asc(assignments.itemId))
            .limit(500)
            .all()
            .flatMap((row): MyAssignment[] => {
              const item = workItems.get(row.itemId);
              if (!item || !isCurrent(row, item)) return [];
              return [{ item, assignedAt: iso(row.assignedAt), assignedBy: { id: row.assignedById, name: row.assignedByName }, reason: row.reason }];
            });
        },
      },
    };
  },
});
