import { and, asc, count, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { AppError, CHANGED_MEANWHILE } from '../../shared/errors';
import type {
  Actor,
  ItemStatus,
  Page,
  Priority,
  TransitionEvent,
  WorkflowSource,
  WorkflowStep,
  WorkItem,
  WorkItemCounts,
} from '../../shared/types';
import { currentCall } from '../callScope';
import type { EngineEvent, EngineState } from '../engine/workflow';
import type { Db } from './connection';
import { siteTerminals, transitionEvents, workflowSnapshots, workItemTallies, workItems } from './schema';

export interface NewWorkItem {
  title: string;
  description: string;
  priority: Priority;
  steps: WorkflowStep[];
  workflow: WorkflowSource | null;
  metadata: Record<string, string>;
  status: 'draft' | 'active';
}

export interface ListQuery {
  status?: ItemStatus;
  step?: string;
  steps?: string[];
  search?: string;
  priority?: Priority;
  workflowId?: string;
  overdue?: boolean;
  changedFrom?: string;
  changedTo?: string;
  sort?: 'recent' | 'queue' | 'oldest';
  offset: number;
  limit: number;
}

/** A list's filters with the template resolved to its snapshots' ids (the store's own form of workflowId). */
type Filters = Omit<ListQuery, 'offset' | 'limit'> & { snapshotIds?: number[]; walkOverdueQueue?: boolean };

type ItemRow = typeof workItems.$inferSelect;
type SnapshotRow = typeof workflowSnapshots.$inferSelect;
type EventRow = typeof transitionEvents.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

/** When the current step's target hours run out, for an active item whose step has a target. */
function dueAt(row: Pick<ItemRow, 'status' | 'currentStep' | 'stepEnteredAt'>, steps: WorkflowStep[]): number | null {
  if (row.status !== 'active' || row.currentStep === null) return null;
  const hours = steps[row.currentStep]?.targetHours;
  return hours ? row.stepEnteredAt + hours * HOUR : null;
}

function toWorkItem(row: ItemRow, snapshot: SnapshotRow, now: number): WorkItem {
  const steps = JSON.parse(snapshot.stepsJson) as WorkflowStep[];
  const due = dueAt(row, steps);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    priority: row.priority,
    status: row.status,
    currentStep: row.currentStep,
    steps,
    currentSignoffs: JSON.parse(row.currentSignoffsJson) as Actor[],
    workflow:
      snapshot.sourceId === null
        ? null
        : {
            id: snapshot.sourceId,
            label: snapshot.sourceLabel ?? snapshot.sourceId,
            ...(snapshot.sourceVersion === null ? {} : { version: snapshot.sourceVersion }),
          },
    metadata: JSON.parse(row.metadataJson) as Record<string, string>,
    createdBy: { id: row.createdById, name: row.createdByName },
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    stepEnteredAt: iso(row.stepEnteredAt),
    dueAt: due === null ? null : iso(due),
    overdue: due !== null && due < now,
    version: row.version,
  };
}

function toEvent(row: EventRow, terminalName: string | null): TransitionEvent {
  return {
    id: row.id,
    itemId: row.itemId,
    seq: row.seq,
    action: row.action as TransitionEvent['action'],
    actor: { id: row.actorId, name: row.actorName },
    at: iso(row.at),
    fromStatus: row.fromStatus as ItemStatus | null,
    toStatus: row.toStatus as ItemStatus,
    fromStep: row.fromStep,
    toStep: row.toStep,
    comment: row.comment,
    terminal: row.terminal,
    terminalName,
  };
}

/**
 * Active and past the current step's target hours at `now` (due_at is null without a target).
 * `walkQueue`: the due time is only checked, not searched by (unary +), so SQLite walks the queue
 * order's index and stops after a page — the better plan when many items are overdue.
 */
