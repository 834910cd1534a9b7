import { defineModule } from '../../src/core/modules/api';
import { AppError } from '../../src/shared/errors';
import type { WorkItem } from '../../src/shared/types';
import { approvalsContract, type ApprovalRecord, type ApprovalRules } from './contract';
import { commentRequired, enforce, refusal } from './rules';
import { recordSignoff, recordsOf } from './store';

/** The part of the templates module this one relies on (its exports). */
interface TemplateRulesDirectory {
  rulesFor(source: { id: string; version?: number }): ApprovalRules | null;
}

const HINT_ACTIONS = ['submit', 'approve', 'reject', 'cancel'] as const;

export default defineModule({
  name: 'approvals',
  version: '0.2.0',
  description: "Applies each template's approval rules (required comments, no self-approval) and keeps the sign-off record.",
  dependsOn: ['templates'],
  hasMigrations: true,
  contract: approvalsContract,
  setup({ storage, use, workItems }) {
    const templates = use<TemplateRulesDirectory | undefined>('templates');
    if (typeof templates?.rulesFor !== 'function') throw new Error('the templates module does not offer approval rules (rulesFor)');
    // Items keep the rules of the template version they started with.
    const rulesOf = (item: WorkItem): ApprovalRules | null => (item.workflow ? templates.rulesFor(item.workflow) : null);

    const stepName = (item: WorkItem | null, step: number | null) => (step === null ? null : (item?.steps[step]?.name ?? `Step ${step + 1}`));
    return {
      guards: [
        ({ item, command, actor, comment }) => {
          const rules = rulesOf(item);
          if (rules) enforce(rules, item, command.type, actor, comment);
        },
      ],

      hints: (item, actor) => {
        const rules = rulesOf(item);
        if (!rules) return {};
        return Object.fromEntries(
          HINT_ACTIONS.map((action) => {
            const blocked = refusal(rules, item, action, actor);
            return [action, { ...(blocked ? { blocked } : {}), ...(commentRequired(rules, action) ? { commentRequired: true } : {}) }];
          }),
        );
      },

      on: {
        transition: async ({ item, after, event }) => {
          if (event.action !== 'approve' && event.action !== 'reject') return;
          const from = event.fromStep ?? 0;
          const fromDepartment = stepName(item, from)!;
          const toDepartment = stepName(item, event.toStep);
          const required = item.steps[from]?.minSignoffs ?? 1;
          const signoff = required > 1 ? ` (sign-off ${item.currentSignoffs.length + 1} of ${required})` : '';
          const meaning =
            event.action === 'reject'
              ? `Rejected at ${fromDepartment}, returned to ${toDepartment}`
              : `Approved at ${fromDepartment}${signoff}`;
          // The record names its event (just appended, same transaction) and takes its id.
          const recorded = await storage.run((tx) => recordSignoff(tx, { itemId: item.id, eventSeq: after.version, meaning }));
          if (!recorded) throw new Error(`approvals: no transition event ${after.version} of item #${item.id} to sign`);
        },
      },

      handlers: {
        'approvals.records': ({ itemId }) =>
          storage.read(async (r) => {
            // The departments are the steps' names on the item's (unchanging) workflow snapshot, unless kept whole.
            const item = workItems.get(itemId);
            return (await recordsOf(r, itemId)).map(
              (row): ApprovalRecord => ({
                id: row.id,
                itemId: row.itemId,
                eventSeq: row.eventSeq,
                action: row.action,
                signer: { id: row.signerId, name: row.signerName },
                at: new Date(row.at).toISOString(),
                fromStep: row.fromStep,
                fromDepartment: row.original ? row.fromDepartment! : stepName(item, row.fromStep)!,
                toStep: row.toStep,
                toDepartment: row.original ? row.toDepartment : stepName(item, row.toStep),
                meaning: row.meaning,
                comment: row.comment,
              }),
            );
          }),
        'approvals.rules': ({ itemId }) => {
          const item = workItems.get(itemId);
          if (!item) throw new AppError('NOT_FOUND', `Work item #${itemId} does not exist.`, { id: itemId });
          return rulesOf(item);
        },
      },
    };
  },
});
