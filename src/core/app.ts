import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { config as zodConfig } from 'zod';
import { coreContract } from '../shared/contract';
import type { ChangeEvent } from '../shared/events';
import { siteContract } from '../shared/siteContract';
import type { ChannelMap } from '../shared/channel';
import { AppError } from '../shared/errors';
import type { Actor, AppStatus, SessionActor } from '../shared/types';
import { systemClock, type Clock } from './clock';
import { createBackgroundReader } from './db/backgroundReader';
import { createFileInspector, type FileInspection } from './db/fileInspector';
import { createCheckpointer } from './db/checkpointer';
import { createSoon } from './modules/soon';
import type { Storage } from './storage/port';
import { createSqliteStorage } from './storage/sqlite';
import { applyMigrations, openDatabase } from './db/connection';
import { checkDatabaseFile, isCorruptionError, noteCleanClose, openSqliteFile, unchangedSinceCleanClose } from './db/databaseFile';
import { acquireCoreLock } from './db/coreLock';
import { diskSpaceProblem, startupStorageError, storageAppError } from './db/storageErrors';
import { DatabaseMissingError, describeEmptied, emptiedBeforeOpen, noteDatabaseCreated, signsOfEarlierUse, type EmptiedHow } from './db/freshStart';
import { applyPendingRestore, DatabaseCorruptError, readRestorePoints } from './db/restore';
import { WorkItemStore } from './db/workItemStore';
import { groupCommit, type GroupCommit } from './db/groupCommit';
import { coreHandlers } from './handlers/coreHandlers';
import { buildHandlerTable, DEFAULT_SESSION, type ChannelGroup, type Invoke } from './handlers/table';
import { discoveredModules } from './modules/discovered';
import { failedModuleWith, startModules, type DiscoveredModule } from './modules/host';
import type { Authorizer, ChangeRecord, HandlersOf, ModuleSubscriptions } from './modules/types';
import { loadSettings, saveLastGood, updateSettings } from './settings/settingsFile';
import { signInLock, signInMemory } from './signInGuard';
import { WorkItemService } from './workItems';
import { currentCall } from './callScope';
import { changeEventOf } from './changeEvents';
import { COMMAND_KEY_DAYS, commandLogStore } from './site/commandLog';
import { idempotentInvoke } from './site/idempotent';
import { terminalRegistry, type TerminalRegistry } from './site/terminals';
import { windowSessionStore, type WindowSessionStore } from './site/windowSessions';

export { DatabaseCorruptError } from './db/restore';
export { DatabaseMissingError } from './db/freshStart';
export { DataFolderInUseError } from './db/coreLock';
export { StartupError } from './startupError';

export interface CreateAppOptions {
  /** Folder for the database and, by default, the settings file. Created if missing. */
  dataDir: string;
  settingsPath?: string;
  /** Where resources/, src/core/db/migrations and modules/<name>/migrations are found (the project root, or the packaged resources folder). */
  assetsRoot: string;
  clock?: Clock;
  /** Replaces discovery (tests use this to bring fixture modules). */
  modules?: DiscoveredModule[];
  nativeBinding?: string;
  appVersion?: string;
  log?: (message: string) => void;
  /** Given by a host that can restart the core (Electron relaunches, the harness re-creates it). */
  restart?: () => void;
  /**
   * Start with a new, empty database although the folder shows the app ran there before and the
   * database is missing or empty: only when a person chose it (createAppOrRecover's choice).
   */
  startNewDatabase?: boolean;
  /** Given by a host that can save an item's record as a PDF (Electron's printToPDF). */
  printItem?: (id: number) => Promise<{ savedTo: string | null }>;
  /** Given with printItem by a host that prints an item's record on paper (Electron's webContents.print). */
  printItemOnPaper?: (id: number) => Promise<{ printed: boolean }>;
  /** Given by a site server: the core then keeps the site's terminals and answers the site.* channels. */
  site?: SiteHost;
  /**
   * Commit with synchronous=NORMAL and answer each command only after one shared fsync of the WAL
   * covers it (see db/groupCommit.ts): a site server's concurrent terminals share flushes.
   */
  groupCommit?: boolean;
  /**
   * Called when flushing the database's log to disk failed: the operating system may have dropped
   * those writes while reporting later flushes as fine, so a host should stop and let SQLite recover
   * from what is really on disk (a site server exits; its service manager starts it again).
   */
  onFlushFailure?: (error: Error) => void;
  /**
   * Sign-ins outlive a restart of the core and of the process (modules keep them in the database,
   * see ModuleContext.durableSessions): given by a site server, whose window sessions are its own,
   * bound to enrolled terminals and new at each start of a terminal. The desktop app and the
   * harness leave it off: their window session is the same at every start ('local', a tab's name),
   * and a restart there signs everyone out, on purpose.
   */
  durableSessions?: boolean;
}

