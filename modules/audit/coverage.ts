import { sql, type SQL } from 'drizzle-orm';
import type { AuditedData, AuditedState, ModuleContext, SealedTable } from '../../src/core/modules/types';
import { BLOCK_ACTOR } from './blocks';
import { canonicalJson } from './chain';
import { isName, quoted } from './records';
import { compareState, runAsync, runSync, validState, type StateFinding } from './state';
import type { AuditStore } from './store';

/**
 * What the other modules declare for the trail (ModuleParts.audited, read through ctx.audited)
 * is written into the chain, one entry per module, whenever it is new or changed: so the chain
 * itself says, from which entry on, which tables' state is compared with it, and the command line
 * checks a file with nothing but the file. README.md, "Coverage".
 */

export const COVERAGE_ENTITY = 'audit-coverage';
export const COVERAGE_ACTION = 'declared';
/** A row found, when the trail began comparing its table, to differ from (or be missing in) the entries: recorded as it was found. */
export const FOUND_ACTION = 'found';

export interface Coverage {
  sealed: SealedTable[];
  state: AuditedState[];
}

export const validSealed = (t: unknown): t is SealedTable => {
  const s = t as SealedTable | null;
  return typeof s === 'object' && s !== null && isName(s.table) && isName(s.key) && Array.isArray(s.columns) && s.columns.length > 0 && s.columns.every(isName);
};

const coverageOf = (d: AuditedData): Coverage => ({
  sealed: (d.sealed ?? []).map(({ table, key, columns }) => ({ table, key, columns })),
  state: (d.state ?? []).map(({ entity, table, key, fields }) => ({ entity, table, key, fields })),
});

/** A coverage entry's after_json, or null when it is not one. */
export function statedCoverage(afterJson: string | null): Coverage | null {
  try {
    const c = JSON.parse(afterJson ?? 'null') as Coverage | null;
    if (c && Array.isArray(c.sealed) && c.sealed.every(validSealed) && Array.isArray(c.state) && c.state.every(validState)) return c;
  } catch {
    // not JSON
  }
  return null;
}

type Db = ModuleContext<unknown>['db'];

/** Tables compared on the main thread at once when first declared; a larger one is compared on the background reader first. */
const COMPARED_AT_ONCE = 5_000;

interface Deps {
  db: Db;
  store: AuditStore;
  clock: () => number;
  transaction<T>(fn: () => T): T;
  registry: ModuleContext<unknown>['audited'];
  read<T>(query: SQL): Promise<T[]>;
  log(message: string): void;
}

