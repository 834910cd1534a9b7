import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../shared/errors';
import { StartupError } from '../startupError';
import { settingsSchema, type Settings } from './schema';

export interface LoadedSettings {
  settings: Settings;
  /** Problems a person should read: a broken file, what was used instead. */
  problems: string[];
  /**
   * What the app last ran with (settings.json.last-good), if readable: a module whose config in
   * the file is invalid runs with its entry here instead of being switched off.
   */
  lastGood: Settings | null;
  /** The settings file itself was used (not a fallback): the app then notes what it runs with as the last good. */
  fromFile: boolean;
}

export const lastGoodPath = (path: string) => `${path}.last-good`;

/** How many earlier versions of the settings file are kept in settings-history/. */
export const SETTINGS_HISTORY_KEPT = 20;
let historyCounter = 0;

/**
 * Copies the file as it is now into settings-history/ before the app changes it, so what a
 * person wrote by hand (comments, formatting) is never lost; keeps the newest few copies.
 */
function keepHistoryCopy(path: string): void {
  const folder = join(dirname(path), 'settings-history');
  mkdirSync(folder, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const name = basename(path).replace(/\.json$/, '');
  // Several changes can land in one millisecond; the counter keeps each copy and their order.
  copyFileSync(path, join(folder, `${name}-${stamp}-${String(historyCounter++).padStart(6, '0')}.json`));
  const copies = readdirSync(folder)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json'))
    .sort();
  for (const old of copies.slice(0, Math.max(0, copies.length - SETTINGS_HISTORY_KEPT))) rmSync(join(folder, old));
}

/** Writes via a temp file and rename, so a crash mid-write never leaves half a settings file. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, content, { encoding: 'utf8', flush: true });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true }); // a half-written copy (a full disk) is not left behind
    throw error;
  }
}

function parse(path: string): { ok: true; settings: Settings } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { ok: false, reason: `it is not valid JSON (${(error as Error).message})` };
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
    return { ok: false, reason: `it does not match the expected shape${where}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, settings: parsed.data };
}

/**
 * Reads the settings file, creating it from the shipped defaults on first run. A broken file
 * is never overwritten: the last good copy is used and the problem reported; if that is broken
 * too, the built-in defaults. Writes nothing else: what the app runs with is noted as the last
 * good settings once its modules have checked their configs (saveLastGood).
 */
export function loadSettings(path: string, defaultsPath: string): LoadedSettings {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(defaultsPath, path);
  }
  const current = parse(path);
  const lastGoodFile = lastGoodPath(path);
  const lastGood = existsSync(lastGoodFile) ? parse(lastGoodFile) : null;
  const lastGoodSettings = lastGood?.ok ? lastGood.settings : null;
  if (current.ok) return { settings: current.settings, problems: [], lastGood: lastGoodSettings, fromFile: true };
  if (lastGoodSettings) {
    return {
      settings: lastGoodSettings,
      problems: [`The settings file ${path} was not used because ${current.reason}. Using the last good settings (${lastGoodFile}) until it is fixed.`],
      lastGood: lastGoodSettings,
      fromFile: false,
    };
  }
  const defaults = parse(defaultsPath);
  if (!defaults.ok) {
    throw new StartupError(
      'SETTINGS',
      `The settings file ${path} cannot be used (${current.reason}), there is no good copy of it, and the built-in defaults ${defaultsPath} cannot be read (${defaults.reason}). Fix ${path} by hand, or reinstall the app.`,
    );
  }
  const lastGoodToo = lastGood && !lastGood.ok ? `, and its last good copy ${lastGoodFile} cannot be used either (${lastGood.reason})` : '';
  return {
    settings: defaults.settings,
    problems: [`The settings file ${path} was not used because ${current.reason}${lastGoodToo}. Using the built-in defaults until it is fixed.`],
    lastGood: null,
    fromFile: false,
  };
}

/**
 * Notes what the app runs with as the last good settings: the file as read, except a module whose
 * config was invalid keeps the config it ran with. Best effort (a full disk or read-only folder
 * must not stop the start): returns the problem, or null.
 */
export function saveLastGood(path: string, settings: Settings): string | null {
  try {
    writeFileAtomic(lastGoodPath(path), JSON.stringify(settings, null, 2) + '\n');
    return null;
  } catch (error) {
    return `The last good copy of the settings (${lastGoodPath(path)}) could not be written (${(error as Error).message}); a broken settings file would start with older settings.`;
  }
}

/**
 * Changes the settings file through `change` and writes it atomically. Refuses (changing
 * nothing) while the file on disk is broken, so a hand edit in progress is never lost.
 */
export function updateSettings(path: string, change: (settings: Settings) => Settings): Settings {
  const current = parse(path);
  if (!current.ok) {
    throw new AppError('VALIDATION', `The settings file ${path} cannot be changed here because ${current.reason}. Fix it by hand first.`);
  }
  const next = settingsSchema.parse(change(current.settings));
  const text = JSON.stringify(next, null, 2) + '\n';
  keepHistoryCopy(path);
  writeFileAtomic(path, text);
  // The same change to the last good copy, which keeps the configs the modules last ran with
  // (the file may hold an invalid one they do not use).
  // Best effort, like at start: the change is made once settings.json holds it.
  const lastGood = existsSync(lastGoodPath(path)) ? parse(lastGoodPath(path)) : null;
  const nextGood = lastGood?.ok ? settingsSchema.safeParse(change(lastGood.settings)) : null;
  saveLastGood(path, nextGood?.success ? nextGood.data : next);
  return next;
}
