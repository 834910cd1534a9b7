import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every module on except `alsoOff`; the users module (sign-in) only with `users: true` — the
 * database builder, the raw-floor probes and the site run's unsigned copies run without it. The
 * main bench measures with it on (bench/signedIn.ts).
 */
export function benchSettings(dataDir: string, root: string, alsoOff: string[] = [], options: { users?: boolean } = {}): void {
  const path = join(dataDir, 'settings.json');
  const settings = JSON.parse(readFileSync(existsSync(path) ? path : join(root, 'resources', 'default-settings.json'), 'utf8'));
  const modules = { ...settings.modules };
  for (const [name, module] of Object.entries(modules)) modules[name] = { ...(module as object), enabled: !alsoOff.includes(name) };
  settings.modules = { ...modules, users: { ...(modules.users ?? {}), enabled: options.users === true } };
  writeFileSync(path, JSON.stringify(settings, null, 2));
}
