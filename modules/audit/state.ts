import { sql, type SQL } from 'drizzle-orm';
import type { AuditedState } from '../../src/core/modules/types';
import { canonicalJson } from './chain';
import { cellValue, shown } from './prints';
import { isName, quoted } from './records';

/**
 * A table holding the current state of things whose changes a module reports (users), compared
 * row by row with the latest state the trail's entries recorded (ModuleParts.audited.state;
 * README.md, "State"). Per field: the last entry of that entity and id whose `after` has the field.
 * An entry whose `after` is empty and whose `before` has a field records a deletion.
 *
 * The comparison is a generator of queries (answered by whoever drives it), so the app's
 * background reader, the command line's connection and the first start's baseline share it.
 */

/** Rows of the table read at once. */
const PAGE = 500;

export type Query = Generator<SQL, void, unknown[]>;

/** Whether a declaration (from a module, or stated in the log) is well formed: plain names only. */
export function validState(d: unknown): d is AuditedState {
  const s = d as AuditedState | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.entity === 'string' &&
    s.entity.length > 0 &&
    isName(s.table) &&
    isName(s.key) &&
    typeof s.fields === 'object' &&
    s.fields !== null &&
    Object.entries(s.fields).length > 0 &&
    Object.entries(s.fields).every(([f, c]) => isName(f) && isName(c?.column) && ['value', 'json', 'boolean'].includes(c.as))
  );
}

/** The trail's latest state of one thing. */
export interface Recorded {
  values: Record<string, unknown>;
  /** The entry that last recorded each field. */
  seqs: Record<string, number>;
  /** The last entry recording it (a state or its deletion). */
  lastSeq: number;
  deleted: boolean;
  /**
   * Entries whose `before` says a field was other than the trail had last recorded: the row was
   * changed outside the app in between (and the app then recorded that value as the state before).
   */
  gaps: Gap[];
}

export interface Gap {
  field: string;
  /** The entry whose before disagrees, and what it says. */
  seq: number;
  was: unknown;
  /** What the trail had recorded before it, and where. */
  recorded: unknown;
  recordedSeq: number;
}

/** A row that differs from the trail, or that the trail records and the table no longer has. */
export interface StateFinding {
  key: string;
  /** The row's state now; null when the row is gone. */
  current: Record<string, unknown> | null;
  recorded: Recorded | null;
  /** Fields whose value differs from the last recorded (or was never recorded), for a row present in both. */
  fields: string[];
}

interface EntryRow {
  id: string;
  seq: number;
  b: string | null;
  a: string | null;
}