const isOverdue = (now: number, walkQueue = false) =>
  walkQueue ? sql`(${workItems.status} = 'active' and +${workItems.dueAt} < ${now})` : sql`(${workItems.status} = 'active' and ${workItems.dueAt} < ${now})`;

/**
 * The status as a literal, not a bound value: only then can SQLite use an index that holds only
 * active items (work_items_active_queue). Known values only, so nothing is pasted into SQL.
 */
const STATUS_LITERALS: Record<ItemStatus, SQL> = {
  draft: sql.raw(`'draft'`),
  active: sql.raw(`'active'`),
  completed: sql.raw(`'completed'`),
  cancelled: sql.raw(`'cancelled'`),
};
const hasStatus = (status: ItemStatus) => sql`${workItems.status} = ${STATUS_LITERALS[status]}`;

/**
 * Every priority there is (the table's check allows no other). Added to a queue-ordered list of
 * active items across departments, it lets SQLite read work_items_active_queue one priority at a
 * time in the queue's order and stop after a page; for a plain status = 'active' it picks another
 * index and sorts every active item (tens of thousands at 1M items) instead.
 */
const EVERY_PRIORITY = sql`${workItems.priority} in ('urgent', 'normal')`;
const walksActiveQueue = (q: ListQuery & Filters) =>
  q.sort === 'queue' && ((q.status === 'active' && !q.overdue) || !!q.walkOverdueQueue) && !q.step && !q.steps?.length && !q.priority && !q.search?.trim();

