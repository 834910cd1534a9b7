import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelMap } from '../../shared/channel';
import type { ModuleState, ModuleStatus, WorkItem } from '../../shared/types';
import type { Clock } from '../clock';
import { applyMigrations, type Db } from '../db/connection';
import type { ModuleSettings } from '../settings/schema';
import type { Storage } from '../storage/port';
import type { ModuleContext, ModuleDefinition, ModuleParts } from './types';

export interface DiscoveredModule {
  folder: string;
  definition: ModuleDefinition;
}

export interface LoadedModule {
  definition: ModuleDefinition;
  parts: ModuleParts<ChannelMap>;
}

export interface HostResult {
  loaded: LoadedModule[];
  statuses: ModuleStatus[];
  problems: string[];
  /** Channels of every discovered module, loaded or not, so a call to a disabled one can say so. */
  channelOwners: Map<string, string>;
  /**
   * Modules whose config in the settings file is invalid and that run on another instead: the
   * config they run with, as written in the last good settings (undefined: their defaults).
   */
  configFallbacks: Map<string, unknown>;
}

export interface HostDeps {
  db: Db;
  storage: Storage;
  workItems: { get(id: number): WorkItem | null };
  clock: Clock;
  assetsRoot: string;
  transaction<T>(fn: () => T): T;
  background: ModuleContext<unknown>['background'];
  recordChange: ModuleContext<unknown>['recordChange'];
  soon: ModuleContext<unknown>['soon'];
  /** Called as each module starts, so what later modules report during their setup reaches it. */
  started?(parts: ModuleParts<ChannelMap>): void;
  log(message: string): void;
  dataDir: string;
  openFile: ModuleContext<unknown>['openFile'];
  inspectFile: ModuleContext<unknown>['inspectFile'];
  restart: ModuleContext<unknown>['restart'];
  durableSessions: boolean;
  /** What each module last ran with (settings.json.last-good): where an invalid config falls back to. */
  lastGood?: Record<string, ModuleSettings>;
  /** The settings file, named in problems. */
  settingsPath?: string;
}

interface Candidate {
  definition: ModuleDefinition;
  state: ModuleState;
  problem?: string;
  config?: unknown;
}

type ConfigIssues = { issues: { path: PropertyKey[]; message: string }[] };

function describeIssue(error: ConfigIssues): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? ` at "${issue.path.map(String).join('.')}"` : '';
  return `${where}: ${issue?.message ?? 'invalid'}`;
}

function describeConfigError(name: string, error: ConfigIssues): string {
  return `Module "${name}" is disabled: its config in the settings file is invalid${describeIssue(error)}.`;
}

/** Checks what a module declares about itself; returns a problem or null. */
function checkShape(folder: string, def: ModuleDefinition): string | null {
  if (def.name !== folder) return `Module folder "${folder}" declares the name "${def.name}"; they must match.`;
  for (const channel of Object.keys(def.contract ?? {})) {
    if (!channel.startsWith(`${def.name}.`)) return `Module "${def.name}" declares channel "${channel}" outside its "${def.name}." namespace.`;
  }
  return null;
}

