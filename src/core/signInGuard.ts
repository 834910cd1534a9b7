import { eq } from 'drizzle-orm';
import type { ModuleStatus } from '../shared/types';
import type { Db } from './db/connection';
import { signInInForce } from './db/schema';
import { failedModuleWith, type DiscoveredModule } from './modules/host';
import type { Settings } from './settings/schema';

/**
 * Sign-in must not be switched off behind the app's back. Once a sign-in module (providesIdentity)
 * has people, the database remembers it (core_sign_in); a start without that module, unless an
 * administrator switched it off from the app (which forgets it, audited), is locked: every call
 * but app.status is refused, and the start-up problems say which file to fix and how. Without
 * this, `"enabled": false` typed into settings.json made everyone an administrator and approvals
 * unsigned, silently.
 */
export interface SignInLock {
  module: string;
  /** For the start-up problems: what is wrong, in which file, and the fix. */
  problem: string;
  /** The SIGNED_OUT message every refused call gets. */
  refusal: string;
}

export function signInMemory(db: Db) {
  return {
    /** Sign-in modules this database relies on. */
    remembered: (): string[] => db.select({ module: signInInForce.module }).from(signInInForce).all().map((r) => r.module),
    remember(module: string, at: number): void {
      db.insert(signInInForce).values({ module, since: at }).onConflictDoNothing().run();
    },
    /** An administrator switched the module off from the app: the database no longer needs it. */
    forget(module: string): void {
      db.delete(signInInForce).where(eq(signInInForce.module, module)).run();
    },
  };
}

/**
 * The lock for a start where no sign-in module runs: one the database relies on is missing, or
 * one that is switched on could not start (then nobody could sign in anyway). Null: not locked.
 */
export function signInLock(input: {
  remembered: string[];
  discovered: DiscoveredModule[];
  statuses: ModuleStatus[];
  settings: Settings;
  settingsPath: string;
}): SignInLock | null {
  const { settingsPath } = input;
  // Switched on but failed (a dependency off, its tables unreadable): nobody can sign in, whether or not it had people yet.
  const failed = failedModuleWith(input.discovered, input.statuses, 'providesIdentity');
  const name = failed?.definition.name ?? input.remembered[0];
  if (!name) return null;
  const needed = `Sign-in is required for this database: people sign in with the "${name}" module`;
  const status = input.statuses.find((s) => s.name === name);
  if (failed || status?.state === 'failed') {
    return {
      module: name,
      problem: `${needed}, but it could not start (${status?.problem ?? 'see above'}). Nobody can use the app until that is fixed in ${settingsPath}; then restart.`,
      refusal: `Nobody can sign in: the "${name}" module could not start. An administrator must fix the settings file (see the start-up problems).`,
    };
  }
  if (!input.discovered.some((m) => m.definition.name === name)) {
    return {
      module: name,
      problem: `${needed}, but it is not installed (its folder modules/${name} is missing from the app). Nobody can use the app until it is back: reinstall the app, then restart.`,
      refusal: `Nobody can sign in: the "${name}" module this database needs for signing in is not installed. Reinstall the app (see the start-up problems).`,
    };
  }
  const offByHand = input.settings.modules[name]?.enabled === false;
  return {
    module: name,
    problem:
      `${needed}, but ${offByHand ? `${settingsPath} switches it off ("enabled": false under "modules" → "${name}"), which was not done from the app` : 'it is not running'}. ` +
      `Nobody can use the app until it is back on: set "enabled": true for "${name}" in ${settingsPath} and restart. ` +
      '(To work without sign-in, an administrator switches the module off in Settings → Modules, which is recorded in the audit trail.)',
    refusal: `Nobody can sign in: the "${name}" module this database needs for signing in is switched off in the settings file. An administrator must switch it back on in ${settingsPath} (see the start-up problems).`,
  };
}
