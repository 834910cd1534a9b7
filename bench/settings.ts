import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The bench measures the workflow without sign-in: with the users module on, every approval
 * is an e-signature whose PIN check is a deliberately slow, memory-hard scrypt (~100 ms), which
 * would measure the KDF, not the app. The other default modules stay on.
 */
export function benchSettings(dataDir: string, root: string, alsoOff: string[] = []): void {
  const path = join(dataDir, 'settings.json');
  const settings = JSON.parse(readFileSync(existsSync(path) ? path : join(root, 'resources', 'default-settings.json'), 'utf8'));
  const modules = { ...settings.modules };
  for (const [name, module] of Object.entries(modules)) modules[name] = { ...(module as object), enabled: !alsoOff.includes(name) };
  settings.modules = { ...modules, users: { ...(modules.users ?? {}), enabled: false } };
  writeFileSync(path, JSON.stringify(settings, null, 2));
}
