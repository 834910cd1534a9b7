import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHarness } from '../support/harness';
import { projectRoot } from '../support/tempApp';

/**
 * The promise of the module system: delete a module's folder and the app still type-checks,
 * builds, starts and runs the core workflow. Done for real on a copy of the project.
 */
const modules = readdirSync(join(projectRoot, 'modules'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function copyProjectWithout(moduleName: string): string {
  const dir = mkdtempSync(join(tmpdir(), `aw-without-${moduleName}-`));
  copies.push(dir);
  for (const entry of ['src', 'modules', 'resources', 'tests/support', 'package.json', 'electron.vite.config.ts', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json']) {
    cpSync(join(projectRoot, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  rmSync(join(dir, 'modules', moduleName), { recursive: true });
  return dir;
}

const post = async (url: string, channel: string, input: unknown): Promise<any> =>
  (await fetch(`${url}__api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })).json();

describe.each(modules)('with modules/%s deleted', (moduleName) => {
  it('type-checks, builds, starts and runs an item to completed', async () => {
    const dir = copyProjectWithout(moduleName);
    const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, stdio: 'pipe' });
    run([join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.node.json', '--noEmit']);
    run([join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.web.json', '--noEmit']);
    run([join(dir, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);

    const harness = await runHarness(dir, ['--fresh']);
    try {
      const html = await (await fetch(harness.url)).text();
      expect(html).toContain('<div id="root">');
      const status = await post(harness.url, 'app.status', {});
      expect(status.ok).toBe(true);
      expect(status.value.modules.map((m: { name: string }) => m.name)).not.toContain(moduleName);
      const created = await post(harness.url, 'workItems.create', { title: 'Still works', steps: [{ name: 'A' }, { name: 'B' }], submit: true });
      expect(created.ok).toBe(true);
      let item = created.value;
      for (let i = 0; i < 2; i++) {
        const r = await post(harness.url, 'workItems.approve', { id: item.id, expectedVersion: item.version });
        expect(r.ok).toBe(true);
        item = r.value;
      }
      expect(item.status).toBe('completed');
      const gone = await post(harness.url, `${moduleName}.list`, {});
      expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      await harness.stop();
    }
  }, 120_000);
});
