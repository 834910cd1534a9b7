import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The product switches sign-in (the users module) on; most tests predate it and run as the
 * anonymous operator. So tests start with users off unless they ask: `true`, or its config.
 * Switching it off by hand once people exist is what the core refuses (it starts locked, see
 * src/core/signInGuard.ts): a test that means to run without sign-in after people were added
 * switches it off as an administrator (modules.setEnabled), as modules/users/tests/failClosed.test.ts does.
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
  // Modules that need sign-in (dependsOn users) go off with it, so a test without sign-in starts
  // without the "needs module users" start-up problem. With sign-in on they stay as the file says.
  if (users === false) {
    for (const name of modulesNeedingUsers(root)) modules[name] = { ...(modules[name] ?? {}), enabled: false };
  }
  const text = JSON.stringify(settings, null, 2);
  // Unchanged: not rewritten (the folder may be read-only on purpose).
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
}

/** Module folders whose index.ts declares a dependency on users (read as text: tests never import module code here). */
function modulesNeedingUsers(root: string): string[] {
  const dir = join(root, 'modules');
  return readdirSync(dir).filter((name) => {
    const index = join(dir, name, 'index.ts');
    return existsSync(index) && /dependsOn:\s*\[[^\]]*['"]users['"]/.test(readFileSync(index, 'utf8'));
  });
}
