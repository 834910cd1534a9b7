import { _electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The real Electron app: built main + preload + renderer, launched by Playwright. Needs the
 * Electron binary (`node node_modules/electron/install.js`); skipped with a reason where it is
 * missing. On a headless Linux box run it under a display (e.g. `xvfb-run npx playwright test tests/electron`).
 */

const projectRoot = resolve(import.meta.dirname, '../..');
const mainScript = join(projectRoot, 'out', 'main', 'index.js');
const screenshotDir = join(projectRoot, 'test-results', 'screenshots');
const require = createRequire(import.meta.url);

/**
 * The Electron executable, or why there is none. require('electron') returns the path string, but
 * since Electron 4x it also starts a download when the binary is missing (and throws if that fails),
 * so look at node_modules/electron/path.txt and dist/ first and only then ask require('electron').
 */
function findElectron(): { path: string; exists: boolean } {
  const electronDir = dirname(require.resolve('electron/package.json'));
  const exeName =
    process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const pathTxt = join(electronDir, 'path.txt');
  const recorded = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : exeName;
  const expected = join(process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(electronDir, 'dist'), recorded);
  if (!existsSync(pathTxt) || !existsSync(expected)) return { path: expected, exists: false };
  try {
    const binary = require('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { path: binary, exists: true };
    return { path: String(binary), exists: false };
  } catch {
    return { path: expected, exists: false };
  }
}

const electron = findElectron();
const skipReason = `Electron binary not installed: ${electron.path} missing; this machine cannot download it. Runs wherever \`node node_modules/electron/install.js\` has fetched it.`;
// The list reporter shows a skipped test without its reason: say it once, while the runner collects tests.
if (!electron.exists && process.env['TEST_WORKER_INDEX'] === undefined) process.stderr.write(`tests/electron: skipped. ${skipReason}\n`);

test.describe('Electron app', () => {
  test.skip(!electron.exists, skipReason);

  let app: ElectronApplication | undefined;
  let dataDir = '';

  test.beforeEach(() => {
    if (!existsSync(mainScript)) throw new Error('The app is not built: run `npm run build` first.');
    dataDir = mkdtempSync(join(tmpdir(), 'aw-electron-'));
  });

  test.afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function launch(): Promise<ElectronApplication> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    env['AVIATION_WORKFLOW_DATA_DIR'] = dataDir;
    delete env['ELECTRON_RUN_AS_NODE'];
    delete env['ELECTRON_RENDERER_URL'];
    return _electron.launch({
      executablePath: electron.path,
      // Chromium refuses to start as root without --no-sandbox (CI containers); the renderer's
      // sandbox: true webPreference, checked below, is unaffected by this switch.
      args: [...(process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : []), mainScript],
      env,
      timeout: 30_000,
    });
  }

  test('opens a hardened window with the typed API and a working core', async () => {
    app = await launch();

    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    await expect(page).toHaveTitle('Aviation Workflow');

    // The preload exposes exactly the typed API; nothing of Node reaches the page.
    const exposed = await page.evaluate(() => {
      const g = globalThis as unknown as { api?: Record<string, unknown>; require?: unknown; process?: unknown; module?: unknown };
      return {
        api: typeof g.api,
        list: typeof g.api?.['workItems.list'],
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
      };
    });
    expect(exposed).toEqual({ api: 'object', list: 'function', require: 'undefined', process: 'undefined', module: 'undefined' });

    // A round trip through IPC to the real core, using the data folder given in the environment.
    const status = await page.evaluate(() =>
      (globalThis as unknown as { api: Record<string, (input: unknown) => Promise<unknown>> }).api['app.status']!({}),
    );
    expect(status).toMatchObject({ ok: true, value: { dataDir } });

    // New windows are denied by the main process.
    const opened = await page.evaluate(() => {
      const g = globalThis as unknown as { open: (url: string) => unknown };
      return g.open('https://example.com/') === null;
    });
    expect(opened).toBe(true);

    const prefs = await app.evaluate(({ BrowserWindow }) => {
      // getLastWebPreferences() is real but missing from electron.d.ts.
      type Flags = Partial<Record<'contextIsolation' | 'sandbox' | 'nodeIntegration' | 'nodeIntegrationInSubFrames' | 'webSecurity' | 'webviewTag', boolean>>;
      const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as { getLastWebPreferences?: () => Flags | null } | undefined;
      if (typeof contents?.getLastWebPreferences !== 'function') return 'webContents.getLastWebPreferences() is not available';
      const p = contents.getLastWebPreferences();
      return p
        ? {
            contextIsolation: p.contextIsolation,
            sandbox: p.sandbox,
            nodeIntegration: p.nodeIntegration,
            nodeIntegrationInSubFrames: p.nodeIntegrationInSubFrames,
            webSecurity: p.webSecurity,
            webviewTag: p.webviewTag,
          }
        : null;
    });
    expect(prefs).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });

    await page.locator('#root > *').first().waitFor({ timeout: 15_000 });
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'electron-dashboard.png') });
  });

  test('serves the page from app:// only, with its own menu, and developer tools only in development', async () => {
    app = await launch();
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    await page.locator('#root > *').first().waitFor({ timeout: 15_000 });

    // The page (and its module scripts) came from app://aviation-workflow, a secure origin of its own.
    expect(page.url()).toMatch(/^app:\/\/aviation-workflow\/index\.html/);
    expect(await page.evaluate(() => ({ origin: location.origin, secure: isSecureContext }))).toEqual({ origin: 'app://aviation-workflow', secure: true });

    // The protocol serves the renderer's files with their types and nothing from outside the folder.
    const answers = await page.evaluate(async () => {
      const status = async (path: string) => (await fetch(path)).status;
      const script = document.querySelector('script[type="module"]')?.getAttribute('src') ?? '';
      const js = await fetch(script);
      return {
        scriptType: js.headers.get('content-type'),
        scriptStatus: js.status,
        traversal: await status('/..%2f..%2fpackage.json'),
        encodedDots: await status('/%2e%2e%2f%2e%2e%2fpackage.json'),
        backslashes: await status('/..%5c..%5cpackage.json'),
        nul: await status('/index.html%00.js'),
        missing: await status('/no-such-file.js'),
      };
    });
    expect(answers).toEqual({ scriptType: 'text/javascript; charset=utf-8', scriptStatus: 200, traversal: 403, encodedDots: 403, backslashes: 403, nul: 400, missing: 404 });

    // file:// is not the app: the page cannot read it nor navigate to it, and its IPC would be refused.
    expect(await page.evaluate(() => fetch('file:///etc/hostname').then(() => 'read', () => 'refused'))).toBe('refused');
    await page.evaluate(() => {
      location.href = 'file:///etc/hostname';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/aviation-workflow\//);

    // Every permission is refused, checks included.
    expect(await page.evaluate(async () => (await navigator.permissions.query({ name: 'notifications' as PermissionName })).state)).toBe('denied');

    // The app's own menu: Edit, Window, Help with the version; Reload and DevTools only unpackaged.
    const menu = await app.evaluate(({ app: electronApp, Menu }) => {
      const items = Menu.getApplicationMenu()?.items ?? [];
      return {
        isPackaged: electronApp.isPackaged,
        version: electronApp.getVersion(),
        top: items.map((item) => item.label),
        roles: items.flatMap((item) => (item.submenu?.items ?? []).map((sub) => String(sub.role ?? '').toLowerCase())),
        help: (items.find((item) => item.label === 'Help')?.submenu?.items ?? []).map((sub) => sub.label),
      };
    });
    expect(menu.top).toEqual(expect.arrayContaining(['Edit', 'View', 'Window', 'Help']));
    expect(menu.roles).toEqual(expect.arrayContaining(['copy', 'paste', 'minimize']));
    expect(menu.help).toContain(`Aviation Workflow ${menu.version}`);
    for (const role of ['reload', 'forcereload', 'toggledevtools']) expect(menu.roles.includes(role), role).toBe(!menu.isPackaged);

    // Developer tools open only where the app is not packaged (devTools: !app.isPackaged).
    const devTools = await app.evaluate(async ({ app: electronApp, BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents;
      contents.openDevTools({ mode: 'detach' });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const opened = contents.isDevToolsOpened();
      contents.closeDevTools();
      return { isPackaged: electronApp.isPackaged, opened };
    });
    expect(devTools.opened).toBe(!devTools.isPackaged);
  });
});
