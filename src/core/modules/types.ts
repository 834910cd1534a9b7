import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { ChannelMap, OutputOf, ParsedInputOf } from '../../shared/channel';
import type { Actor, SessionActor, TransitionHint, WorkflowChoice, WorkflowStep, WorkItem } from '../../shared/types';
import type { EngineCommand, EngineEvent } from '../engine/workflow';
import type { Clock } from '../clock';
import type { Db } from '../db/connection';
import type { SqliteDatabase } from '../db/databaseFile';
import type { FileInspection } from '../db/fileInspector';
import type { Storage } from '../storage/port';

/** Who is calling, decided by the core or a sign-in module, never by the renderer. */
export interface CallContext {
  actor: SessionActor;
  /** The window or browser page the call comes from: who is signed in is remembered per session. */
  session: string;
  /** The machine the call comes from, as the host knows it: what sign-in limits count against. */
  terminal: string;
  /** Whether this session may administer (always true without a sign-in module); for a module's authorize. */
  canAdminister: boolean;
  /**
   * Set by a sign-in module's authorizer once it has checked this call's e-signature (before any
   * transaction, off the main thread). The secret itself goes no further than that check.
   */
  signature?: VerifiedSignature;
}

/** An e-signature checked for one call: whose PIN or password it was. */
export interface VerifiedSignature {
  signerId: string;
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

/**
 * What the steps of a workflow given by hand stand for (the departments module): each step as it
 * is recorded, named from its department's record and tied to it by code, never free text.
 */
export interface StepDirectory {
  /** The step as recorded; throws AppError VALIDATION naming the step when it names no active department. */
  recorded(step: WorkflowStep, index: number): WorkflowStep;
}

export interface TransitionContext {
  item: WorkItem;
  command: EngineCommand;
  event: EngineEvent;
  comment?: string;
  actor: SessionActor;
  /** The e-signature checked for this call by a sign-in module's authorizer; absent when none was checked. */
  signature?: VerifiedSignature;
  now: number;
}

/**
 * Runs inside the transition's transaction, before anything is written. Throw an AppError
 * (e.g. FORBIDDEN, VALIDATION) to refuse the transition; nothing is then written. It may be
 * asynchronous (reads through ctx.storage are), but must not wait for anything but the database.
 */
export type TransitionGuard = (ctx: TransitionContext) => void | Promise<void>;

export interface CreatedContext {
  item: WorkItem;
  actor: SessionActor;
  now: number;
}

/**
 * A change to something other than a work item (a department renamed, a user added, a module
 * switched off, a sign-in): what an audit trail records. Modules report theirs with
 * ctx.recordChange inside the transaction that makes the change.
 */
export interface ChangeRecord {
  /** What kind of thing changed: 'department', 'template', 'user', 'module', 'session'… */
  entity: string;
  entityId: string;
  /** What happened: 'created', 'renamed', 'deleted', 'signed-in', 'sign-in-failed'… */
  action: string;
  before?: unknown;
  after?: unknown;
}

export interface RecordedChange extends ChangeRecord {
  actor: Actor;
  at: number;
  /**
   * The terminal the change came from (callScope's terminal: an enrolled terminal's id on a site
   * server, 'local', 'browser-harness'); absent for a change made outside any call.
   */
  terminal?: string;
}

/**
 * Event subscriptions. They run inside the same transaction as the change, so what a module
 * records (history, audit) is committed with it or not at all. transition and created may be
 * asynchronous (writes through ctx.storage join the change's transaction), waiting for nothing
 * but the database; change is still synchronous (it runs inside ctx.recordChange).
 */
export interface ModuleSubscriptions {
  transition?: (ctx: TransitionContext & { after: WorkItem }) => void | Promise<void>;
  created?: (ctx: CreatedContext) => void | Promise<void>;
  /** Every change reported with ctx.recordChange, by any module or the core. */
  change?: (change: RecordedChange) => void;
}

/**
 * Decides who works at each terminal (the users module). With one, calls from a terminal where
 * nobody is signed in are refused with SIGNED_OUT, except the public channels.
 */
export interface IdentityProvider {
  /** The signed-in person at this session, or null. */
  actorFor(session: string): SessionActor | null;
  /** May this session open the settings window and change configuration? */
  canAdminister(session: string): boolean;
  /** Channels a signed-out terminal may call (signing in, the list of people to pick from). */
  publicChannels: string[];
  /**
   * Does anyone sign in with this module yet? Once someone does, the core remembers it in the
   * database and does not run without this module unless an administrator switches it off from
   * the app (an outside edit that removes it starts the app locked).
   */
  hasPeople(): boolean;
}

export interface CallRequest {
  channel: string;
  kind: 'query' | 'command';
  /** The validated input. */
  input: unknown;
  call: CallContext;
}

/**
 * Runs for every call, after its input is validated and before its handler: throw an AppError
 * (FORBIDDEN, with the reason) to refuse. This is where permissions are enforced. It may be
 * asynchronous (an e-signature is checked with a slow KDF off the main thread); it must not
 * hold a transaction open across an await.
 */
export type Authorizer = (request: CallRequest) => void | Promise<void>;

/**
 * Tells the screens, before anyone clicks, what a module's guards will ask for or refuse
 * (a required comment, "you created this item"). Guards still enforce; hints only inform.
 */
export type HintProvider = (
  item: WorkItem,
  actor: Actor,
) => Partial<Record<TransitionHint['action'], Omit<TransitionHint, 'action'>>>;

/**
 * An append-only table of a module whose rows are records once written (e-signatures, earlier
 * wordings): an audit trail seals each row into its chain shortly after it is committed, so an
 * edited, deleted or inserted row is named by the table, its key and the column.
 */
export interface SealedTable {
  table: string;
  /** An INTEGER PRIMARY KEY AUTOINCREMENT column: rows are sealed in its order, named by it, and a key is never reused. */
  key: string;
  /** The columns that never change once the row is written; all of them are sealed. */
  columns: string[];
}

/**
 * A table holding the current state of things whose every change the module reports with
 * ctx.recordChange, the state in the change's `after` (a user: name, number, role…). An audit
 * trail compares each row with the latest state its entries recorded, field by field.
 */
export interface AuditedState {
  /** The ChangeRecord entity the changes are reported under ('user'); a row's key, as text, is their entityId. */
  entity: string;
  table: string;
  key: string;
  /**
   * The state's fields as `after` holds them, each read from one column: `value` as stored, `json`
   * parsed from JSON text, `boolean` from 0/1. Columns that change without a reported change (a
   * secret's hash, failed attempts, lock times) are left out, and so are not compared.
   */
  fields: Record<string, { column: string; as: 'value' | 'json' | 'boolean' }>;
}

/** What of a module's data an audit trail can hold to account beyond the changes it reports (ModuleParts.audited). */
export interface AuditedData {
  sealed?: SealedTable[];
  state?: AuditedState[];
}

export interface ModuleParts<M extends ChannelMap> {
  handlers?: HandlersOf<M>;
  workflowProvider?: WorkflowProvider;
  stepDirectory?: StepDirectory;
  guards?: TransitionGuard[];
  hints?: HintProvider;
  on?: ModuleSubscriptions;
  /** At most one enabled module may decide who is signed in. */
  identity?: IdentityProvider;
  authorize?: Authorizer;
  /** What this module offers the modules that depend on it (read through ctx.use). */
  exports?: unknown;
  /** Tables an audit trail seals or compares with its entries (an audit module reads them with ctx.audited). */
  audited?: AuditedData;
  /** Called when the core closes, before the database does: stop timers, abandon work in progress. */
  stop?(): void;
}

export interface ModuleContext<Config> {
  /** The shared database; a module reads and writes only its own tables (and reads core's). Being replaced by storage. */
  db: Db;
  /**
   * The storage port (src/core/storage/port.ts): transactions and reads that work on SQLite and on
   * PostgreSQL. Each module's SQL lives in its store file(s) and runs through it. A wait for
   * something that is not the database (a worker, a file) goes through storage.released.
   */
  storage: Storage;
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
  /** The app's data folder (the database and settings file live there). */
  dataDir: string;
  /** Opens another SQLite file (a backup) with the driver build the app uses; the caller closes it. */
  openFile(file: string, options?: { readonly?: boolean }): SqliteDatabase;
  /**
   * Reads another SQLite file (a backup) on a worker thread with its own read-only connection: for
   * work that reads the whole file (integrity_check, counting rows), which openFile would do on the
   * thread that answers calls. Each statement is bounded by `timeoutMs` (10 minutes unless told);
   * the caller closes the inspection.
   */
  inspectFile(file: string, options?: { timeoutMs?: number }): FileInspection;
  /** Restarts the core shortly after the current call returns; null where the host cannot restart itself. */
  restart: (() => void) | null;
  /**
   * Sign-ins are to outlive a restart of the core (a module switched) and of the process: a site
   * server, whose window sessions it keeps itself, bound to terminals. A sign-in module then keeps
   * who is signed in where in its tables (session ids only as hashes, nothing of a PIN). False in
   * the desktop app and the browser harness, whose session names are the same at every start: a
   * restart there signs everyone out. A host that sets it names sessions to the core by something
   * that is not itself the secret a window holds (the site server passes the SHA-256 of the id it
   * issued), since the change feed names a session as the host does.
   */
  durableSessions: boolean;
  /**
   * Runs job shortly after the current call (~100 ms), outside its transaction, once however
   * often it is asked for meanwhile (pass the same function each time); always before close.
   * For records made from rows already committed, which can catch up: a transition's own
   * transaction then writes only what must be atomic with it. A job that throws is logged.
   * `withinMs` lets it wait longer (it then runs at the latest that long after the first ask,
   * or sooner when asked without it); settle and close still run it.
   */
  soon(job: () => void, options?: { withinMs?: number }): void;
  /** Reports a change for the audit trail (subscribers run at once, in the caller's transaction). */
  recordChange(change: ChangeRecord, actor: Actor): void;
  /**
   * The exports of a module this one declares in dependsOn (or optionalDependsOn: then possibly
   * undefined). Modules never import each other's
   * code (deleting a folder must not break the build); the caller describes the shape it needs.
   */
  use<T>(moduleName: string): T;
  /**
   * What the started modules declare in their parts' `audited`, with each module's name. Read it
   * when needed (in a handler or a ctx.soon job): during setup, modules starting later are not in it yet.
   */
  audited(): (AuditedData & { module: string })[];
}

export interface ModuleDefinition<M extends ChannelMap = ChannelMap, Config = unknown> {
  /** Must equal the folder name under modules/. */
  name: string;
  version: string;
  description: string;
  dependsOn?: string[];
  /**
   * Modules this one uses when they are on but works without: they start first, and ctx.use
   * returns undefined for one that is switched off, missing or failed.
   */
  optionalDependsOn?: string[];
  /**
   * Starts before the modules that do not say so (after its own dependencies): a module that
   * records the others' changes (an audit trail) then sees what they do at their first run.
   */
  startsFirst?: boolean;
  /** Validates this module's `config` in the settings file; its defaults fill what is left out. */
  configSchema?: z.ZodType<Config>;
  /**
   * This module decides who signs in (its parts include `identity`). If it is switched on but
   * cannot start, the core lets nobody in rather than fall back to an anonymous operator.
   */
  providesIdentity?: boolean;
  /**
   * This module offers the workflows items start from (its parts include `workflowProvider`). If it
   * is switched on but cannot start, steps given by hand stay an administrator's, as when it runs.
   */
  providesWorkflows?: boolean;
  /** True if modules/<name>/migrations holds drizzle-kit migrations for this module's tables. */
  hasMigrations?: boolean;
  /**
   * This module's tables of who is signed in now (kept where ModuleContext.durableSessions): a
   * backup restored in place of the database has them emptied before it is put there, so no sign-in
   * of the backup's day comes back (the people may differ now), even if that start fails.
   */
  signInTables?: string[];
  /** The module's IPC channels; every name must start with "<name>.". */
  contract?: M;
  setup(ctx: ModuleContext<Config>): ModuleParts<M>;
}

/** Identity helper that keeps a module's handler types tied to its contract. */
export const defineModule = <M extends ChannelMap, Config>(definition: ModuleDefinition<M, Config>) =>
  definition as unknown as ModuleDefinition;
