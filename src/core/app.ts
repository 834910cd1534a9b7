import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { coreContract } from '../shared/contract';
import type { ChannelMap } from '../shared/channel';
import { AppError } from '../shared/errors';
import type { Actor, AppStatus } from '../shared/types';
import { systemClock, type Clock } from './clock';
import { createBackgroundReader } from './db/backgroundReader';
import { applyMigrations, openDatabase } from './db/connection';
import { WorkItemStore } from './db/workItemStore';
import { coreHandlers } from './handlers/coreHandlers';
import { buildHandlerTable, DEFAULT_SESSION, type ChannelGroup, type Invoke } from './handlers/table';
import { discoveredModules } from './modules/discovered';
import { startModules, type DiscoveredModule } from './modules/host';
import type { HandlersOf } from './modules/types';
import { loadSettings, updateSettings } from './settings/settingsFile';
import { WorkItemService } from './workItems';

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
  /** Given by a host that can save an item's record as a PDF (Electron's printToPDF). */
  printItem?: (id: number) => Promise<{ savedTo: string | null }>;
}

export interface CoreApp {
  invoke: Invoke;
  channels: string[];
  status(session?: string): AppStatus;
  /** Called after every successful command, so windows can refresh. Returns an unsubscribe. */
  onChange(listener: (channel: string) => void): () => void;
  close(): void;
}

const operatorId = (name: string) => `operator:${name.trim().toLowerCase().replace(/\s+/g, ' ')}`;

/** The whole application without Electron: database, migrations, modules and the handler table. */
export function createApp(options: CreateAppOptions): CoreApp {
  const log = options.log ?? ((message: string) => console.log(message));
  const clock = options.clock ?? systemClock;
  mkdirSync(options.dataDir, { recursive: true });
  const settingsPath = options.settingsPath ?? join(options.dataDir, 'settings.json');
  const databasePath = join(options.dataDir, 'aviation-workflow.sqlite');

  const { settings, problems: settingsProblems } = loadSettings(
    settingsPath,
    join(options.assetsRoot, 'resources', 'default-settings.json'),
  );

  const { sqlite, db } = openDatabase(databasePath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    applyMigrations(db, join(options.assetsRoot, 'src', 'core', 'db', 'migrations'), 'core');
  } catch (error) {
    sqlite.close();
    throw error;
  }

  const transaction = <T>(fn: () => T): T => sqlite.transaction(fn).immediate();
  const store = new WorkItemStore(db, clock);
  const background = createBackgroundReader(databasePath, options.nativeBinding);
  const host = startModules(options.modules ?? discoveredModules, settings.modules, {
    db,
    workItems: { get: (id) => store.get(id) },
    clock,
    assetsRoot: options.assetsRoot,
    transaction,
    background,
    log,
  });

  const parts = host.loaded.map((m) => m.parts);
  const service = new WorkItemService({
    store,
    clock,
    transaction,
    providers: parts.flatMap((p) => (p.workflowProvider ? [p.workflowProvider] : [])),
    guards: parts.flatMap((p) => p.guards ?? []),
    hintProviders: parts.flatMap((p) => (p.hints ? [p.hints] : [])),
    subscriptions: parts.flatMap((p) => (p.on ? [p.on] : [])),
  });

  // Without a sign-in module, whoever works at a terminal says who they are.
  const defaultActor: Actor = { id: operatorId(settings.operator.name), name: settings.operator.name };
  const operators = new Map<string, Actor>();
  const actorFor = (session: string) => operators.get(session) ?? defaultActor;

  const problems = [...settingsProblems, ...host.problems];
  for (const problem of problems) log(`Problem: ${problem}`);
  let restartRequired = false;

  const status = (session = DEFAULT_SESSION): AppStatus => ({
    appVersion: options.appVersion ?? '0.0.0',
    actor: actorFor(session),
    dataDir: options.dataDir,
    settingsPath,
    databasePath,
    modules: host.statuses,
    restartRequired,
    canRestart: options.restart !== undefined,
    canPrintPdf: options.printItem !== undefined,
    problems,
  });

  const setModuleEnabled = (name: string, enabled: boolean) => {
    if (!host.statuses.some((m) => m.name === name)) {
      throw new AppError('NOT_FOUND', `There is no module "${name}" installed.`, { name });
    }
    updateSettings(settingsPath, (current) => ({
      ...current,
      modules: { ...current.modules, [name]: { ...current.modules[name], enabled } },
    }));
    restartRequired = true;
    return { restartRequired: true };
  };

  const listeners = new Set<(channel: string) => void>();
  const groups: ChannelGroup[] = [
    {
      contract: coreContract,
      handlers: coreHandlers({
        service,
        store,
        clock,
        status: (call) => status(call.session),
        setOperator: (name, call) => {
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
          return options.printItem(id);
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
  ];
  const table = buildHandlerTable({
    groups,
    channelOwners: host.channelOwners,
    callContext: (session) => ({ actor: actorFor(session), session }),
    onCommandDone: (channel) => listeners.forEach((l) => l(channel)),
    logError: (channel, error) => log(`Unexpected error in ${channel}: ${(error as Error)?.stack ?? String(error)}`),
  });

  return {
    invoke: table.invoke,
    channels: table.channels,
    status,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      void background.close();
      sqlite.close();
    },
  };
}
