import { z } from 'zod';
import { query } from '../../src/shared/channel';
import type { ExportTable } from '../../src/shared/exportTable';
import type { Actor } from '../../src/shared/types';
import type { ReadableEntry } from './readable';

// Only the contract object may be exported as a value from this file: the preload treats every
// exported object's dotted keys as channel names. Types are fine.

export interface AuditEntry {
  /** Unique in the trail: an entry's seq, or a work item's event's id. */
  key: string;
  /**
   * The entry's place in the chain. A work item's event is sealed in a block entry: this is that
   * entry's seq, and null for the few minutes until it is sealed.
   */
  seq: number | null;
  /** A work item's creation or transition: its row in transition_events. */
  eventId?: number;
  /** ISO 8601, UTC. */
  at: string;
  actor: Actor;
  entity: string;
  entityId: string;
  action: string;
  /** The value before and after the change (null when there is none: nothing before a creation). */
  before: unknown;
  after: unknown;
  /** The entry's hash (an event's: its block's); null until sealed. */
  hash: string | null;
  /**
   * The terminal the change came from: its id as recorded, and its name to show (the name it was
   * enrolled under on a site server; "This computer" for the desktop app). Null when none was
   * recorded: the trail's own entries, and those from before terminals were recorded.
   */
  terminal: { id: string; name: string } | null;
  /** The entry as people read it (readable.ts): shown on screen and written into the exports. */
  readable: ReadableEntry;
}

export interface AuditPage {
  rows: AuditEntry[];
  /** Entries matching the filter; with totalIsLowerBound, at least this many (counted only so far). */
  total: number;
  /** More than AUDIT_COUNT_CAP entries match: the count stopped there (show "10,000+"). */
  totalIsLowerBound?: boolean;
}

/** A page's total is counted up to this many entries: past it, counting a log of millions would cost every page. */
export const AUDIT_COUNT_CAP = 10_000;

export interface AuditFacets {
  actors: Actor[];
  entities: string[];
  actions: string[];
}

/**
 * What verify found wrong. Entries of the chain: `missing`, `content-altered` (its hash, or what a
 * block entry seals, no longer matches), `link-broken`. Rows a block seals: `row-changed`,
 * `row-deleted`, `row-added` (inside a sealed range, not sealed). A table whose rows hold the
 * current state of something the trail records (a user): `state-differs`.
 */
export type VerifyProblemKind = 'missing' | 'content-altered' | 'link-broken' | 'row-changed' | 'row-deleted' | 'row-added' | 'state-differs';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  /** The entry concerned: the one that fails, the block sealing the row, or the one that last recorded the state; null if none. */
  seq: number | null;
  /** For a row: its table, the row ("12", or "item 41 seq 3" for a work item's event) and, when it can be told, the column or field. */
  table?: string;
  row?: string;
  field?: string;
  /** A work item's event the problem is in (so the trail can mark it). */
  eventId?: number;
  /** The whole finding in words: "users row 3: role is 'admin' but the audit trail's last recorded value is 'staff' (entry #12)." */
  message: string;
}

export type VerifyReport =
  /**
   * `events`: work items' events checked in block entries; `records`: rows of other tables checked in
   * theirs (each block is one of the entries). `notes`: what an auditor should know that is not a
   * problem (history from before sealing).
   */
  | { ok: true; entries: number; events: number; records: number; lastSeq: number; lastHash: string; notes: string[] }
  /**
   * `entries`: those before the first problem found in the chain (an entry, or rows a block seals)
   * that check out; all of them when the problems are only tables' state differing from the trail
   * (or side tables). `broken` is the first problem; `problems` the first VERIFY_PROBLEMS_LISTED of
   * `problemCount`, in the order of the chain, then the tables compared.
   */
  | { ok: false; entries: number; broken: VerifyProblem; problems: VerifyProblem[]; problemCount: number; notes: string[] };

/** Problems a check lists at most (it counts them all). */
export const VERIFY_PROBLEMS_LISTED = 500;

export interface VerifyProgress {
  running: boolean;
  checked: number;
  /** Entries in the log when the check started. */
  total: number;
}

const text = z.string().trim().min(1).max(200);
/** An instant (ISO 8601 with time zone), e.g. the start of a local day. */
const instant = z.iso.datetime({ offset: true, message: 'Use a date and time like 2026-01-31T00:00:00Z' });

const filter = {
  actorId: text.optional(),
  entity: text.optional(),
  entityId: text.optional(),
  action: text.optional(),
  /** From this instant (inclusive) … */
  from: instant.optional(),
  /** … up to this one (exclusive). */
  to: instant.optional(),
};

export const auditContract = {
  /** Newest first, one page. Administrators only. */
  'audit.list': query<AuditPage>()(
    z.strictObject({ ...filter, limit: z.number().int().min(1).max(200).default(50), offset: z.number().int().min(0).default(0) }),
  ),
  /** Who and what appears in the log, for the filters. */
  'audit.facets': query<AuditFacets>()(z.strictObject({})),
  /** Walks the whole hash chain; a second call while one runs waits for the same result. */
  'audit.verify': query<VerifyReport>()(z.strictObject({})),
  'audit.verifyProgress': query<VerifyProgress>()(z.strictObject({})),
  /** Every entry and event matching the filter, oldest first, as a CSV file (UTF-8 with BOM, ISO 8601 times). */
  'audit.exportCsv': query<{ fileName: string; content: string; rows: number }>()(z.strictObject(filter)),
  /** The same entries as a table to save as CSV or XLSX. */
  'audit.exportTable': query<ExportTable>()(z.strictObject(filter)),
  /**
   * One work item's own history, oldest first: its creation, transitions and comments. Anyone who
   * may open the item may read it (the rest of the trail is for administrators).
   */
  'audit.itemHistory': query<AuditEntry[]>()(z.strictObject({ itemId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })),
} as const;
