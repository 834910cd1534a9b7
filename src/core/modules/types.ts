import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { ChannelMap, OutputOf, ParsedInputOf } from '../../shared/channel';
import type { Actor, TransitionHint, WorkflowChoice, WorkItem } from '../../shared/types';
import type { EngineCommand, EngineEvent } from '../engine/workflow';
import type { Clock } from '../clock';
import type { Db } from '../db/connection';

/** Who is calling, decided by the core (later by a sign-in module), never by the renderer. */
export interface CallContext {
  actor: Actor;
  /** The terminal (window, browser page) the call comes from. */
  session: string;
}

export type HandlersOf<M extends ChannelMap> = {
  [K in keyof M]: (input: ParsedInputOf<M[K]>, call: CallContext) => OutputOf<M[K]> | Promise<OutputOf<M[K]>>;
};

/** Offers workflows to start items with (the templates module is one). */
export interface WorkflowProvider {
  list(): WorkflowChoice[];
  /** The choice with this id, or null if this provider does not know it. */
  resolve(id: string): WorkflowChoice | null;
}

export interface TransitionContext {
  item: WorkItem;
  command: EngineCommand;
  event: EngineEvent;
  comment?: string;
  actor: Actor;
  now: number;
}

/**
 * Runs inside the transition's transaction, before anything is written. Throw an AppError
 * (e.g. FORBIDDEN, VALIDATION) to refuse the transition; nothing is then written.
 */
export type TransitionGuard = (ctx: TransitionContext) => void;

export interface CreatedContext {
  item: WorkItem;
  actor: Actor;
  now: number;
}

/**
 * Event subscriptions. They run inside the same transaction as the change, so what a module
 * records (history, audit) is committed with it or not at all. They must be synchronous.
 */
export interface ModuleSubscriptions {
  transition?: (ctx: TransitionContext & { after: WorkItem }) => void;
  created?: (ctx: CreatedContext) => void;
}

/**
 * Tells the screens, before anyone clicks, what a module's guards will ask for or refuse
 * (a required comment, "you created this item"). Guards still enforce; hints only inform.
 */
export type HintProvider = (
  item: WorkItem,
  actor: Actor,
) => Partial<Record<TransitionHint['action'], Omit<TransitionHint, 'action'>>>;

export interface ModuleParts<M extends ChannelMap> {
  handlers?: HandlersOf<M>;
  workflowProvider?: WorkflowProvider;
  guards?: TransitionGuard[];
  hints?: HintProvider;
  on?: ModuleSubscriptions;
  /** What this module offers the modules that depend on it (read through ctx.use). */
  exports?: unknown;
}

export interface ModuleContext<Config> {
  /** The shared database; a module reads and writes only its own tables (and reads core's). */
  db: Db;
  config: Config;
  clock: Clock;
  /** Read access to the core's work items (modules never write core tables). */
  workItems: { get(id: number): WorkItem | null };
  /** Runs fn in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T;
  /**
   * Runs a long read-only query (a report) on a worker thread with its own connection, so the
   * app keeps answering while it runs. Use it for anything that scans history; use db for the rest.
   */
  background: { all<T>(query: SQL): Promise<T[]> };
  log(message: string): void;
  /**
   * The exports of a module this one declares in dependsOn. Modules never import each other's
   * code (deleting a folder must not break the build); the caller describes the shape it needs.
   */
  use<T>(moduleName: string): T;
}

export interface ModuleDefinition<M extends ChannelMap = ChannelMap, Config = unknown> {
  /** Must equal the folder name under modules/. */
  name: string;
  version: string;
  description: string;
  dependsOn?: string[];
  /** Validates this module's `config` in the settings file; its defaults fill what is left out. */
  configSchema?: z.ZodType<Config>;
  /** True if modules/<name>/migrations holds drizzle-kit migrations for this module's tables. */
  hasMigrations?: boolean;
  /** The module's IPC channels; every name must start with "<name>.". */
  contract?: M;
  setup(ctx: ModuleContext<Config>): ModuleParts<M>;
}

/** Identity helper that keeps a module's handler types tied to its contract. */
export const defineModule = <M extends ChannelMap, Config>(definition: ModuleDefinition<M, Config>) =>
  definition as unknown as ModuleDefinition;