/** Orders modules so each comes after what it depends on; a cycle or missing dependency fails the module. */
function resolveDependencies(candidates: Map<string, Candidate>, discovered: Set<string>): Candidate[] {
  const ordered: Candidate[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();

  const visit = (candidate: Candidate): boolean => {
    const name = candidate.definition.name;
    if (done.has(name)) return candidate.state === 'enabled';
    if (visiting.has(name)) {
      candidate.state = 'failed';
      candidate.problem = `Module "${name}" is disabled: it is part of a dependency cycle.`;
      return false;
    }
    visiting.add(name);
    if (candidate.state === 'enabled') {
      for (const dep of candidate.definition.dependsOn ?? []) {
        const needed = candidates.get(dep);
        const why = !discovered.has(dep)
          ? 'is not installed'
          : needed?.state === 'disabled'
            ? 'is switched off in the settings file'
            : 'could not be started';
        if (!needed || !visit(needed) || needed.state !== 'enabled') {
          candidate.state = 'failed';
          candidate.problem = `Module "${name}" is disabled: it needs module "${dep}", which ${why}.`;
          break;
        }
      }
      // An optional dependency only orders the start: started first if it can be, not needed.
      for (const dep of candidate.definition.optionalDependsOn ?? []) {
        const wanted = candidates.get(dep);
        if (wanted && !visiting.has(dep)) visit(wanted);
      }
    }
    visiting.delete(name);
    done.add(name);
    ordered.push(candidate);
    return candidate.state === 'enabled';
  };

  const all = [...candidates.values()];
  for (const candidate of [...all.filter((c) => c.definition.startsFirst), ...all.filter((c) => !c.definition.startsFirst)]) visit(candidate);
  return ordered;
}

/**
 * Starts the enabled modules: validates each one's config, resolves dependencies, applies its
 * migrations and runs its setup. A module that fails is disabled with a message; the app goes on.
 * A disabled module's tables are left alone, so switching it back on brings its data back.
 */
export function startModules(
  discovered: DiscoveredModule[],
  settings: Record<string, ModuleSettings>,
  deps: HostDeps,
): HostResult {
  const problems: string[] = [];
  const channelOwners = new Map<string, string>();
  const candidates = new Map<string, Candidate>();
  const configFallbacks = new Map<string, unknown>();

  for (const [name] of Object.entries(settings)) {
    if (!discovered.some((m) => m.folder === name)) {
      problems.push(`The settings file mentions module "${name}", which is not installed; it was ignored.`);
    }
  }

  for (const { folder, definition } of discovered) {
    const shapeProblem = checkShape(folder, definition);
    if (shapeProblem) {
      problems.push(shapeProblem);
      continue;
    }
    for (const channel of Object.keys(definition.contract ?? {})) channelOwners.set(channel, definition.name);
    const entry = settings[definition.name];
    if (entry && !entry.enabled) {
      candidates.set(definition.name, { definition, state: 'disabled' });
      continue;
    }
    const schema = definition.configSchema;
    const parsed = schema ? schema.safeParse(entry?.config ?? {}) : { success: true as const, data: entry?.config };
    if (parsed.success) {
      candidates.set(definition.name, { definition, state: 'enabled', config: parsed.data });
      continue;
    }
    // An invalid config (a typo by hand) does not switch a module off when it can run with what it
    // last ran with: it does, and says so. Without that, a sign-in module runs with its defaults
    // (switching it off would let nobody in); any other is disabled, since its defaults may be wrong
    // for this site (the departments a first run seeds).
    const lastGood = deps.lastGood?.[definition.name];
    const fallbacks = [
      ...(lastGood ? [{ raw: lastGood.config, what: `its last good config (kept in ${deps.settingsPath ? `${deps.settingsPath}.last-good` : 'the last good settings'})` }] : []),
      ...(definition.providesIdentity ? [{ raw: undefined, what: 'its default config' }] : []),
    ];
    const fallback = fallbacks
      .map((f) => ({ ...f, parsed: schema!.safeParse(f.raw ?? {}) }))
      .find((f) => f.parsed.success);
    if (!fallback?.parsed.success) {
      candidates.set(definition.name, { definition, state: 'failed', problem: describeConfigError(definition.name, parsed.error) });
      continue;
    }
    configFallbacks.set(definition.name, fallback.raw);
    const problem =
      `Module "${definition.name}" runs with ${fallback.what}: its config in ${deps.settingsPath ?? 'the settings file'} is invalid${describeIssue(parsed.error)}. ` +
      'Fix that value (or remove it to use the default) and restart.';
    candidates.set(definition.name, { definition, state: 'enabled', config: fallback.parsed.data, problem });
  }

  const ordered = resolveDependencies(candidates, new Set(discovered.map((m) => m.folder)));
  const loaded: LoadedModule[] = [];

  for (const candidate of ordered) {
    if (candidate.state !== 'enabled') continue;
    const { definition } = candidate;
    const missing = (definition.dependsOn ?? []).find((dep) => !loaded.some((m) => m.definition.name === dep));
    if (missing) {
      candidate.state = 'failed';
      candidate.problem = `Module "${definition.name}" is disabled: it needs module "${missing}", which could not be started.`;
      continue;
    }
    try {
      if (definition.hasMigrations) {
        const folder = join(deps.assetsRoot, 'modules', definition.name, 'migrations');
        if (!existsSync(folder)) throw new Error(`its migrations folder ${folder} is missing`);
        applyMigrations(deps.db, folder, definition.name);
      }
      const parts = definition.setup({
        db: deps.db,
        storage: deps.storage,
        workItems: deps.workItems,
        config: candidate.config,
        clock: deps.clock,
        transaction: deps.transaction,
        background: deps.background,
        recordChange: deps.recordChange,
        soon: deps.soon,
        dataDir: deps.dataDir,
        openFile: deps.openFile,
        inspectFile: deps.inspectFile,
        restart: deps.restart,
        durableSessions: deps.durableSessions,
        log: (message) => deps.log(`[${definition.name}] ${message}`),
        use: <T>(name: string): T => {
          if (![...(definition.dependsOn ?? []), ...(definition.optionalDependsOn ?? [])].includes(name)) {
            throw new Error(`module "${definition.name}" uses "${name}" without declaring it in dependsOn or optionalDependsOn`);
          }
          return loaded.find((m) => m.definition.name === name)?.parts.exports as T;
        },
        audited: () => loaded.flatMap((m) => (m.parts.audited ? [{ ...m.parts.audited, module: m.definition.name }] : [])),
      });
      loaded.push({ definition, parts: parts as ModuleParts<ChannelMap> });
      deps.started?.(parts as ModuleParts<ChannelMap>);
    } catch (error) {
      candidate.state = 'failed';
      candidate.problem = `Module "${definition.name}" could not be started: ${(error as Error).message}`;
    }
  }

  for (const candidate of ordered) if (candidate.problem) problems.push(candidate.problem);

  const statuses: ModuleStatus[] = ordered
    .map((c) => ({
      name: c.definition.name,
      version: c.definition.version,
      description: c.definition.description,
      dependsOn: c.definition.dependsOn ?? [],
      state: c.state,
      ...(c.problem ? { problem: c.problem } : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

  return { loaded, statuses, problems, channelOwners, configFallbacks };
}

/** The first module declaring `flag` (it signs people in, it offers workflows) that is switched on but could not start. */
export function failedModuleWith(discovered: DiscoveredModule[], statuses: ModuleStatus[], flag: 'providesIdentity' | 'providesWorkflows'): DiscoveredModule | undefined {
  return discovered.find((m) => m.definition[flag] && statuses.some((s) => s.name === m.definition.name && s.state === 'failed'));
}
