import { z } from 'zod';
import { adminCommand, command, query, type ApiOf } from './channel';
import type { ExportTable } from './exportTable';
import { COMMENT_LIMIT, ITEM_LIMITS } from './limits';
import { cleanText } from './text';
import { ITEM_STATUSES, PRIORITIES } from './types';
import type {
  Actor,
  AppStatus,
  BulkSignOffResult,
  ItemHints,
  Page,
  WorkflowChoice,
  WorkItem,
  WorkItemCounts,
  WorkItemDetail,
} from './types';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const version = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const comment = cleanText(COMMENT_LIMIT, true).optional();
const text = (max: number) => cleanText(max);

export const workflowStepSchema = z.strictObject({
  name: text(120).min(1, 'A step needs a name'),
  ref: text(60).min(1).optional(),
  minSignoffs: z.number().int().min(1).max(5).optional(),
  targetHours: z.number().positive().max(10_000).optional(),
});

const metadataSchema = z
  .record(text(60).min(1).regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'Metadata keys are letters, digits and _'), text(ITEM_LIMITS.metadataValue))
  .refine((m) => Object.keys(m).length <= 50, 'At most 50 metadata fields')
  .default({});

/** An e-signature: the person re-enters their PIN or password (checked by a sign-in module; never stored). */
const signature = z.strictObject({ secret: z.string().min(1, 'Enter your PIN or password to sign').max(200) }).optional();

/**
 * A transition names the version and step the person saw when they opened the dialog; if the item
 * moved meanwhile it is refused (STALE_VERSION) and nothing is signed. null: a finished item.
 */
const transitionBase = {
  id,
  expectedVersion: version,
  expectedStep: z.number().int().nonnegative().max(49).nullable().optional(),
  comment,
  signature,
};

/** The most items one bulk sign-off may carry: a person reviews each of them on one screen. */
export const BULK_SIGNOFF_MAX = 100;

/** An item as the person saw it in the bulk review: its number, version and step. Nothing else is signed. */
const shownItem = z.strictObject({ id, expectedVersion: version, expectedStep: z.number().int().nonnegative().max(49) });

const shownItems = z
  .array(shownItem)
  .min(1, 'Choose at least one item to sign off')
  .max(BULK_SIGNOFF_MAX, `At most ${BULK_SIGNOFF_MAX} items can be signed off at once; sign off the others in another batch`)
  .superRefine((items, ctx) => {
    const seen = new Set<number>();
    items.forEach((item, index) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `Item #${item.id} is listed twice` });
      seen.add(item.id);
    });
  });

const listFilters = {
  status: z.enum(ITEM_STATUSES).optional(),
  /** Only items whose current step has this name (a department's queue). */
  step: text(120).min(1).optional(),
  /** Only items whose current step is one of these (a terminal's or a person's departments). */
  steps: z.array(text(120).min(1)).min(1, 'Choose at least one department').max(50).optional(),
  search: text(200).optional(),
  priority: z.enum(PRIORITIES).optional(),
  /** Only items started from this workflow (a template id such as "template:standard"). */
  workflowId: text(120).min(1).optional(),
  /** Only active items past their current step's target hours. */
  overdue: z.boolean().optional(),
  /** Last changed within this range (ISO 8601 date-times). */
  changedFrom: z.iso.datetime({ offset: true }).optional(),
  changedTo: z.iso.datetime({ offset: true }).optional(),
  /** recent: last changed first. queue: urgent first, then longest at its step. oldest: least recently changed first. */
  sort: z.enum(['recent', 'queue', 'oldest']).default('recent'),
};