/** What a site server tells the core about the terminals it serves. */
export interface SiteHost {
  /** SHA-256 of the site CA's certificate, as terminals pin it. */
  caFingerprint: string;
  /** The window sessions open now at a terminal (the server issues them). */
  sessionsOf(terminalId: string): string[];
  /** A terminal was revoked: the server ends its sessions and connections at once. */
  revoked(terminalId: string): void;
}

export interface CoreApp {
  invoke: Invoke;
  channels: string[];
  status(session?: string): AppStatus;
  /** Whether someone works at this session now (signed in and not locked, or anyone when sign-in is off). */
  signedIn(session: string): boolean;
  /** Called after every successful command, so windows can refresh. Returns an unsubscribe. */
  onChange(listener: (event: ChangeEvent) => void): () => void;
  /** A site server's terminals (present when createApp was given `site`). */
  terminals?: TerminalRegistry;
  /** With groupCommit: commits, the flushes that made them durable, and the time those took, since the core opened. */
  flushStats?: () => { commits: number; flushes: number; flushMs: number };
  /** Where a site server keeps its window sessions across restarts (present when createApp was given `site`). */
  windowSessions?: WindowSessionStore;
  /** Runs now all the work modules deferred with ctx.soon (close does too; for the bench and tests). */
  settle(): void;
  close(): void;
}

// Zod compiles ("JIT") a fast path with new Function for each object schema the first time it
// parses one: about a quarter of a second at start-up for the modules' config and the settings
// file, parsed once each. The inputs parsed per call are small; they do not need it.
zodConfig({ jitless: true });

/** How often a running app refreshes the query planner's statistics (PRAGMA optimize). */
const PLANNER_STATS_EVERY_MS = 6 * 60 * 60 * 1000;
/** Work that holds the thread this long is logged (every call waits behind it). */
export const SLOW_WORK_MS = 100;

/** A database smaller than this is quick_checked at every start (it takes milliseconds). */
const ALWAYS_CHECK_BELOW_BYTES = 8 * 2 ** 20;

const operatorId = (name: string) => `operator:${name.trim().toLowerCase().replace(/\s+/g, ' ')}`;

const TRANSITION_CHANNELS = new Set(['workItems.submit', 'workItems.approve', 'workItems.reject', 'workItems.cancel']);
const refuseStaleTransition =
  (service: WorkItemService): Authorizer =>
  ({ channel, input }) => {
    if (TRANSITION_CHANNELS.has(channel)) service.unchanged(input as { id: number; expectedVersion: number; expectedStep?: number | null });
  };

/** The whole application without Electron: database, migrations, modules and the handler table. */
export function createApp(options: CreateAppOptions): CoreApp {
  try {
    return openCore(options);
  } catch (error) {
    // A full disk or a folder it cannot write: a StartupError that says what to do, not a stack trace.
    throw startupStorageError(error, options.dataDir);
  }
}

