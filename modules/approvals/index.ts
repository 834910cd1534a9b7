import { asc, eq } from 'drizzle-orm';
import { AppError } from '../../src/shared/errors';
import type { WorkItem } from '../../src/shared/types';
import { defineModule } from '../../src/core/modules/types';
import { approvalsContract, type ApprovalRecord, type ApprovalRules } from './contract';
import { commentRequired, enforce, refusal } from './rules';
import { approvalRecords } from './schema';

/** The part of the templates module this one relies on (its exports). */
interface TemplateRulesDirectory {
  rulesFor(source: { id: string; version?: number }): ApprovalRules | null;
}

const HINT_ACTIONS = ['submit', 'approve', 'reject', 'cancel'] as const;

export default defineModule({
  name: 'approvals',
  version: '0.1.0',
  description: "Applies each template's approval rules (required comments, no self-approval) and keeps the sign-off record.",
  dependsOn: ['templates'],
  hasMigrations: true,
  contract: approvalsContract,
  setup({ db, use, workItems }) {
    const templates = use<TemplateRulesDirectory | undefined>('templates');
    if (typeof templates?.rulesFor !== 'function') throw new Error('the templates module does not offer approval rules (rulesFor)');
    // Items keep the rules of the template version they started with.
    const rulesOf = (item: WorkItem): ApprovalRules | null => (item.workflow ? templates.rulesFor(item.workflow) : null);

    const stepName = (item: WorkItem, step: number | null) => (step === null ? null : (item.steps[step]?.name ?? `Step ${step + 1}`));

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
        transition: ({ item, after, event, actor, now }) => {
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
          db.insert(approvalRecords)
            .values({
              itemId: item.id,
              eventSeq: after.version,
              action: event.action,
              signerId: actor.id,
              signerName: actor.name,
              at: now,
              fromStep: from,
              fromDepartment,
              toStep: event.toStep,
              toDepartment,
              meaning,
              comment: event.comment,
            })
            .run();
        },
      },

      handlers: {
        'approvals.records': ({ itemId }) =>
          db
            .select()
            .from(approvalRecords)
            .where(eq(approvalRecords.itemId, itemId))
            .orderBy(asc(approvalRecords.eventSeq))
            .all()
            .map(
              (r): ApprovalRecord => ({
                id: r.id,
                itemId: r.itemId,
                action: r.action,
                signer: { id: r.signerId, name: r.signerName },
                at: new Date(r.at).toISOString(),
                fromStep: r.fromStep,
                fromDepartment: r.fromDepartment,
                toStep: r.toStep,
                toDepartment: r.toDepartment,
                meaning: r.meaning,
                comment: r.comment,
              }),
            ),
        'approvals.rules': ({ itemId }) => {
          const item = workItems.get(itemId);
          if (!item) throw new AppError('NOT_FOUND', `Work item #${itemId} does not exist.`, { id: itemId });
          return rulesOf(item);
        },
      },
    };
  },
});