/** Every channel the core answers. Modules add their own in modules/<name>/contract.ts. */
export const coreContract = {
  'app.status': query<AppStatus>()(z.strictObject({})),

  /** Who is working at this terminal (no sign-in module: a name is enough). */
  'operator.set': command<Actor>()(z.strictObject({ name: text(100).min(1, 'Enter your name') })),

  'modules.setEnabled': adminCommand<{ restartRequired: boolean }>()(
    z.strictObject({ name: text(60).min(1), enabled: z.boolean() }),
  ),
  'app.restart': adminCommand<{ restarting: boolean }>()(z.strictObject({})),
  /** Saves an item's full record as a PDF (Electron: printToPDF and a save dialog). */
  'app.printItem': query<{ savedTo: string | null }>()(z.strictObject({ id })),
  /** Prints an item's full record on paper (Electron: the system's print dialog). */
  'app.printItemOnPaper': query<{ printed: boolean }>()(z.strictObject({ id })),

  'workflows.list': query<WorkflowChoice[]>()(z.strictObject({})),

  /**
   * One page of items and how many match. A search matching more than 1,000 items is counted only
   * that far: `total` is then a lower bound (`totalIsLowerBound`, shown as "1,000+") and the rows
   * come by item number, newest first (`sortedBy: 'item-number'`; oldest first for sort "oldest").
   */
  'workItems.list': query<Page<WorkItem>>()(
    z.strictObject({
      ...listFilters,
      offset: z.number().int().nonnegative().max(1_000_000_000).default(0),
      limit: z.number().int().min(1).max(200).default(50),
    }),
  ),

  /** The items matching the same filters as a CSV file (UTF-8, ISO 8601 times), at most 100,000 rows. */
  'workItems.exportCsv': query<{ fileName: string; content: string; rows: number; truncated: boolean }>()(
    z.strictObject(listFilters),
  ),

  /** The same items as a table to save as CSV or XLSX (exportTable.ts): at most 100,000 rows, `truncated` past that. */
  'workItems.exportTable': query<ExportTable>()(z.strictObject(listFilters)),

  'workItems.counts': query<WorkItemCounts>()(
    z.strictObject({ completedSince: z.iso.datetime({ offset: true }).optional() }),
  ),

  'workItems.get': query<WorkItemDetail>()(z.strictObject({ id })),

  /** What the person here may do with each of these items now (a queue's page), as workItems.get's hints. */
  'workItems.hints': query<ItemHints[]>()(z.strictObject({ ids: z.array(id).min(1).max(200) })),

  'workItems.create': command<WorkItem>()(
    z
      .strictObject({
        title: text(ITEM_LIMITS.title).min(1, 'A title is required'),
        description: cleanText(ITEM_LIMITS.description, true).default(''),
        priority: z.enum(PRIORITIES).default('normal'),
        /** A workflow offered by workflows.list … */
        workflowId: text(120).min(1).optional(),
        /** … or the steps given directly. Exactly one of the two. */
        steps: z.array(workflowStepSchema).min(1, 'A workflow needs at least one step').max(50).optional(),
        metadata: metadataSchema,
        submit: z.boolean().default(false),
      })
      .refine((v) => (v.workflowId === undefined) !== (v.steps === undefined), {
        message: 'Choose a workflow or give the steps, not both and not neither',
        path: ['workflowId'],
      }),
  ),

  'workItems.submit': command<WorkItem>()(z.strictObject(transitionBase)),
  'workItems.approve': command<WorkItem>()(z.strictObject(transitionBase)),
  'workItems.reject': command<WorkItem>()(
    z.strictObject({ ...transitionBase, toStep: z.number().int().nonnegative().max(49) }),
  ),
  'workItems.cancel': command<WorkItem>()(z.strictObject(transitionBase)),

  /**
   * Bulk sign-off: approves each item the person reviewed, as it was shown (id, version, step), with
   * one comment and one PIN (checked once). Each item gets its own transition and signature record;
   * an item that changed meanwhile or that a rule refuses is listed with the reason and left as it is.
   */
  'workItems.approveMany': command<BulkSignOffResult>()(z.strictObject({ items: shownItems, comment, signature })),
} as const;

export type CoreContract = typeof coreContract;
export type CoreApi = ApiOf<CoreContract>;
export type CoreChannel = keyof CoreContract & string;
