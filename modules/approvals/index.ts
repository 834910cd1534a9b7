import { AppError } from '../../src/shared/errors';
import type { WorkItem } from '../../src/shared/types';
import { defineModule } from '../../src/core/modules/types';
import { approvalsContract, type ApprovalRecord, type ApprovalRules } from './contract';
import { commentRequired, enforce, refusal } from './rules';

/** The part of the templates module this one relies on (its exports). */
interface TemplateRulesDirectory {
  rulesFor(source: { id: string; version?: number }): ApprovalRules | null;
}

interface RecordRow {
  id: number;
  itemId: number;
  action: 'approve' | 'reject';
  signerId: string;
  signerName: string;
  at: number;
  fromStep: number;
  fromDepartment: string | null;
  toStep: number | null;
  toDepartment: string | null;
  meaning: string;
  comment: string | null;
  eventSeq: number;
  original: 0 | 1;
}

const HINT_ACTIONS = ['submit', 'approve', 'reject', 'cancel'] as const;

export default defineModule({
  name: 'approvals',
  version: '0.2.0',
  description: "Applies each template's approval rules (required comments, no self-approval) and keeps the sign-off record.",
  dependsOn: ['templates'],
  hasMigrations: true,
  contract: approvalsContract,
  setup({ db, use, workItems }) {
    const templates = use<TemplateRulesDirectory | undefined>('templates');
    if (typeof templates?.rulesFor !== 'function') throw new Error('the templates module does not offer approval rules (rulesFor)');
    // Items keep the rules of the template version they started with.
    const rulesOf = (item: WorkItem): ApprovalRules | null => (item.workflow ? templates.rulesFor(item.workflow) : null);

    const stepName = (item: WorkItem | null, step: number | null) => (step === null ? null : (item?.steps[step]?.name ?? `Step ${step + 1}`));
    const sqlite = db.$client;
    const insertMeaning = sqlite.prepare(`insert or ignore into approval_meanings (text) values (?)`);
    const insertRecord = sqlite.prepare(
      `insert into approval_records (item_id, event_seq, id, meaning_id)
       select e.item_id, e.seq, e.id, m.id from transition_events e, approval_meanings m where e.item_id = ? and e.seq = ? and m.text = ?`,
    );
    // Who, when, what and the comment come from the event; the departments are the steps' names on
    // the item's (unchanging) workflow snapshot. Records kept whole by migration 0001 come as they were.
    const readRecords = sqlite.prepare(`
      select r.id, r.item_id as itemId, e.action, e.actor_id as signerId, e.actor_name as signerName, e.at,
             coalesce(e.from_step, 0) as fromStep, null as fromDepartment, e.to_step as toStep, null as toDepartment,
             m.text as meaning, e.comment, r.event_seq as eventSeq, 0 as original
      from approval_records r
      join transition_events e on e.item_id = r.item_id and e.seq = r.event_seq
      join approval_meanings m on m.id = r.meaning_id
      where r.item_id = ?
      union all
      select id, item_id, action, signer_id, signer_name, at, from_step, from_department, to_step, to_department,
             meaning, comment, event_seq, 1
      from approval_records_original where item_id = ?
      order by eventSeq, id`);

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
          // The record names its event (just appended, same transaction) and takes its id.
          insertMeaning.run(meaning);
          if (insertRecord.run(item.id, after.version, meaning).changes !== 1) {
            throw new Error(`approvals: no transition event ${after.version} of item #${item.id} to sign`);
          }
        },
      },

      handlers: {
        'approvals.records': ({ itemId }) => {
          const item = workItems.get(itemId);
          return (readRecords.all(itemId, itemId) as RecordRow[]).map(
            (r): ApprovalRecord => ({
              id: r.id,
              itemId: r.itemId,
              eventSeq: r.eventSeq,
              action: r.action,
              signer: { id: r.signerId, name: r.signerName },
              at: new Date(r.at).toISOString(),
              fromStep: r.fromStep,
              fromDepartment: r.original ? r.fromDepartment! : stepName(item, r.fromStep)!,
              toStep: r.toStep,
              toDepartment: r.original ? r.toDepartment : stepName(item, r.toStep),
              meaning: r.meaning,
              comment: r.comment,
            }),
          );
        },
        'approvals.rules': ({ itemId }) => {
          const item = workItems.get(itemId);
          if (!item) throw new AppError('NOT_FOUND', `Work item #${itemId} does not exist.`, { id: itemId });
          return rulesOf(item);
        },
      },
    };
  },
});
