import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell, type WebContents } from 'electron';
import type { CoreApp } from '../core/app';
import { siteTerminalHost } from '../terminal/siteTerminalHost';
import { standaloneHost } from '../terminal/standaloneHost';
import type { TerminalHost } from '../terminal/terminalHost';
import { terminalConfig, type CredentialVault } from '../terminal/terminalConfig';
import { createAppOrRecover, describeDamage, recoveryChoices } from '../core/recovery';
import { CHANGED_EVENT } from '../shared/events';
import { allChannelNames } from '../shared/moduleContracts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appPageUrl, handleAppRequest } from './appProtocol';
import electronLog from 'electron-log/main';
import { appLog, goneMessage, rendererErrorLine, rotateLogFiles, type AppLog } from './appLog';
import { buildMenuTemplate } from './menu';
import { boundsToOpen, MIN_SIZE, readWindowState, writeWindowState } from './windowState';
import {
  CONTENT_SECURITY_POLICY,
  debuggingSwitches,
  decideWindowOpen,
  guardIpc,
  isAppUrl,
  permissionCheckHandler,
  permissionRequestHandler,
  secureWebPreferences,
} from './security';

const here = import.meta.dirname;
const rendererDir = join(here, '../renderer');
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const projectRoot = join(here, '../..');
const preloadPath = join(here, '../preload/index.cjs');
/** Every window's webPreferences; developer tools only in development. */
const webPreferences = () => secureWebPreferences(preloadPath, { devTools: !app.isPackaged });

/** Unpackaged, Node's build of better-sqlite3 serves the tests; Electron loads its own from .native/. */
function nativeBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const file = join(projectRoot, '.native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}

/** Until the log file is open (the first thing once Electron is ready), errors go to the console. */
let log: AppLog = appLog(null, '');

/** The one terminal this desktop app is, for sign-in limits and the audit trail. */
const LOCAL_TERMINAL = 'local';

function bindIpc(host: TerminalHost): void {
  for (const channel of allChannelNames) {
    ipcMain.handle(channel, (event, input: unknown) =>
      guardIpc(event.senderFrame?.url, { devServerUrl }, () => host.invoke(channel, input, LOCAL_TERMINAL)),
    );
  }
  host.onEvent((change) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(CHANGED_EVENT, change);
  });
}

/** Starts the app again (a new mode, new modules): the core gives its data folder's lock back first. */
let closeCore: () => void = () => undefined;
function relaunch(): void {
  closeCore();
  app.relaunch();
  app.exit(0);
}

/** The site terminal's credential, sealed by the operating system's keychain (DPAPI, Keychain, libsecret). */
const safeStorageVault: CredentialVault = {
  kind: 'safeStorage',
  seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
  open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
};

function hardenSessions(mayOpenSettings: () => boolean): void {
  session.defaultSession.setPermissionRequestHandler(permissionRequestHandler(devServerUrl));
  session.defaultSession.setPermissionCheckHandler(permissionCheckHandler(devServerUrl));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_event, contents) => {
    watchForFailures(contents);
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, devServerUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // The only window a page may open is the settings window (one at a time); nothing else.
    contents.setWindowOpenHandler(({ url }) => {
      const open = BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().includes('#/settings'));
      const decision = decideWindowOpen(url, { devServerUrl, settingsOpen: open !== undefined, mayOpenSettings: mayOpenSettings() });
      if (decision === 'focus-existing') open?.focus();
      if (decision !== 'open-settings') return { action: 'deny' };
      return {
        action: 'allow',
        overrideBrowserWindowOptions: {
          width: 1100,
          height: 760,
          title: 'Aviation Workflow — Settings',
          backgroundColor: '#f8f9fa',
          webPreferences: webPreferences(),
        },
      };
    });
  });
}

/** The log file: <data folder>/logs/app.log, 5 MB each, the last 10 kept (app.1.log is the newest full one). */
function openLogFile(dir: string) {
  const file = electronLog.create({ logId: 'app' });
  file.transports.file.resolvePathFn = () => join(dir, 'app.log');
  file.transports.file.maxSize = 5 * 1024 * 1024;
  file.transports.file.archiveLogFn = (old) => rotateLogFiles(old.path, 10);
  return file;
}