export function coverageKeeper({ db, store, clock, transaction, registry, read, log }: Deps) {
  const all = (query: SQL) => db.all<unknown>(query);
  let checked = false;
  let pending: Promise<void> | null = null;

  /** The valid declarations of the running modules (read once all have started: from a ctx.soon job or a handler). */
  let modules: { module: string; coverage: Coverage }[] | null = null;
  const declared = (): { module: string; coverage: Coverage }[] =>
    (modules ??= registry().flatMap((d) => {
      const coverage = coverageOf(d);
      const valid = (t: unknown, check: (t: unknown) => boolean) => check(t);
      const bad = [
        ...coverage.sealed.filter((t) => !valid(t, validSealed)).map((t) => String(t.table)),
        ...coverage.state.filter((t) => !valid(t, validState)).map((t) => String(t.table)),
      ];
      if (bad.length) {
        log(`Module "${d.module}" declares tables for the audit trail that are not plain names or lack columns (${bad.join(', ')}); its declaration is left out.`);
        return [];
      }
      return [{ module: d.module, coverage }];
    }));

  /** The latest coverage entry of each module, as the chain says. */
  const stated = (): Map<string, { seq: number; coverage: Coverage | null }> => {
    const rows = db.all<{ module: string; seq: number; afterJson: string | null }>(
      // Few entries, read by the (entity, seq) index.
      sqlFor(`select entity_id as module, seq, after_json as afterJson from audit_log where entity = '${COVERAGE_ENTITY}' order by seq`),
    );
    return new Map(rows.map((r) => [r.module, { seq: r.seq, coverage: statedCoverage(r.afterJson) }]));
  };
  /** When this module was last switched off in the app (the core records it while the trail still runs): 0 if never. */
  const switchedOff = (): number =>
    db.get<{ seq: number | null }>(sqlFor(`select max(seq) as seq from audit_log where entity = 'module' and entity_id = 'audit' and action = 'switched-off'`))?.seq ?? 0;

  const appendDeclared = (module: string, coverage: Coverage) =>
    store.append({ entity: COVERAGE_ENTITY, entityId: module, action: COVERAGE_ACTION, after: coverage, actor: BLOCK_ACTOR, at: clock() });

  /** Records a row as found: before, what the trail last recorded (if anything); after, the row now (nothing if it is gone). */
  const appendFound = (d: AuditedState, f: StateFinding) =>
    store.append({
      entity: d.entity,
      entityId: f.key,
      action: FOUND_ACTION,
      before: f.recorded && !f.recorded.deleted ? f.recorded.values : undefined,
      after: f.current ?? undefined,
      actor: BLOCK_ACTOR,
      at: clock(),
    });

  const small = (d: AuditedState) =>
    (db.get<{ n: number }>(sqlFor(`select count(*) as n from (select 1 from ${quoted(d.table)} limit ${COMPARED_AT_ONCE + 1})`))?.n ?? 0) <= COMPARED_AT_ONCE;

  /** Declares a module's coverage, comparing the tables it newly declares and recording what differs as found. */
  const declareModule = (module: string, coverage: Coverage, fresh: AuditedState[]) => {
    if (fresh.every(small)) {
      transaction(() => {
        appendDeclared(module, coverage);
        for (const d of fresh) runSync(compareState(d, (f) => appendFound(d, f)), all);
      });
      return;
    }
    // A large table is compared on the background reader; only the rows it finds are checked
    // again here, in the transaction that records them (a change meanwhile came with its entry).
    const run = async () => {
      const keys = new Map<AuditedState, string[]>(fresh.map((d) => [d, []]));
      for (const d of fresh) await runAsync(compareState(d, (f) => keys.get(d)!.push(f.key)), read);
      transaction(() => {
        appendDeclared(module, coverage);
        for (const d of fresh) {
          const found = keys.get(d)!;
          for (let i = 0; i < found.length; i += 500) runSync(compareState(d, (f) => appendFound(d, f), { only: found.slice(i, i + 500) }), all);
        }
      });
    };
    pending = (pending ?? Promise.resolve()).then(run).catch((error: Error) => {
      checked = false; // tried again at the next seal
      log(`Could not compare ${module}'s tables with the audit trail (tried again later): ${error.message}`);
    });
  };

  return {
    /** Writes new or changed declarations into the chain (once per run; the modules' declarations do not change while it runs). */
    declare(): void {
      if (checked) return;
      checked = true;
      const inChain = stated();
      const off = switchedOff();
      for (const { module, coverage } of declared()) {
        const stood = inChain.get(module);
        const before = stood?.coverage;
        // The trail was switched off in the app since this was declared: what changed meanwhile, through
        // the app, has no entries. Everything declared is compared again and recorded as found, once.
        const resumed = stood !== undefined && stood.seq < off;
        if (before && !resumed && canonicalJson(before) === canonicalJson(coverage)) continue;
        const known = new Set(resumed ? [] : (before?.state ?? []).map((s) => canonicalJson(s)));
        try {
          declareModule(module, coverage, coverage.state.filter((s) => !known.has(canonicalJson(s))));
        } catch (error) {
          checked = false;
          log(`Could not declare ${module}'s tables in the audit trail (tried again later): ${(error as Error).message}`);
        }
      }
    },
    /** Settles when a comparison running on the background reader has been recorded. */
    ready: (): Promise<void> => pending ?? Promise.resolve(),
    /** The tables the running modules want sealed. */
    sealedTables: (): SealedTable[] => declared().flatMap((d) => d.coverage.sealed),
  };
}

/** Raw SQL whose only variable parts are quoted plain names or constants. */
const sqlFor = (text: string): SQL => sql.raw(text);
