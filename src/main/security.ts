import { parseRendererPath } from './rendererFiles';

/**
 * Electron security settings in one place, with no import of electron itself so that tests
 * can check them under plain Node.
 */

/** The app's pages are served from app://aviation-workflow/ (see appProtocol.ts), never from file://. */
export const APP_SCHEME = 'app';
/** The one host: Chromium lower-cases hosts of standard schemes, so this is lower case. */
export const APP_HOST = 'aviation-workflow';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // Mantine injects its CSS variables in <style> tags.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The webPreferences of every window. Developer tools are off unless asked for (development only:
 * main passes `devTools: !app.isPackaged`), so a packaged build cannot open them at all.
 */
export function secureWebPreferences(preloadPath: string, options: { devTools?: boolean } = {}) {
  return {
    preload: preloadPath,
    devTools: options.devTools ?? false,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}

/**
 * True when a URL belongs to the app's own renderer: a page of app://aviation-workflow/ or, in
 * development, the dev server's origin. Everything else is refused — file:// included — and so is
 * anything odd: this guards IPC and navigation, so it must never throw and never guess.
 */
export function isAppUrl(url: string | undefined, devServerUrl?: string): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (devServerUrl) {
    let dev: URL;
    try {
      dev = new URL(devServerUrl);
    } catch {
      return false;
    }
    // Only an http(s) dev server: other schemes have the opaque origin "null", which data: URLs share.
    if (dev.protocol !== 'http:' && dev.protocol !== 'https:') return false;
    return parsed.origin === dev.origin;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  // The same path rules as the files served: no encoded ../, backslash, NUL or malformed escape.
  return parseRendererPath(parsed.pathname).ok;
}

/** The settings window is the app's own page at #/settings, opened by the main window. */
export function isSettingsUrl(url: string, devServerUrl?: string): boolean {
  if (!isAppUrl(url, devServerUrl)) return false;
  return new URL(url).hash.startsWith('#/settings');
}

export type WindowOpenDecision = 'deny' | 'focus-existing' | 'open-settings';

/**
 * What to do when a page asks to open a window: only the settings window, only for an
 * administrator, and only one at a time (a second request focuses the open one).
 */
export function decideWindowOpen(
  url: string,
  context: { devServerUrl?: string | undefined; settingsOpen: boolean; mayOpenSettings: boolean },
): WindowOpenDecision {
  if (!isSettingsUrl(url, context.devServerUrl)) return 'deny';
  if (!context.mayOpenSettings) return 'deny';
  return context.settingsOpen ? 'focus-existing' : 'open-settings';
}

/** The answer main gives an IPC call from a frame that is not the app's own page. */
export const FOREIGN_SENDER_REFUSAL = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the app’s own windows.' },
} as const;

/** Runs an IPC call only if its sender frame is the app's own page; otherwise refuses without calling. */
export function guardIpc<T>(
  senderUrl: string | undefined,
  context: { devServerUrl?: string | undefined },
  run: () => T,
): T | typeof FOREIGN_SENDER_REFUSAL {
  return isAppUrl(senderUrl, context.devServerUrl) ? run() : FOREIGN_SENDER_REFUSAL;
}

/**
 * Permissions: the app asks for one, 'notifications' (a desktop notice when an item arrives at the
 * person's department while the window is in the background), and only for its own pages. Every
 * other request and check is refused (camera, clipboard API, geolocation, …):
 * setPermissionRequestHandler answers the prompts, setPermissionCheckHandler the silent checks
 * (navigator.permissions.query, Notification.permission).
 */
export function allowsPermission(permission: string, requestingUrl: string | undefined, devServerUrl?: string): boolean {
  return permission === 'notifications' && isAppUrl(requestingUrl, devServerUrl);
}

/** For session.setPermissionRequestHandler. */
export const permissionRequestHandler =
  (devServerUrl?: string) =>
  (_contents: unknown, permission: string, callback: (granted: boolean) => void, details?: { requestingUrl?: string }): void =>
    callback(allowsPermission(permission, details?.requestingUrl, devServerUrl));

/** For session.setPermissionCheckHandler. */
export const permissionCheckHandler =
  (devServerUrl?: string) =>
  (_contents: unknown, permission: string, _origin: string, details?: { requestingUrl?: string }): boolean =>
    allowsPermission(permission, details?.requestingUrl, devServerUrl);

/**
 * Command-line switches that open the app to a debugger: Chromium's remote debugging (the page, and
 * through it window.api) and Node's inspector (the main process; the packaged binary's fuses already
 * ignore these). A packaged build started with any of them refuses to start; development keeps them
 * (Playwright drives the app through them). Chromium takes `--name`, `--name=value` and `-name`
 * (and `/name` on Windows), names case-insensitively on Windows, and stops at a bare `--`.
 */
const DEBUGGING_SWITCHES = new Set([
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-allow-origins',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-wait',
  'inspect-brk-node',
  'debug',
  'debug-brk',
  'debug-port',
]);

export function debuggingSwitches(args: readonly string[], platform: string = process.platform): string[] {
  const found: string[] = [];
  for (const arg of args) {
    if (arg === '--') break;
    const match = (platform === 'win32' ? /^(?:--|-|\/)([^=]+)/ : /^(?:--|-)([^=]+)/).exec(arg);
    if (!match) continue;
    const name = platform === 'win32' ? match[1]!.toLowerCase() : match[1]!;
    if (DEBUGGING_SWITCHES.has(name)) found.push(name);
  }
  return found;
}