/** Logs what goes wrong in a window's page, and offers a reload when the page itself is gone. */
function watchForFailures(contents: WebContents): void {
  contents.on('console-message', (...args: unknown[]) => {
    // Electron 35+ passes one event with level as a word; older ones (event, level, message, line, source).
    const e = args[0] as { level?: string; message?: string; lineNumber?: number; sourceId?: string };
    const line =
      typeof e.level === 'string'
        ? rendererErrorLine(e.level, e.message ?? '', e.sourceId ?? '', e.lineNumber ?? 0)
        : rendererErrorLine(args[1] as number, String(args[2]), String(args[4] ?? ''), Number(args[3] ?? 0));
    if (line) log.error(line);
  });
  contents.on('preload-error', (_event, path, error) => log.error(`The preload script failed (${path})`, error));
  contents.on('render-process-gone', (_event, details) => {
    const message = goneMessage(details);
    log.error(message);
    if (details.reason === 'clean-exit' || contents.isDestroyed()) return;
    const owner = BrowserWindow.fromWebContents(contents);
    if (!owner?.isVisible()) return; // a hidden print window: its caller reports the failure
    void dialog
      .showMessageBox(owner, { type: 'error', title: 'Aviation Workflow', message, detail: `Nothing saved was lost. Details are in the log folder (${log.dir}).`, buttons: ['Reload', 'Close window'], defaultId: 0, cancelId: 1 })
      .then(({ response }) => (response === 0 ? contents.reload() : owner.close()));
  });
  contents.on('unresponsive', () => log.error('A window stopped responding.'));
}

