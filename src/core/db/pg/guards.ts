/// <reference types="vite/client" />
import * as core from '../schema.pg';

/**
 * What an owner's schema.pg.ts declares about its guarded tables: append-only ones (triggers refuse
 * UPDATE, DELETE and TRUNCATE) and undeletable ones (rows change but are never removed).
 */
export interface PgGuardDeclarations {
  APPEND_ONLY_TABLES?: readonly string[];
  UNDELETABLE_TABLES?: readonly string[];
}

export interface GuardedTables {
  appendOnly: string[];
  undeletable: string[];
}

/**
 * Every owner's declarations: the core's and those of each module folder with a schema.pg.ts, found
 * at build time (as discovered.ts finds modules), so deleting a module's folder removes its own.
 */
const modules = import.meta.glob<PgGuardDeclarations>('../../../../modules/*/schema.pg.ts', { eager: true });

export function declaredGuards(): GuardedTables {
  const owners: PgGuardDeclarations[] = [core, ...Object.values(modules)];
  return {
    appendOnly: owners.flatMap((o) => o.APPEND_ONLY_TABLES ?? []).sort(),
    undeletable: owners.flatMap((o) => o.UNDELETABLE_TABLES ?? []).sort(),
  };
}