/** The order of each sort, as a comparison of items: merged pages come out as SQL would order them. */
const compareBy: Record<NonNullable<ListQuery['sort']>, (a: WorkItem, b: WorkItem) => number> = {
  queue: (a, b) => (a.priority === b.priority ? 0 : a.priority === 'urgent' ? -1 : 1) || a.stepEnteredAt.localeCompare(b.stepEnteredAt) || a.id - b.id,
  oldest: (a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id - b.id,
  recent: (a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id - a.id,
};

/** A page of several lists, each already in the asked order and holding its first offset + limit rows. */
function mergedPage(parts: WorkItem[][], sort: ListQuery['sort'], offset: number, limit: number): WorkItem[] {
  return parts
    .flat()
    .sort(compareBy[sort ?? 'recent'])
    .slice(offset, offset + limit);
}

/**
 * Some lists are the union of a few lists an index reads in the asked order (one per department,
 * one per snapshot of a template): each is read up to the page's end and merged, instead of SQLite
 * sorting every match. Past this many rows per part a deep page is left to SQLite.
 */
const MERGE_DEPTH = 2000;
/** More overdue items than this: walk the queue's order and check each (see isOverdue). */
export const MANY_OVERDUE = 100;

/** The step columns the store keeps beside current_step, so lists filter without reading the snapshot's JSON. */
const currentStepColumns = (steps: WorkflowStep[], step: number | null) => {
  const current = step === null ? undefined : steps[step];
  return { currentStepName: current?.name ?? null, currentTargetHours: current?.targetHours ?? null };
};

const orderOf = (sort: ListQuery['sort']) =>
  sort === 'queue'
    ? // 'urgent' sorts after 'normal', so descending puts urgent first and the queue index serves this order.
      [desc(workItems.priority), asc(workItems.stepEnteredAt), asc(workItems.id)]
    : sort === 'oldest'
      ? [asc(workItems.updatedAt), asc(workItems.id)]
      : [desc(workItems.updatedAt), desc(workItems.id)];

/** A trigram index needs three characters; shorter searches read every row. */
const TRIGRAM = 3;
const ftsPhrase = (s: string) => `"${s.replace(/"/g, '""')}"`;
const usesSearchIndex = (search: string | undefined): search is string => search !== undefined && [...search].length >= TRIGRAM;
const onlySearched = (q: Omit<ListQuery, 'offset' | 'limit'>) =>
  !q.status && !q.step && !q.steps?.length && !q.priority && !q.workflowId && !q.overdue && !q.changedFrom && !q.changedTo;
/** Filters the tallies answer: status, step(s), priority and template, nothing else. */
const onlyTallied = (q: Omit<ListQuery, 'offset' | 'limit'>) => !q.search?.trim() && !q.overdue && !q.changedFrom && !q.changedTo;
/** A list of one department is that department's (the prepared page and the queue index serve it). */
const oneStep = <Q extends Omit<ListQuery, 'offset' | 'limit'>>(q: Q): Q => {
  if (q.step || q.steps?.length !== 1) return q;
  const { steps, ...rest } = q;
  return { ...rest, step: steps[0]! } as Q;
};
/** A department's page: status and one step, no other filter (rows() has a prepared statement for it). */
const isStepPage = (q: ListQuery): q is ListQuery & { status: NonNullable<ListQuery['status']>; step: string } =>
  !!q.status && !!q.step && !q.steps?.length && !q.priority && !q.workflowId && onlyTallied(q);

/**
 * A search matching more items than this reads the list in its sort order and keeps the
 * matching rows, instead of fetching and sorting every match.
 */
const MANY_MATCHES = 1000;

/**
 * A list's search found by the index is counted up to this many matches: past it the total is a
 * lower bound ("1,000+") and pages come in item-number order, so a common word costs a page, not a
 * walk over every match.
 */
export const SEARCH_COUNT_CAP = 1000;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Work-item persistence on SQLite. The engine never sees SQL; callers wrap writes in
 * `Db.transaction` so a state change and its event land together or not at all.
 */
export class WorkItemStore {
  // Every transition reads the item twice and writes it and its event: prepared once, not rebuilt per call.
  private readonly byId;
  private readonly update;
  private readonly insertEvent;
  private readonly stepPages = new Map<string, ReturnType<WorkItemStore['buildStepPage']>>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {
    const p = (name: string) => sql.placeholder(name);
    const setTo = (name: string) => sql`${sql.placeholder(name)}`; // update().set() takes SQL, not a bare placeholder
    this.byId = db
      .select()
      .from(workItems)
      .innerJoin(workflowSnapshots, eq(workItems.workflowId, workflowSnapshots.id))
      .where(eq(workItems.id, p('id')))
      .prepare();
    this.update = db
      .update(workItems)
      .set({
        status: setTo('status'),
        currentStep: setTo('currentStep'),
        currentStepName: setTo('currentStepName'),
        currentTargetHours: setTo('currentTargetHours'),
        currentSignoffsJson: setTo('currentSignoffsJson'),
        version: setTo('version'),
        updatedAt: setTo('updatedAt'),
        stepEnteredAt: setTo('stepEnteredAt'),
      })
      .where(and(eq(workItems.id, p('id')), eq(workItems.version, p('expectedVersion'))))
      .prepare();
    this.insertEvent = db
      .insert(transitionEvents)
      .values({
        itemId: p('itemId'),
        seq: p('seq'),
        action: p('action'),
        actorId: p('actorId'),
        actorName: p('actorName'),
        at: p('at'),
        fromStatus: p('fromStatus'),
        toStatus: p('toStatus'),
        fromStep: p('fromStep'),
        toStep: p('toStep'),
        comment: p('comment'),
        terminal: p('terminal'),
      })
      .prepare();
  }

  private snapshotId(steps: WorkflowStep[], workflow: WorkflowSource | null): number {
    // A fixed key order, so the same workflow always produces the same JSON (and snapshot row).
    const stepsJson = JSON.stringify(
      steps.map((s) => ({
        name: s.name,
        ...(s.ref ? { ref: s.ref } : {}),
        ...(s.minSignoffs && s.minSignoffs > 1 ? { minSignoffs: s.minSignoffs } : {}),
        ...(s.targetHours ? { targetHours: s.targetHours } : {}),
      })),
    );
    const values = {
      sourceId: workflow?.id ?? null,
      sourceLabel: workflow?.label ?? null,
      sourceVersion: workflow?.version ?? null,
      stepsJson,
      stepCount: steps.length,
    };
    const existing = this.db
      .select({ id: workflowSnapshots.id })
      .from(workflowSnapshots)
      .where(
        and(
          values.sourceId === null ? sql`${workflowSnapshots.sourceId} is null` : eq(workflowSnapshots.sourceId, values.sourceId),
          values.sourceVersion === null
            ? sql`${workflowSnapshots.sourceVersion} is null`
            : eq(workflowSnapshots.sourceVersion, values.sourceVersion),
          eq(workflowSnapshots.stepsJson, stepsJson),
        ),
      )
      .get();
    if (existing) return existing.id;
    return this.db.insert(workflowSnapshots).values(values).returning({ id: workflowSnapshots.id }).get().id;
  }

  /** Inserts the item and its first event. Call inside a transaction. */
  insert(item: NewWorkItem, actor: Actor, now: number): number {
    const workflowId = this.snapshotId(item.steps, item.workflow);
    const { id } = this.db
      .insert(workItems)
      .values({
        title: item.title,
        description: item.description,
        priority: item.priority,
        status: item.status,
        currentStep: 0,
        ...currentStepColumns(item.steps, 0),
        workflowId,
        metadataJson: JSON.stringify(item.metadata),
        createdById: actor.id,
        createdByName: actor.name,
        createdAt: now,
        updatedAt: now,
        stepEnteredAt: now,
        version: 1,
      })
      .returning({ id: workItems.id })
      .get();
    this.appendEvent(id, 1, actor, now, {
      action: 'create',
      fromStatus: null,
      toStatus: item.status,
      fromStep: null,
      toStep: 0,
      comment: null,
    });
    return id;
  }

  get(id: number): WorkItem | null {
    const row = this.byId.get({ id });
    return row ? toWorkItem(row.work_items, row.workflow_snapshots, this.clock()) : null;
  }

  engineState(item: WorkItem): EngineState {
    return {
      status: item.status,
      currentStep: item.currentStep,
      stepCount: item.steps.length,
      requiredSignoffs: item.steps.map((s) => s.minSignoffs ?? 1),
      signedBy: item.currentSignoffs,
      version: item.version,
    };
  }

  /**
   * Writes a transition's result. The `version = expected` guard makes a concurrent writer
   * (another window, another terminal on the same file) lose cleanly instead of overwriting.
   * Returns the item as it now is in the database (built from what was written, not read back).
   */
  applyTransition(
    item: WorkItem,
    expectedVersion: number,
    next: EngineState,
    event: EngineEvent,
    actor: Actor,
    now: number,
  ): WorkItem {
    const { id } = item;
    const currentSignoffsJson = JSON.stringify(next.signedBy);
    // A partial sign-off keeps the item at its step; anything else starts a new stay.
    const stepEnteredAt = event.action === 'approve' && event.fromStep === event.toStep ? Date.parse(item.stepEnteredAt) : now;
    const result = this.update.run({
      id,
      expectedVersion,
      status: next.status,
      currentStep: next.currentStep,
      ...currentStepColumns(item.steps, next.currentStep),
      currentSignoffsJson,
      version: next.version,
      updatedAt: now,
      stepEnteredAt,
    });
    if (result.changes !== 1) {
      throw new AppError(
        'STALE_VERSION',
        `${CHANGED_MEANWHILE}.`,
        { expectedVersion },
      );
    }
    this.appendEvent(id, next.version, actor, now, event);
    const due = dueAt({ status: next.status, currentStep: next.currentStep, stepEnteredAt }, item.steps);
    return {
      ...item,
      status: next.status,
      currentStep: next.currentStep,
      currentSignoffs: JSON.parse(currentSignoffsJson) as Actor[],
      updatedAt: iso(now),
      stepEnteredAt: iso(stepEnteredAt),
      dueAt: due === null ? null : iso(due),
      overdue: due !== null && due < this.clock(),
      version: next.version,
    };
  }

  private appendEvent(
    itemId: number,
    seq: number,
    actor: Actor,
    now: number,
    event: Omit<EngineEvent, 'fromStatus'> & { fromStatus: ItemStatus | null },
  ): void {
    this.insertEvent.run({
      itemId,
      seq,
      action: event.action,
      actorId: actor.id,
      actorName: actor.name,
      at: now,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      fromStep: event.fromStep,
      toStep: event.toStep,
      comment: event.comment,
      // The one place events are written: each records the terminal of the call it belongs to.
      terminal: currentCall()?.terminal ?? null,
    });
  }

  /** An item's events in order, each with its terminal's name where the site server enrolled it. */
  events(itemId: number): TransitionEvent[] {
    return this.db
      .select({ event: transitionEvents, terminalName: siteTerminals.name })
      .from(transitionEvents)
      .leftJoin(siteTerminals, eq(siteTerminals.id, transitionEvents.terminal))
      .where(eq(transitionEvents.itemId, itemId))
      .orderBy(transitionEvents.seq)
      .all()
      .map((r) => toEvent(r.event, r.terminalName));
  }

  /** The WHERE clause for a list's filters, at time `now` (for "overdue"). */
  private filterOf(query: Filters, now: number, manyMatches = false) {
    const conditions = [];
    if (query.status) conditions.push(hasStatus(query.status));
    if (query.step) conditions.push(eq(workItems.currentStepName, query.step));
    if (query.steps?.length) conditions.push(inArray(workItems.currentStepName, query.steps));
    if (query.priority) conditions.push(eq(workItems.priority, query.priority));
    if (query.snapshotIds) conditions.push(query.snapshotIds.length === 1 ? eq(workItems.workflowId, query.snapshotIds[0]!) : inArray(workItems.workflowId, query.snapshotIds));
    else if (query.workflowId) conditions.push(eq(workflowSnapshots.sourceId, query.workflowId));
    if (query.overdue) conditions.push(isOverdue(now, query.walkOverdueQueue));
    if (query.changedFrom) conditions.push(gte(workItems.updatedAt, Date.parse(query.changedFrom)));
    if (query.changedTo) conditions.push(lte(workItems.updatedAt, Date.parse(query.changedTo)));
    const search = query.search?.trim();
    if (search) conditions.push(this.searchCondition(search, manyMatches));
    return conditions.length ? and(...conditions) : undefined;
  }

  /**
   * Items whose title or a metadata value (work order, registration, …) contains the text,
   * ignoring case, or whose number it is ("123" or "#123").
   */
  private searchCondition(search: string, manyMatches: boolean) {
    const byId = /^#?\d+$/.test(search) ? [eq(workItems.id, Number(search.replace('#', '')))] : [];
    if (usesSearchIndex(search)) {
      // Unary + keeps SQLite from looking the matches up one by one, so it walks the sort's index.
      const id = manyMatches ? sql`+${workItems.id}` : sql`${workItems.id}`;
      return or(sql`${id} in (select rowid from work_items_search where work_items_search match ${ftsPhrase(search)})`, ...byId);
    }
    const pattern = `%${escapeLike(search)}%`;
    return or(
      sql`${workItems.title} like ${pattern} escape '\\'`,
      sql`exists (select 1 from json_each(${workItems.metadataJson}) where value like ${pattern} escape '\\')`,
      ...byId,
    );
  }

  /** The template filter as the ids of its snapshots (one per version of its steps), found by the snapshots' index. */
  private resolved<Q extends Filters>(query: Q): Q {
    if (!query.workflowId || query.snapshotIds) return query;
    const ids = this.db.select({ id: workflowSnapshots.id }).from(workflowSnapshots).where(eq(workflowSnapshots.sourceId, query.workflowId)).all();
    return { ...query, snapshotIds: ids.map((r) => r.id) };
  }

  /** The lists whose merged pages make this one's (see MERGE_DEPTH), or null to let SQLite order it. */
  private parts(query: ListQuery & Filters): (ListQuery & Filters)[] | null {
    if (query.search?.trim() || query.offset + query.limit > MERGE_DEPTH) return null;
    if (query.sort === 'queue' && query.steps && query.steps.length > 1) {
      const { steps, ...rest } = query;
      return [...new Set(steps)].map((step) => ({ ...rest, step }));
    }
    if (query.sort !== 'queue' && query.snapshotIds && query.snapshotIds.length > 1) {
      return query.snapshotIds.map((id) => ({ ...query, snapshotIds: [id] }));
    }
    return null;
  }

  /** One page of items matching the filters, in the asked order (no total). */
  rows(asked: ListQuery & Filters, manyMatches = false): WorkItem[] {
    const now = this.clock();
    const query = oneStep(asked);
    if (isStepPage(query)) {
      const page = this.stepPage(query.sort);
      return page.all({ status: query.status, step: query.step, limit: query.limit, offset: query.offset }).map((r) => toWorkItem(r.work_items, r.workflow_snapshots, now));
    }
    const resolved = this.resolved(query);
    const parts = this.parts(resolved);
    if (parts) {
      const depth = resolved.offset + resolved.limit;
      return mergedPage(
        parts.map((part) => this.rows({ ...part, offset: 0, limit: depth }, manyMatches)),
        resolved.sort,
        resolved.offset,
        resolved.limit,
      );
    }
    return this.db
      .select()
      .from(workItems)
      .innerJoin(workflowSnapshots, eq(workItems.workflowId, workflowSnapshots.id))
      .where(and(this.filterOf(resolved, now, manyMatches), walksActiveQueue(resolved) ? EVERY_PRIORITY : undefined))
      .orderBy(...orderOf(query.sort))
      .limit(query.limit)
      .offset(query.offset)
      .all()
      .map((r) => toWorkItem(r.work_items, r.workflow_snapshots, now));
  }

  /**
   * A department's page (status and step, nothing else): what the approvals queue asks for on
   * every refresh, so its statement is built and prepared once per order, not per call.
   */
  private stepPage(sort: ListQuery['sort']) {
    const key = sort ?? 'recent';
    let page = this.stepPages.get(key);
    if (!page) this.stepPages.set(key, (page = this.buildStepPage(sort)));
    return page;
  }

  private buildStepPage(sort: ListQuery['sort']) {
    return this.db
      .select()
      .from(workItems)
      .innerJoin(workflowSnapshots, eq(workItems.workflowId, workflowSnapshots.id))
      .where(and(eq(workItems.status, sql.placeholder('status')), eq(workItems.currentStepName, sql.placeholder('step'))))
      .orderBy(...orderOf(sort))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare();
  }

  /** One page, in the list's order, of the items with these ids. */
  private rowsOf(ids: number[], query: ListQuery): WorkItem[] {
    if (ids.length === 0) return [];
    const now = this.clock();
    return this.db
      .select()
      .from(workItems)
      .innerJoin(workflowSnapshots, eq(workItems.workflowId, workflowSnapshots.id))
      .where(inArray(workItems.id, ids))
      .orderBy(...orderOf(query.sort))
      .limit(query.limit)
      .offset(query.offset)
      .all()
      .map((r) => toWorkItem(r.work_items, r.workflow_snapshots, now));
  }

  /** How many items match the filters. */
  total(query: Filters): number {
    const search = query.search?.trim();
    if (usesSearchIndex(search) && onlySearched(query)) return this.searchTotal(search);
    const resolved = this.resolved(query);
    if (!search && onlyTallied(resolved)) return this.talliedTotal(resolved);
    // The template is resolved to snapshot ids: no join with the snapshots for every counted row.
    return this.db.select({ n: count() }).from(workItems).where(this.filterOf(resolved, this.clock())).get()?.n ?? 0;
  }

  /** Status, step, priority and template alone are counted from the tallies the triggers keep (a queue's total), not from the rows. */
  private talliedTotal(query: Filters): number {
    const conditions = [];
    if (query.status) conditions.push(eq(workItemTallies.status, query.status));
    if (query.step) conditions.push(eq(workItemTallies.stepName, query.step));
    if (query.steps?.length) conditions.push(inArray(workItemTallies.stepName, query.steps));
    if (query.priority) conditions.push(eq(workItemTallies.priority, query.priority));
    if (query.snapshotIds) conditions.push(inArray(workItemTallies.workflowId, query.snapshotIds));
    const where = conditions.length ? and(...conditions) : undefined;
    return this.db.select({ n: sql<number>`coalesce(sum(${workItemTallies.n}), 0)` }).from(workItemTallies).where(where).get()?.n ?? 0;
  }

  /** A search alone is counted in the search index, without reading the items. */
  private searchTotal(search: string): number {
    const phrase = ftsPhrase(search);
    const matches = this.db.get<{ n: number }>(sql`select count(*) as n from work_items_search where work_items_search match ${phrase}`).n;
    return matches + this.numberMatch(search, {});
  }

  /**
   * 1 if the search is an item's number ("123", "#123") and that item passes the other filters but
   * its text does not contain the search (so the index did not find it); otherwise 0. Checked with
   * LIKE (the same as the index for digits): FTS5 ignores a rowid constraint beside MATCH on this
   * contentless table.
   */
  private numberMatch(search: string, filters: Omit<ListQuery, 'offset' | 'limit' | 'search'>): 0 | 1 {
    if (!/^#?\d+$/.test(search)) return 0;
    const id = Number(search.replace('#', ''));
    const pattern = `%${search}%`;
    const others = this.filterOf(filters, this.clock());
    const joined = filters.workflowId ? sql`inner join workflow_snapshots on workflow_snapshots.id = work_items.workflow_id` : sql``;
    const found = this.db.get<{ n: number }>(sql`select count(*) as n from work_items ${joined} where work_items.id = ${id}
      and not (work_items.title like ${pattern} or exists (select 1 from json_each(work_items.metadata_json) where value like ${pattern}))
      ${others ? sql`and ${others}` : sql``}`).n;
    return found > 0 ? 1 : 0;
  }

  /**
   * The items the search index finds that pass the other filters, driven by the index in item-number
   * order, so it stops after `limit` (after skipping `offset`) instead of visiting every match.
   */
  private indexedMatches(search: string, filters: Omit<ListQuery, 'offset' | 'limit' | 'search'>, order: 'asc' | 'desc', limit: number, offset = 0): number[] {
    const direction = order === 'asc' ? sql`asc` : sql`desc`;
    const phrase = ftsPhrase(search);
    const others = this.filterOf(filters, this.clock());
    if (!others) {
      return this.db
        .all<{ id: number }>(sql`select rowid as id from work_items_search where work_items_search match ${phrase} order by rowid ${direction} limit ${limit} offset ${offset}`)
        .map((r) => r.id);
    }
    const joined = filters.workflowId ? sql`inner join workflow_snapshots on workflow_snapshots.id = work_items.workflow_id` : sql``;
    // CROSS JOIN keeps the search index as the outer loop; it returns rowids in the asked order by itself.
    return this.db
      .all<{ id: number }>(sql`select work_items.id as id from work_items_search cross join work_items on work_items.id = work_items_search.rowid ${joined}
        where work_items_search match ${phrase} and ${others}
        order by work_items_search.rowid ${direction} limit ${limit} offset ${offset}`)
      .map((r) => r.id);
  }

  /** These items, in the order asked (ids that do not exist are left out). */
  byIds(ids: number[]): WorkItem[] {
    if (ids.length === 0) return [];
    const now = this.clock();
    const found = new Map(
      this.db
        .select()
        .from(workItems)
        .innerJoin(workflowSnapshots, eq(workItems.workflowId, workflowSnapshots.id))
        .where(inArray(workItems.id, ids))
        .all()
        .map((r) => [r.work_items.id, toWorkItem(r.work_items, r.workflow_snapshots, now)] as const),
    );
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /**
   * One page of items and how many match. A search found by the index that matches more than
   * SEARCH_COUNT_CAP items is counted only that far (the total is then a lower bound:
   * totalIsLowerBound) and its pages come in item-number order (newest item first; oldest first
   * for sort 'oldest'), which the index gives without visiting every match; an exact item number
   * comes first. Fewer matches: exact total, in the asked order.
   */
  list(query: ListQuery): Page<WorkItem> {
    const { offset, limit } = query;
    const search = query.search?.trim();
    if (usesSearchIndex(search) && query.sort !== 'queue') {
      const { search: _search, offset: _offset, limit: _limit, ...filters } = query;
      const byNumber = this.numberMatch(search, filters);
      const numbered = byNumber ? [Number(search.replace('#', ''))] : [];
      // Newest first, one more than the cap: the count, and (usually) the page too, from one pass over the index.
      const newest = [...numbered, ...this.indexedMatches(search, filters, 'desc', SEARCH_COUNT_CAP + 1 - byNumber)];
      // Every match is known (and passed the filters): its page in the asked order, without searching again.
      if (newest.length <= SEARCH_COUNT_CAP) return { rows: this.rowsOf(newest, query), total: newest.length, offset, limit };
      const ids =
        query.sort !== 'oldest' && offset + limit <= newest.length
          ? newest.slice(offset, offset + limit)
          : offset === 0
            ? [...numbered, ...this.indexedMatches(search, filters, query.sort === 'oldest' ? 'asc' : 'desc', limit - byNumber)]
            : this.indexedMatches(search, filters, query.sort === 'oldest' ? 'asc' : 'desc', limit, offset - byNumber);
      return { rows: this.byIds(ids), total: SEARCH_COUNT_CAP, totalIsLowerBound: true, sortedBy: 'item-number', offset, limit };
    }
    const resolved = this.resolved(query);
    const total = this.total(resolved);
    const manyMatches = usesSearchIndex(search) && total > MANY_MATCHES;
    const walkOverdueQueue = !!query.overdue && query.sort === 'queue' && total > MANY_OVERDUE;
    return { rows: this.rows({ ...resolved, walkOverdueQueue }, manyMatches), total, offset, limit };
  }

  /** The dashboard's numbers: tallies kept by triggers, overdue items by their due time. */
  counts(completedSince?: string): WorkItemCounts {
    const now = this.clock();
    const byStatus: WorkItemCounts['byStatus'] = { draft: 0, active: 0, completed: 0, cancelled: 0 };
    const tallies = this.db.select().from(workItemTallies).where(sql`${workItemTallies.n} > 0`).all();
    const byStep = new Map<string, number>();
    let urgent = 0;
    for (const t of tallies) {
      byStatus[t.status as ItemStatus] += t.n;
      if (t.status !== 'active') continue;
      byStep.set(t.stepName, (byStep.get(t.stepName) ?? 0) + t.n);
      if (t.priority === 'urgent') urgent += t.n;
    }
    const activeByStep = [...byStep]
      .map(([step, n]) => ({ step, count: n }))
      .sort((a, b) => b.count - a.count || a.step.localeCompare(b.step));
    const overdue = this.db.select({ n: count() }).from(workItems).where(isOverdue(now)).get()?.n ?? 0;
    const completed =
      completedSince === undefined
        ? null
        : (this.db
            .select({ n: count() })
            .from(transitionEvents)
            .where(and(eq(transitionEvents.toStatus, 'completed'), gte(transitionEvents.at, Date.parse(completedSince))))
            .get()?.n ?? 0);
    return { byStatus, activeByStep, overdue, urgent, completedSince: completed };
  }
}
