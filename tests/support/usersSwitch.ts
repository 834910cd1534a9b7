import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The product switches sign-in (the users module) on; most tests predate it and run as the
 * anonymous operator. So tests start with users off unless they ask: `true`, or its config.
 */
export type UsersOption = boolean | Record<string, unknown>;

/**
 * Writes the users module's switch into the data folder's settings file before the app starts:
 * into the file a test already wrote, or into a copy of the shipped defaults. A file that is not
 * valid JSON is left alone (tests of broken settings). Nothing happens where modules/users is absent.
 */
export function applyUsersSwitch(root: string, dataDir: string, users: UsersOption = false): void {
  if (!existsSync(join(root, 'modules', 'users'))) return;
  const path = join(dataDir, 'settings.json');
  let settings: { modules?: Record<string, { enabled: boolean; config?: unknown }> } & Record<string, unknown>;
  try {
    settings = JSON.parse(readFileSync(existsSync(path) ? path : join(root, 'resources', 'default-settings.json'), 'utf8'));
  } catch {
    return;
  }
  if (typeof settings !== 'object' || settings === null) return;
  const modules = (settings.modules ??= {});
  const entry = modules['users'] ?? { enabled: false };
  modules['users'] =
    typeof users === 'object'
      ? { ...entry, enabled: true, config: { ...((entry.config as object) ?? {}), ...users } }
      : { ...entry, enabled: users };
  writeFileSync(path, JSON.stringify(settings, null, 2));
}
