import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../shared/errors';
import { settingsSchema, type Settings } from './schema';

export interface LoadedSettings {
  settings: Settings;
  /** Problems a person should read: a broken file, what was used instead. */
  problems: string[];
}

const lastGoodPath = (path: string) => `${path}.last-good`;

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
  writeFileSync(temp, content, { encoding: 'utf8', flush: true });
  renameSync(temp, path);
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
 * is never overwritten: the last good copy (or the defaults) is used and the problem reported.
 */
export function loadSettings(path: string, defaultsPath: string): LoadedSettings {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(defaultsPath, path);
  }
  const current = parse(path);
  if (current.ok) {
    writeFileAtomic(lastGoodPath(path), JSON.stringify(current.settings, null, 2) + '\n');
    return { settings: current.settings, problems: [] };
  }
  const fallbackPath = existsSync(lastGoodPath(path)) ? lastGoodPath(path) : defaultsPath;
  const fallback = parse(fallbackPath);
  if (!fallback.ok) throw new Error(`Neither ${path} nor ${fallbackPath} could be read: ${fallback.reason}`);
  const used = fallbackPath === defaultsPath ? 'the built-in defaults' : 'the last good settings';
  return {
    settings: fallback.settings,
    problems: [`The settings file ${path} was not used because ${current.reason}. Using ${used} until it is fixed.`],
  };
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
  writeFileAtomic(lastGoodPath(path), text);
  return next;
}