/** Loads an item's print view in a hidden window and waits until it says everything has loaded. */
async function printViewWindow(id: number): Promise<BrowserWindow> {
  const window = new BrowserWindow({ show: false, webPreferences: webPreferences() });
  const hash = `/items/${id}/print`;
  if (devServerUrl) await window.loadURL(`${devServerUrl}#${hash}`);
  else await window.loadURL(appPageUrl(hash));
  for (let waited = 0; ; waited += 100) {
    if ((await window.webContents.executeJavaScript('document.body.dataset.printReady')) === 'true') return window;
    if (waited > 15_000) {
      window.destroy();
      throw new Error('the print view did not finish loading');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Renders an item's print view in a hidden window and saves it as a PDF where the user chooses. */
async function printItemToPdf(id: number): Promise<{ savedTo: string | null }> {
  const window = await printViewWindow(id);
  try {
    // The page's CSS (@page) sets the margins and the running header and footer.
    const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
    const { filePath, canceled } = await dialog.showSaveDialog({
      defaultPath: join(app.getPath('documents'), `work-item-${id}.pdf`),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
    if (canceled || !filePath) return { savedTo: null };
    await writeFile(filePath, pdf);
    return { savedTo: filePath };
  } finally {
    window.destroy();
  }
}

/** Prints an item's print view on paper through the system's print dialog. */
async function printItemOnPaper(id: number): Promise<{ printed: boolean }> {
  const window = await printViewWindow(id);
  try {
    return await new Promise((resolve, reject) =>
      window.webContents.print({ printBackground: true }, (printed, failure) =>
        printed || failure === 'Print job canceled' || failure === 'cancelled' ? resolve({ printed }) : reject(new Error(`Printing failed: ${failure}`)),
      ),
    );
  } finally {
    window.destroy();
  }
}

/** Opens the main window where it was last closed (window-state.json in the data folder), and remembers it again. */
function openMainWindow(stateFile: string): BrowserWindow {
  const saved = readWindowState(stateFile);
  const window = new BrowserWindow({
    ...boundsToOpen(saved, screen.getAllDisplays().map((d) => d.workArea)),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Aviation Workflow',
    backgroundColor: '#f8f9fa',
    webPreferences: webPreferences(),
  });
  window.once('ready-to-show', () => {
    if (saved?.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    try {
      writeWindowState(stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
    } catch (error) {
      log.error('Could not remember the window size and position', error);
    }
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadURL(appPageUrl());
  return window;
}

// A packaged build started with a debugger switch (--remote-debugging-port, --inspect, …) does not start.
if (app.isPackaged) {
  const refused = debuggingSwitches(process.argv.slice(1));
  if (refused.length > 0) {
    console.error(`Aviation Workflow does not start with ${refused.map((name) => `--${name}`).join(', ')}.`);
    process.exit(1);
  }
}

app.enableSandbox();
// Before ready: app:// behaves like https (a real origin for the CSP's 'self'), served only from out/renderer.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

// One copy at a time: a second start brings the first one's window forward and quits. (The core's
// lock on the data folder still refuses any other process that gets past this, with who holds it.)
const firstCopy = app.requestSingleInstanceLock();
if (!firstCopy) app.quit();
app.on('second-instance', () => {
  const window = BrowserWindow.getAllWindows()[0];
  if (window?.isMinimized()) window.restore();
  window?.focus();
});

process.on('uncaughtException', (error) => log.error('Uncaught error in the main process', error));
process.on('unhandledRejection', (reason) => log.error('Unhandled rejection in the main process', reason));

app.whenReady().then(() => {
  if (!firstCopy) return;
  let core: CoreApp | undefined;
  const dataDir = process.env['AVIATION_WORKFLOW_DATA_DIR'] ?? app.getPath('userData');
  const logDir = join(dataDir, 'logs');
  log = appLog(openLogFile(logDir), logDir);
  log.info(`Aviation Workflow ${app.getVersion()} starting (data folder ${dataDir})`);
  const windowStateFile = join(dataDir, 'window-state.json');
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, { rendererDir }));
  app.setAboutPanelOptions({ applicationName: 'Aviation Workflow', applicationVersion: app.getVersion(), credits: `Log files: ${logDir}` });
  const openLogFolder = () => void shell.openPath(logDir);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate({ appName: 'Aviation Workflow', version: app.getVersion(), isPackaged: app.isPackaged, platform: process.platform, openLogFolder })),
  );
  // A site terminal (terminal.json says "mode": "site") opens no database: its server has it.
  const terminalFile = terminalConfig(dataDir).read();
  if (terminalFile?.mode === 'site') {
    const site = siteTerminalHost({ dataDir, appVersion: app.getVersion(), vault: safeStorageVault, restart: relaunch });
    hardenSessions(() => true); // the settings window's own calls are refused by the server unless an administrator is signed in
    bindIpc(site);
    openMainWindow(windowStateFile);
    app.on('will-quit', () => void site.close());
    return;
  }
  hardenSessions(() => core?.status().canAdminister ?? false);
  try {
    const started = createAppOrRecover(
      {
        dataDir,
        assetsRoot: app.isPackaged ? process.resourcesPath : projectRoot,
        nativeBinding: nativeBinding(),
        appVersion: app.getVersion(),
        restart: relaunch,
        printItem: printItemToPdf,
        printItemOnPaper,
        log: (message: string) => log.info(message),
      },
      (damaged) => {
        const { question, detail } = describeDamage(damaged);
        const choices = recoveryChoices(damaged);
        const buttons = choices.map((c) => c.label);
        const picked = dialog.showMessageBoxSync({ type: 'error', title: 'Aviation Workflow', message: question, detail, buttons, defaultId: choices.findIndex((c) => c.choice !== 'start-new'), cancelId: buttons.length - 1 });
        return choices[picked]?.choice ?? null;
      },
    );
    if (!started) {
      app.exit(1);
      return;
    }
    core = started;
    closeCore = () => started.close(); // gives the data folder's lock back before the new process asks for it
  } catch (error) {
    log.error('Aviation Workflow could not start', error);
    dialog.showErrorBox('Aviation Workflow could not start', (error as Error).message);
    app.exit(1);
    return;
  }
  bindIpc(standaloneHost(core, LOCAL_TERMINAL, app.getVersion(), { dataDir, restart: relaunch }));
  openMainWindow(windowStateFile);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow(windowStateFile);
  });
  app.on('will-quit', () => core.close());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
