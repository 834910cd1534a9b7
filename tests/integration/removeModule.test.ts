import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHarness } from '../support/harness';
import { projectRoot } from '../support/tempApp';

/**
 * The promise of the module system: delete a module's folder and the app still type-checks,
 * builds, starts and runs the core workflow. Type-checking holds because nothing outside a
 * module's folder imports from it (checked below, over every import in the app's source);
 * the build and the run are done for real on a copy of the project without the folder.
 */
const modules = readdirSync(join(projectRoot, 'modules'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const copies: string[] = [];
// Removing the copies (the project's source, several times over) can take a while on a busy disk.
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })), 120_000);

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

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every relative import (static, dynamic, type-only, re-export, require) in a file, resolved. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+|require\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.map((s) => resolve(dirname(file), s));
}

describe('module boundaries', () => {
  it("nothing outside a module's folder imports from it (only discovery globs reach into modules/)", () => {
    const modulesDir = join(projectRoot, 'modules');
    const files = [...sourceFiles(join(projectRoot, 'src')), ...sourceFiles(modulesDir), join(projectRoot, 'electron.vite.config.ts')];
    const violations: string[] = [];
    for (const file of files) {
      const own = file.startsWith(modulesDir + sep) ? relative(modulesDir, file).split(sep)[0] : null;
      for (const target of importsOf(file)) {
        if (!target.startsWith(modulesDir + sep)) continue;
        const owner = relative(modulesDir, target).split(sep)[0];
        if (owner !== own) violations.push(`${relative(projectRoot, file)} imports ${relative(projectRoot, target)}`);
      }
    }
    expect(violations).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });

  it('the check sees a violation when there is one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-boundary-'));
    copies.push(dir);
    const file = join(dir, 'probe.ts');
    const probe = `import type { X } from '../modules/users/contract';\nexport { y } from "./y";\nconst z = await import('../z');\n`;
    writeFileSync(file, probe);
    expect(importsOf(file)).toEqual([resolve(dir, '../modules/users/contract'), resolve(dir, 'y'), resolve(dir, '../z')]);
  });
});

describe.each(modules)('with modules/%s deleted', (moduleName) => {
  it('builds, starts and runs an item to completed', async () => {
    const dir = copyProjectWithout(moduleName);
    const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: dir, stdio: 'pipe' });
    run([join(dir, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);

    const harness = await runHarness(dir, ['--fresh']);
    try {
      const html = await (await fetch(harness.url)).text();
      expect(html).toContain('<div id="root">');
      const status = await post(harness.url, 'app.status', {});
      expect(status.ok).toBe(true);
      expect(status.value.modules.map((m: { name: string }) => m.name)).not.toContain(moduleName);
      const created = await post(harness.url, 'workItems.create', { title: 'Still works', steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true });
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
