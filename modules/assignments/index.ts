import { defineModule, type Reader, type Tx } from '../../src/core/modules/api';
import { AppError } from '../../src/shared/errors';
import type { Actor, WorkflowStep, WorkItem } from '../../src/shared/types';
import { audited } from './audited';
import { changeWrites, endedBy, isCurrent, staleEnd, type AssignmentChange } from './changes';
import { assignmentsContract, type Assignee, type HistoryAction, type HistoryEntry, type ItemAssignment, type MyAssignment } from './contract';
import { manages, refusal, type Caller, type Role } from './rules';
import { endStaleAssignments } from './startup';
import { assignmentOf, assignmentsOf, historyOf, putAssignment, recordHistory, removeAssignment, type AssignmentRow } from './store';

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

const iso = (ms: number) => new Date(ms).toISOString();

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

export default defineModule({
  name: 'assignments',
  version: '0.1.0',
  description: 'One person holds each item at its current step: leads assign in their department, staff take and release; every change is recorded.',
  dependsOn: ['users'],
  hasMigrations: true,
  contract: assignmentsContract,
  setup(ctx) {
    const { storage, clock, recordChange, use, workItems } = ctx;
    const users = use<UsersDirectory | undefined>('users');
    if (typeof users?.person !== 'function' || typeof users.membersOf !== 'function') {
      throw new Error('the users module does not offer its directory (person, membersOf)');
    }

    const itemOf = (itemId: number) => {
      const item = workItems.get(itemId);
      if (!item) throw new AppError('NOT_FOUND', `Work item #${itemId} does not exist.`, { id: itemId });
      return item;
    };
    /** The current holder's row, if it belongs to the item's current stay at its step. */
    const holderOf = async (r: Reader, item: WorkItem) => {
      const row = await assignmentOf(r, item.id);
      return row && isCurrent(row, item) ? row : undefined;
    };

    /**
     * Writes one assignment change: its history row first, then the current row (the triggers
     * insist on that order), then the change feed for the audit trail — all in the caller's transaction.
     */
    const write = async (tx: Tx, item: WorkItem, change: AssignmentChange, actor: Actor, now = clock()) => {
      const { history, current, feed } = changeWrites(item, change, actor, now);
      await recordHistory(tx, history);
      if (current) await putAssignment(tx, current);
      else await removeAssignment(tx, item.id);
      recordChange(feed, actor);
    };

    // Items that moved while this module was off: their old step's assignment ends now, on record.
    endStaleAssignments(ctx);

    const callerOf = (me: PersonInfo | null, members: PersonInfo[]): Caller | null =>
      me?.active ? { userId: me.id, role: me.role, member: members.some((m) => m.id === me.id) } : null;

    /** The item's assignment as `actor` sees it; `row` is its current holder's (holderOf). */
    const view = (item: WorkItem, row: AssignmentRow | undefined, actor: Actor): ItemAssignment => {
      const at = stepOf(item);
      const none = { take: false, release: false, assign: false, unassign: false };
      const me = users.person(actor.id);
      const base = { itemId: item.id, itemVersion: item.version, callerId: me?.id ?? null };
      if (!at) return { ...base, step: null, notAssignable: notAssignable(item), assignee: null, may: none, candidates: [], note: null };
      const department = at.step.name;
      const members = users.membersOf(at.step);
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
        assigneeOf: (itemId: number): Promise<{ userId: number; name: string } | null> =>
          storage.read(async (r) => {
            const item = workItems.get(itemId);
            const row = item ? await holderOf(r, item) : undefined;
            return row ? { userId: row.userId, name: row.userName } : null;
          }),
      },

      on: {
        // In the transition's own transaction: the old step's assignment ends with the move, or neither happens.
        transition: async ({ item, after, actor, event, now }) => {
          const row = await storage.read((r) => assignmentOf(r, item.id));
          if (!row || isCurrent(row, after)) return; // nobody held it, or a partial sign-off kept it at its step
          const reason = endedBy(item, after, event.action);
          await storage.run((tx) => write(tx, after, { action: 'ended', stepIndex: row.stepIndex, from: row, to: null, reason, itemVersion: after.version }, actor, now));
        },
      },

      handlers: {
        'assignments.forItem': ({ itemId }, { actor }) =>
          storage.read(async (r) => {
            const item = itemOf(itemId);
            return view(item, await holderOf(r, item), actor);
          }),

        'assignments.assign': ({ itemId, userId, reason, expectedVersion, expectedAssigneeId }, { actor }) =>
          storage.run(async (tx) => {
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

            let row = await assignmentOf(tx, itemId);
            if (row && !isCurrent(row, item)) {
              await write(tx, item, staleEnd(row, item), actor);
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
            await write(tx, item, { action, stepIndex: at.index, from: row, to: target, reason: reason ? reason : null }, actor);
            return view(item, await holderOf(tx, item), actor);
          }),

        'assignments.history': ({ itemId }) =>
          storage.read(async (r) => {
            itemOf(itemId);
            return (await historyOf(r, itemId)).map(
              (h): HistoryEntry => ({
                id: h.id,
                itemId: h.itemId,
                action: h.action,
                step: { index: h.stepIndex, name: h.stepName },
                itemVersion: h.itemVersion,
                from: h.fromUserId === null ? null : { userId: h.fromUserId, name: h.fromUserName ?? '' },
                to: h.toUserId === null ? null : { userId: h.toUserId, name: h.toUserName ?? '' },
                by: { id: h.actorId, name: h.actorName },
                at: iso(h.at),
                reason: h.reason,
              }),
            );
          }),

        'assignments.mine': (_input, { actor }) =>
          storage.read(async (r) => {
            const me = users.person(actor.id);
            if (!me) return [];
            return (await assignmentsOf(r, me.id, 500)).flatMap((row): MyAssignment[] => {
              const item = workItems.get(row.itemId);
              if (!item || !isCurrent(row, item)) return [];
              return [{ item, assignedAt: iso(row.assignedAt), assignedBy: { id: row.assignedById, name: row.assignedByName }, reason: row.reason }];
            });
          }),
      },
    };
  },
});