const parsed = (json: string | null): unknown => {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Folds one thing's entries (in seq order) into its latest recorded state; null when none records
 * it. Entries after `since` (the trail comparing this table then) must each find in their
 * `before` what the trail last recorded: otherwise a gap.
 */
export function fold(entries: EntryRow[], fields: string[], since = Infinity): Recorded | null {
  let out: Recorded | null = null;
  for (const e of entries) {
    const after = parsed(e.a);
    const before = parsed(e.b);
    if (out && !out.deleted && e.seq > since && isRecord(before)) {
      for (const f of fields) {
        if (f in before && f in out.values && !same(before[f], out.values[f])) {
          out.gaps.push({ field: f, seq: e.seq, was: before[f], recorded: out.values[f], recordedSeq: out.seqs[f]! });
        }
      }
    }
    if (isRecord(after) && fields.some((f) => f in after)) {
      out ??= { values: {}, seqs: {}, lastSeq: e.seq, deleted: false, gaps: [] };
      for (const f of fields) {
        if (!(f in after)) continue;
        out.values[f] = after[f];
        out.seqs[f] = e.seq;
      }
      out.lastSeq = e.seq;
      out.deleted = false;
    } else if (after === null && isRecord(before) && fields.some((f) => f in before)) {
      out ??= { values: {}, seqs: {}, lastSeq: e.seq, deleted: true, gaps: [] };
      out.lastSeq = e.seq;
      out.deleted = true;
    }
  }
  return out;
}

/** A row's state as its declaration reads it: each field from its column. */
export function stateOf(d: AuditedState, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.entries(d.fields).forEach(([field, { as }], i) => {
    const v = cellValue(row[`v${i}`]);
    if (as === 'json' && typeof v === 'string') {
      try {
        out[field] = JSON.parse(v);
      } catch {
        out[field] = v; // not JSON: compared as the text it is, so it differs
      }
    } else if (as === 'boolean') {
      // Only 0 and 1 are false and true: anything else stays as it is, and so differs.
      out[field] = v === 1 ? true : v === 0 ? false : v;
    } else {
      out[field] = v;
    }
  });
  return out;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** The declared columns of the table, as k (the key) and v0, v1, … */
const columnsOf = (d: AuditedState) => [`${quoted(d.key)} as k`, ...Object.values(d.fields).map(({ column }, i) => `${quoted(column)} as v${i}`)].join(', ');

/**
 * One page of rows with every entry of each (by the index on entity, entity_id, seq), in one
 * statement: one snapshot, so a change committed meanwhile (the row and its entry) is seen whole.
 */
function page(d: AuditedState, where: SQL): SQL {
  const k = sql.raw(quoted(d.key));
  return sql`with p as (select ${sql.raw(columnsOf(d))} from ${sql.raw(quoted(d.table))} ${where} order by ${k} limit ${PAGE})
    select p.*, a.seq as eseq, a.before_json as eb, a.after_json as ea
    from p left join audit_log a on a.entity = ${d.entity} and a.entity_id = cast(p.k as text)
    order by p.k`;
}

/** Things the trail records that have no row in the table, with their entries. */
const orphans = (d: AuditedState): SQL =>
  sql`select a.entity_id as id, a.seq as eseq, a.before_json as eb, a.after_json as ea from audit_log a
      where a.entity = ${d.entity} and not exists (select 1 from ${sql.raw(quoted(d.table))} t where t.${sql.raw(quoted(d.key))} = a.entity_id)
      order by a.entity_id, a.seq`;

interface Joined extends Record<string, unknown> {
  k: unknown;
  eseq: number | null;
  eb: string | null;
  ea: string | null;
}

/** Joined rows (by key, then seq) as each row with its entries. */
function grouped(rows: Joined[]): { row: Joined; entries: EntryRow[] }[] {
  const out: { row: Joined; entries: EntryRow[] }[] = [];
  for (const r of rows) {
    let last = out.at(-1);
    if (!last || last.row.k !== r.k) out.push((last = { row: r, entries: [] }));
    if (r.eseq !== null) last.entries.push({ id: String(r.k), seq: r.eseq, b: r.eb, a: r.ea });
  }
  // In seq order (the index gives them so; not sorted in SQL, which would sort every page's rows again).
  for (const g of out) g.entries.sort((x, y) => x.seq - y.seq);
  return out;
}

/** Compares one row (present) with the trail's latest record of it. */
function compareRow(d: AuditedState, row: Record<string, unknown>, entries: EntryRow[], since: number): StateFinding | null {
  const names = Object.keys(d.fields);
  const current = stateOf(d, row);
  const recorded = fold(entries, names, since);
  const key = String(row['k']);
  if (!recorded || recorded.deleted) return { key, current, recorded, fields: [] };
  const fields = names.filter((f) => !(f in recorded.values) || !same(current[f], recorded.values[f]));
  return fields.length || recorded.gaps.length ? { key, current, recorded, fields } : null;
}

/**
 * Walks the table in key order and then the trail's things without a row, calling `found` for
 * every difference. `only`: just these keys (as the trail names them), for re-checking a few.
 * `since`: the entry from which the trail compared this table (gaps are looked for after it).
 */
export function* compareState(d: AuditedState, found: (f: StateFinding) => void, { only, since = Infinity }: { only?: string[]; since?: number } = {}): Query {
  const names = Object.keys(d.fields);
  const k = sql.raw(quoted(d.key));
  if (only) {
    const rows = grouped((yield page(d, sql`where cast(${k} as text) in (select value from json_each(${JSON.stringify(only)}))`)) as Joined[]);
    for (const { row, entries } of rows) {
      const f = compareRow(d, row, entries, since);
      if (f) found(f);
    }
    const present = new Set(rows.map(({ row }) => String(row.k)));
    const missing = only.filter((id) => !present.has(id));
    if (missing.length === 0) return;
    const entries = (yield sql`select entity_id as id, seq, before_json as b, after_json as a from audit_log
      where entity = ${d.entity} and entity_id in (select value from json_each(${JSON.stringify(missing)})) order by entity_id, seq`) as EntryRow[];
    for (const id of missing) {
      const recorded = fold(entries.filter((e) => e.id === id), names, since);
      if (recorded && !recorded.deleted) found({ key: id, current: null, recorded, fields: [] });
    }
    return;
  }
  let after: unknown = null;
  for (let first = true; ; first = false) {
    const rows = grouped((yield page(d, first ? sql`` : sql`where ${k} > ${after}`)) as Joined[]);
    for (const { row, entries } of rows) {
      const f = compareRow(d, row, entries, since);
      if (f) found(f);
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.row.k;
  }
  const gone = new Map<string, EntryRow[]>();
  for (const r of (yield orphans(d)) as (Joined & { id: string })[]) {
    const list = gone.get(r.id) ?? [];
    list.push({ id: r.id, seq: r.eseq!, b: r.eb, a: r.ea });
    gone.set(r.id, list);
  }
  for (const [id, entries] of gone) {
    const recorded = fold(entries, names, since);
    if (recorded && !recorded.deleted) found({ key: id, current: null, recorded, fields: [] });
  }
}

/** Runs a query generator on a synchronous connection. */
export function runSync(q: Query, all: (query: SQL) => unknown[]): void {
  for (let step = q.next(); !step.done; ) step = q.next(all(step.value));
}

/** Runs a query generator on an asynchronous reader (or a synchronous one). */
export async function runAsync(q: Query, all: (query: SQL) => Promise<unknown[]> | unknown[]): Promise<void> {
  for (let step = q.next(); !step.done; ) step = q.next(await all(step.value));
}

/** A finding as verify reports it: one message per field, or one for the row. */
export function findingMessages(d: AuditedState, f: StateFinding): { field?: string; seq: number | null; message: string }[] {
  const row = `${d.table} row ${f.key}`;
  const gaps = (f.recorded?.gaps ?? []).map((g) => ({
    field: g.field,
    seq: g.seq,
    message: `${row}: ${g.field} was ${shown(g.was)} when entry #${g.seq} recorded a change, but the audit trail's last recorded value before it was ${shown(g.recorded)} (entry #${g.recordedSeq}): it was changed outside the app in between.`,
  }));
  return [...gaps, ...currentMessages(d, f, row)];
}

function currentMessages(d: AuditedState, f: StateFinding, row: string): { field?: string; seq: number | null; message: string }[] {
  const { recorded, current } = f;
  if (!current) {
    return [{ seq: recorded!.lastSeq, message: `${row}: deleted, but the audit trail's last record of it (entry #${recorded!.lastSeq}) does not say so.` }];
  }
  if (!recorded) {
    return [{ seq: null, message: `${row}: not in the audit trail: no entry records ${d.entity} ${f.key} (added outside the app, or while the audit trail was off).` }];
  }
  if (recorded.deleted) return [{ seq: recorded.lastSeq, message: `${row}: present, but the audit trail recorded its deletion (entry #${recorded.lastSeq}).` }];
  return f.fields.map((field) =>
    field in recorded.values
      ? {
          field,
          seq: recorded.seqs[field]!,
          message: `${row}: ${field} is ${shown(current[field])} but the audit trail's last recorded value is ${shown(recorded.values[field])} (entry #${recorded.seqs[field]}).`,
        }
      : { field, seq: recorded.lastSeq, message: `${row}: ${field} is ${shown(current[field])} but the audit trail never recorded a ${field} for ${d.entity} ${f.key}.` },
  );
}