function openCore(options: CreateAppOptions): CoreApp {
  const log = options.log ?? ((message: string) => console.log(message));
  const clock = options.clock ?? systemClock;
  mkdirSync(options.dataDir, { recursive: true });
  // One core per data folder, for its whole life (see coreLock.ts): taken before anything in the
  // folder is read or written, given back at close, and by the OS if the process dies.
  const lock = acquireCoreLock(options.dataDir, { nativeBinding: options.nativeBinding, appVersion: options.appVersion });
  // Whatever a failed start opened is closed again, the lock last, so a later try can start.
  const undo: (() => void)[] = [() => lock.release()];
  try {
    const app = startCore(options, log, clock, (step) => undo.push(step));
    let closed = false;
    return {
      ...app,
      close: () => {
        if (closed) return;
        closed = true;
        try {
          app.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Cleaning up after a failed start; the error that failed it is what matters.
      }
    }
    throw error;
  }
}

function startCore(options: CreateAppOptions, log: (message: string) => void, clock: Clock, onFailure: (undo: () => void) => void): CoreApp {
  const settingsPath = options.settingsPath ?? join(options.dataDir, 'settings.json');
  const databasePath = join(options.dataDir, 'aviation-workflow.sqlite');

  const { settings, problems: settingsProblems, lastGood, fromFile } = loadSettings(
    settingsPath,
    join(options.assetsRoot, 'resources', 'default-settings.json'),
  );

  const nativeBinding = options.nativeBinding;
  // The site server's window sessions, and each module's sign-ins: a restored backup brings none back.
  const signInTables = ['site_sessions', ...(options.modules ?? discoveredModules).flatMap((m) => m.definition.signInTables ?? [])];
  const restore = applyPendingRestore(options.dataDir, databasePath, { nativeBinding, now: clock, log, signInTables });
  const damaged = (problem: string) => new DatabaseCorruptError(databasePath, problem, readRestorePoints(options.dataDir));
  // A missing or emptied database where the app ran before is not a first run (see freshStart.ts).
  const startupNotes: string[] = [];
  const refuseFreshStart = (how: EmptiedHow) => {
    const signs = signsOfEarlierUse(options.dataDir, databasePath);
    if (!signs.length) return;
    if (!options.startNewDatabase) throw new DatabaseMissingError(databasePath, how, signs, readRestorePoints(options.dataDir));
    startupNotes.push(
      `Started with a new, empty database, as chosen at start-up: the previous one could not be used (${describeEmptied(how)}). ` +
        'Its backups, if any, are still in the backups folder.',
    );
  };
  const emptied = emptiedBeforeOpen(databasePath);
  if (emptied) refuseFreshStart(emptied);
  // quick_check reads every page (seconds for a large database): skipped when the file is exactly as
  // this app left it at a clean close. After a crash, a restore or any other change it runs, and a
  // small database is always checked.
  if (existsSync(databasePath) && (!unchangedSinceCleanClose(databasePath) || statSync(databasePath).size < ALWAYS_CHECK_BELOW_BYTES)) {
    const check = checkDatabaseFile(databasePath, { readonly: false, nativeBinding });
    if (!check.ok) throw damaged(check.problem ?? 'quick_check failed');
  }
  const { sqlite, db } = openDatabase(databasePath, nativeBinding ? { nativeBinding } : {});
  onFailure(() => sqlite.close());
  try {
    if (!emptied && (sqlite.prepare('select count(*) as n from sqlite_schema').get() as { n: number }).n === 0) refuseFreshStart('no-tables');
    applyMigrations(db, join(options.assetsRoot, 'src', 'core', 'db', 'migrations'), 'core');
  } catch (error) {
    throw isCorruptionError(error) ? damaged((error as Error).message) : error;
  }
  noteDatabaseCreated(options.dataDir);
  let flushes: GroupCommit | null = null;
  if (options.groupCommit) {
    sqlite.pragma('synchronous = NORMAL');
    flushes = groupCommit(`${databasePath}-wal`, (error) => {
      log(`Could not flush the database's log to disk: ${error.message}`);
      options.onFlushFailure?.(error);
    });
    const opened = flushes;
    onFailure(() => opened.close());
  }

  // SQLite plans queries from statistics (sqlite_stat1); a table that grew a hundredfold since they
  // were taken can get a plan that sorts all of it. PRAGMA optimize re-analyzes only such tables,
  // within a bounded effort: at close and every few hours, as SQLite advises for long-lived connections.
  const refreshPlannerStats = () => {
    try {
      // 0x10002: look at every table, not only those this connection queried (another process may have filled one).
      sqlite.pragma('optimize = 0x10002');
    } catch (error) {
      log(`Could not refresh the query planner's statistics (queries still work): ${(error as Error).message}`);
    }
  };

  const checkpointer = createCheckpointer(sqlite, databasePath, { nativeBinding });
  onFailure(() => checkpointer.stop());
  const signIn = signInMemory(db);
  // Set once a sign-in module runs without people yet: the transaction that adds the first person
  // also notes, with it, that this database now needs sign-in (see signInGuard.ts).
  let rememberSignInOnce: (() => void) | null = null;
  const commands = commandLogStore(db);
  // Everything else waits while one piece of work holds the thread: long ones are logged, to find stalls.
  const noteIfSlow = (what: string, ms: number) => {
    if (ms >= SLOW_WORK_MS) log(`Slow: ${what} held the thread for ${Math.round(ms)} ms.`);
  };
  const storage = createSqliteStorage(sqlite, {
    beforeCommit: () => {
      rememberSignInOnce?.();
      // A site terminal's command notes its key with its first commit (see site/idempotent.ts).
      const call = currentCall();
      if (call?.commandId === undefined || call.recorded) return;
      commands.note(call.terminal, call.commandId, call.channel ?? '', clock());
      return () => {
        call.recorded = true;
      };
    },
    afterTransaction: (ms) => {
      checkpointer.wake();
      const call = currentCall();
      noteIfSlow(`A transaction (${call?.channel ?? (call ? 'a call' : 'deferred work')})`, ms);
    },
  });
  const transaction = storage.transactionSync;
  const store = new WorkItemStore(db, clock);
  const background = createBackgroundReader(databasePath, options.nativeBinding);
  onFailure(() => void background.close());
  const inspector = createFileInspector({ nativeBinding });
  onFailure(() => inspector.stop());
  // Filled as modules start: a change reported during a module's setup reaches those started before it.
  const changeSubscribers: NonNullable<ModuleSubscriptions['change']>[] = [];
  const recordChange = (change: ChangeRecord, actor: Actor) => {
    const terminal = currentCall()?.terminal;
    const recorded = { ...change, actor: { id: actor.id, name: actor.name }, at: clock(), ...(terminal ? { terminal } : {}) };
    for (const subscriber of changeSubscribers) subscriber(recorded);
  };
  const deferred = createSoon(log, undefined, noteIfSlow, storage.tryNow);
  const host = startModules(options.modules ?? discoveredModules, settings.modules, {
    db,
    storage,
    workItems: { get: (id) => store.get(id) },
    clock,
    assetsRoot: options.assetsRoot,
    transaction,
    // A report's read on the worker is a wait that is not this connection: other calls go on meanwhile.
    background: { all: (query) => storage.released(() => background.all(query)) },
    recordChange,
    soon: deferred.soon,
    started: (parts) => {
      if (parts.on?.change) changeSubscribers.push(parts.on.change);
    },
    log,
    dataDir: options.dataDir,
    openFile: (file, { readonly = true } = {}) => openSqliteFile(file, { readonly, nativeBinding }),
    inspectFile: (file, inspection) => releasedInspection(inspector.open(file, inspection), storage),
    restart: options.restart ? () => void setTimeout(options.restart!, 50) : null,
    durableSessions: options.durableSessions === true,
    lastGood: lastGood?.modules,
    settingsPath,
  });
  // What the app runs with becomes the last good settings: the file as read, except that a module
  // whose config is invalid keeps the config it ran with (so a typo does not replace the last good one).
  const lastGoodProblem = fromFile
    ? saveLastGood(settingsPath, {
        ...settings,
        modules: Object.fromEntries(
          Object.entries(settings.modules).map(([name, entry]) => [
            name,
            host.configFallbacks.has(name) ? { enabled: entry.enabled, ...(host.configFallbacks.get(name) === undefined ? {} : { config: host.configFallbacks.get(name) }) } : entry,
          ]),
        ),
      })
    : null;

  const parts = host.loaded.map((m) => m.parts);
  const service = new WorkItemService({
    store,
    clock,
    storage,
    providers: parts.flatMap((p) => (p.workflowProvider ? [p.workflowProvider] : [])),
    workflowsExpected: failedModuleWith(options.modules ?? discoveredModules, host.statuses, 'providesWorkflows') !== undefined,
    ...(parts.find((p) => p.stepDirectory) ? { stepDirectory: parts.find((p) => p.stepDirectory)!.stepDirectory! } : {}),
    guards: parts.flatMap((p) => p.guards ?? []),
    hintProviders: parts.flatMap((p) => (p.hints ? [p.hints] : [])),
    subscriptions: parts.flatMap((p) => (p.on ? [p.on] : [])),
  });

  // A sign-in module decides who works at a terminal; without one, whoever works there says who they are.
  const identityModules = host.loaded.filter((m) => m.parts.identity);
  const identity = identityModules[0]?.parts.identity;
  const identityName = identityModules[0]?.definition.name;
  const defaultActor: Actor = { id: operatorId(settings.operator.name), name: settings.operator.name };
  const operators = new Map<string, Actor>();
  if (identity && identityName) {
    // A provider that cannot say (built before hasPeople existed) is taken to have people: fail closed.
    const hasPeople = () => (typeof identity.hasPeople === 'function' ? identity.hasPeople() : true);
    let remembered = signIn.remembered().includes(identityName);
    rememberSignInOnce = () => {
      if (remembered || !hasPeople()) return;
      signIn.remember(identityName, clock());
      remembered = true;
    };
    if (!remembered && hasPeople()) transaction(() => undefined); // notes it (a database from before this note existed)
  }
  // No sign-in module runs, but the database relies on one, or one switched on could not start:
  // fail closed, never fall back to an anonymous operator who may administer.
  const locked = identity
    ? null
    : signInLock({ remembered: signIn.remembered(), discovered: options.modules ?? discoveredModules, statuses: host.statuses, settings, settingsPath });
  if (locked) {
    // On record, for whoever later reads the trail: sign-in went missing outside the app.
    try {
      transaction(() =>
        recordChange({ entity: 'module', entityId: locked.module, action: 'sign-in-missing-at-start', after: { problem: locked.problem } }, { id: 'system:start-up', name: 'Start-up' }),
      );
    } catch (error) {
      log(`Could not record the locked start in the audit trail: ${(error as Error).message}`);
    }
  }
  const actorFor = (session: string): SessionActor | null =>
    locked ? null : identity ? identity.actorFor(session) : (operators.get(session) ?? defaultActor);
  const publicChannels = new Set(['app.status', ...(identity?.publicChannels ?? [])]);
  const signedOut: SessionActor = { id: 'signed-out', name: 'Nobody signed in' };
  const canAdminister = (session: string) => (locked ? false : identity ? identity.canAdminister(session) : true);
  const callContext = (session: string, channel: string, terminal: string) => {
    if (locked && channel !== 'app.status') throw new AppError('SIGNED_OUT', locked.refusal, { module: locked.module });
    const actor = actorFor(session);
    if (actor) return { actor, session, terminal, canAdminister: canAdminister(session) };
    if (publicChannels.has(channel)) return { actor: signedOut, session, terminal, canAdminister: false };
    throw new AppError('SIGNED_OUT', 'Sign in first: nobody is signed in at this terminal.');
  };

  const diskFull = diskSpaceProblem(options.dataDir);
  const problems = [
    ...(diskFull ? [diskFull] : []),
    ...(locked ? [locked.problem] : []),
    ...settingsProblems,
    ...(restore.problem ? [restore.problem] : []),
    ...startupNotes,
    ...host.problems,
    ...(lastGoodProblem ? [lastGoodProblem] : []),
  ];
  if (identityModules.length > 1) {
    problems.push(`Modules ${identityModules.map((m) => `"${m.definition.name}"`).join(' and ')} both decide who signs in; "${identityModules[0]!.definition.name}" does.`);
  }
  for (const problem of problems) log(`Problem: ${problem}`);
  let restartRequired = false;

  const status = (session = DEFAULT_SESSION): AppStatus => ({
    appVersion: options.appVersion ?? '0.0.0',
    actor: actorFor(session),
    signIn: identity !== undefined || locked !== null,
    canAdminister: canAdminister(session),
    // A site's folders are its administrators' business, not every terminal's.
    ...(options.site && !canAdminister(session) ? { dataDir: '', settingsPath: '', databasePath: '' } : { dataDir: options.dataDir, settingsPath, databasePath }),
    modules: host.statuses,
    restartRequired,
    canRestart: options.restart !== undefined,
    canPrintPdf: options.printItem !== undefined,
    ...(options.site ? { site: { role: 'server' as const, caFingerprint: options.site.caFingerprint } } : {}),
    problems,
  });

  const setModuleEnabled = (name: string, enabled: boolean, actor: Actor) => {
    const module = host.statuses.find((m) => m.name === name);
    if (!module) throw new AppError('NOT_FOUND', `There is no module "${name}" installed.`, { name });
    const signsIn = (options.modules ?? discoveredModules).some((m) => m.definition.name === name && m.definition.providesIdentity);
    // Switching off what sign-in needs would leave nobody able to sign in after the restart.
    const neededBy = identityModules.find((m) => m.definition.dependsOn?.includes(name))?.definition.name;
    if (!enabled && neededBy) {
      throw new AppError(
        'INVALID_TRANSITION',
        `Sign-in (the "${neededBy}" module) needs the "${name}" module: switched off, nobody could sign in after the restart. Switch "${neededBy}" off first, or keep "${name}" on.`,
        { name, neededBy },
      );
    }
    // The audit entry and the settings file change together: a failed write rolls the entry back.
    transaction(() => {
      recordChange(
        { entity: 'module', entityId: name, action: enabled ? 'switched-on' : 'switched-off', before: { state: module.state }, after: { enabled } },
        actor,
      );
      // Sign-in switched off by an administrator, on record: the database no longer needs it.
      if (signsIn && !enabled) signIn.forget(name);
      updateSettings(settingsPath, (current) => ({
        ...current,
        modules: { ...current.modules, [name]: { ...current.modules[name], enabled } },
      }));
    });
    restartRequired = true;
    return { restartRequired: true };
  };

  const listeners = new Set<(event: ChangeEvent) => void>();
  const terminals = options.site ? terminalRegistry({ db, clock, transaction, recordChange }) : undefined;
  const windowSessions = options.site ? windowSessionStore({ db, transaction }) : undefined;
  try {
    windowSessions?.tidy(clock());
  } catch (error) {
    log(`Could not remove the window sessions of revoked terminals and old ones: ${(error as Error).message}`);
  }
  const site = options.site;
  const groups: ChannelGroup[] = [
    {
      contract: coreContract,
      handlers: coreHandlers({
        service,
        store,
        clock,
        status: (call) => status(call.session),
        setOperator: (name, call) => {
          if (identity) throw new AppError('FORBIDDEN', 'People sign in at this terminal; a typed name is not accepted.');
          const actor = { id: operatorId(name), name: name.trim() };
          operators.set(call.session, actor);
          return actor;
        },
        setModuleEnabled,
        printItem: (id) => {
          service.get(id);
          if (!options.printItem) {
            throw new AppError('INVALID_TRANSITION', "This app saves PDFs from the item's print view here: use the browser's Print.");
          }
          return storage.released(() => options.printItem!(id));
        },
        printItemOnPaper: (id) => {
          service.get(id);
          if (!options.printItemOnPaper) {
            throw new AppError('INVALID_TRANSITION', "This app prints from the item's print view here: use its Print button.");
          }
          return storage.released(() => options.printItemOnPaper!(id));
        },
        restart: () => {
          if (!options.restart) {
            throw new AppError('INVALID_TRANSITION', 'This app cannot restart itself here; close it and start it again.');
          }
          setTimeout(options.restart, 50);
          return { restarting: true };
        },
      }) as unknown as HandlersOf<ChannelMap>,
    },
    ...host.loaded.flatMap((m) =>
      m.definition.contract && m.parts.handlers ? [{ contract: m.definition.contract, handlers: m.parts.handlers }] : [],
    ),
    ...(terminals && site
      ? [
          {
            contract: siteContract,
            handlers: {
              'site.terminals': () =>
                terminals.list((terminalId) =>
                  site.sessionsOf(terminalId).flatMap((session) => {
                    const actor = actorFor(session);
                    return actor && actor.id !== 'signed-out' ? [actor.name] : [];
                  }),
                ),
              'site.createEnrollmentCode': (_input: unknown, call: { actor: Actor }) => terminals.createEnrollmentCode(call.actor),
              'site.revokeTerminal': (input: { id: string }, call: { actor: Actor }) => {
                transaction(() => {
                  terminals.revoke(input.id, call.actor);
                  windowSessions!.endAllOf(input.id);
                });
                site.revoked(input.id);
                return { revoked: true as const };
              },
            } as unknown as HandlersOf<ChannelMap>,
          },
        ]
      : []),
  ];
  const table = buildHandlerTable({
    groups,
    // One call at a time on the connection (storage/connectionLock.ts), from its permission checks to its answer.
    hold: storage.hold,
    channelOwners: host.channelOwners,
    callContext,
    // A dialog that opened on another version or step of the item is refused first: before the
    // permission checks and the e-signature, so nothing is asked of the person and nothing signed.
    authorizers: [refuseStaleTransition(service), ...parts.flatMap((p) => (p.authorize ? [p.authorize] : []))],
    canAdminister,
    ...(flushes ? { durable: () => flushes!.durable(flushes!.committed()) } : {}),
    onCommandDone: (channel, input, value) => {
      const event = changeEventOf(channel, input, value);
      listeners.forEach((l) => l(event));
    },
    mapError: (error) => {
      const known = storageAppError(error, options.dataDir);
      if (known) log(`${known.code}: ${(error as Error)?.message ?? String(error)}`);
      return known;
    },
    logError: (channel, error) => log(`Unexpected error in ${channel}: ${(error as Error)?.stack ?? String(error)}`),
  });

  const keyed = idempotentInvoke(
    table.invoke,
    commands,
    // Work of no call, from a timer: it waits while another call's transaction is open.
    (fn) => storage.tryNow(() => transaction(fn)),
    (error) => log(`Could not keep the answers of site commands: ${(error as Error).message}`),
    table.secretAnswers,
  );
  const forgetOldCommandKeys = () => {
    try {
      transaction(() => commands.prune(clock() - COMMAND_KEY_DAYS * 86_400_000));
    } catch (error) {
      log(`Could not remove old command keys: ${(error as Error).message}`);
    }
  };
  forgetOldCommandKeys();

  // Started last: a start that fails before here leaves no timer behind.
  const plannerStats = setInterval(() => {
    refreshPlannerStats();
    forgetOldCommandKeys();
  }, PLANNER_STATS_EVERY_MS);
  plannerStats.unref?.();

  return {
    // Locked: every call but the status is refused the same way, even one to a channel that is not there.
    invoke: locked
      ? (channel, input, session) =>
          channel === 'app.status'
            ? table.invoke(channel, input, session)
            : Promise.resolve({ ok: false, error: { code: 'SIGNED_OUT', message: locked.refusal, details: { module: locked.module } } })
      : keyed.invoke,
    ...(terminals ? { terminals } : {}),
    ...(flushes ? { flushStats: flushes.stats } : {}),
    ...(windowSessions ? { windowSessions } : {}),
    channels: table.channels,
    status,
    signedIn: (session) => actorFor(session) !== null,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    settle: deferred.drain,
    close: () => {
      clearInterval(plannerStats);
      keyed.flush();
      deferred.drain();
      for (const p of parts) p.stop?.();
      void background.close();
      inspector.stop();
      checkpointer.stop();
      refreshPlannerStats();
      sqlite.close();
      flushes?.close();
      noteCleanClose(databasePath);
    },
  };
}

/** An inspection whose statements run on its worker while other calls use the connection. */
function releasedInspection(inspection: FileInspection, storage: Storage): FileInspection {
  return {
    all: (query, params) => storage.released(() => inspection.all(query, params)),
    close: () => storage.released(() => inspection.close()),
  };
}
