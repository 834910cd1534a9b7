/// <reference types="vite/client" />
import type Database from 'better-sqlite3';

/**
 * What a module may ask of a site move: a check of the SQLite file before anything is copied (the
 * audit module checks its hash chain). A module declares it in modules/<name>/siteMove.ts, found at
 * build time like the schemas, so the core names no module and a deleted module takes its own along.
 */
export interface SourceCheck {
  /** What it checks, for the report ("audit chain"). */
  name: string;
  /** Reads the file (the move's read-only connection, inside its read transaction); `onProgress` gets (done, total). */
  run(sqlite: Database.Database, onProgress: (done: number, total: number) => void): Promise<SourceCheckResult>;
}

export interface SourceCheckResult {
  ok: boolean;
  /** One line: what was found. */
  summary: string;
  /** More lines: the problems found, notes. */
  details: string[];
}

export interface SiteMoveDeclarations {
  sourceCheck?: SourceCheck;
}

const found = import.meta.glob<SiteMoveDeclarations>('../../../../../modules/*/siteMove.ts', { eager: true });

/** The source checks of these modules (those being moved). */
export function sourceChecks(owners: readonly string[]): { owner: string; check: SourceCheck }[] {
  return Object.entries(found)
    .map(([path, declarations]) => ({ owner: path.split('/').at(-2)!, check: declarations.sourceCheck }))
    .filter((c): c is { owner: string; check: SourceCheck } => c.check !== undefined && owners.includes(c.owner))
    .sort((a, b) => a.owner.localeCompare(b.owner));
}
