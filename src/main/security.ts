/**
 * Electron security settings in one place, with no import of electron itself so that tests
 * can check them under plain Node.
 */

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

export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
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
 * True when a URL belongs to the app's own renderer: the built files (file:// under the renderer
 * folder) or, in development, the dev server's origin. Everything else is refused, and so is
 * anything odd: this guards IPC and navigation, so it must never throw and never guess.
 */
export function isAppUrl(url: string | undefined, rendererDir: string, devServerUrl?: string): boolean {
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
  if (parsed.protocol !== 'file:') return false;
  // file://host/... is a UNC path (\\host\share) on Windows: never the app's own files.
  if (parsed.host !== '') return false;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return false; // malformed percent-encoding
  }
  path = path.replace(/\\/g, '/').replace(/^\/([A-Za-z]:)/, '$1');
  // URL parsing resolves literal ../ segments, but encoded ones (%2e%2e%2f, ..%5c) only appear after
  // decoding; the app's own URLs never contain dot segments or NUL, so refuse them outright.
  if (path.includes('\0') || path.split('/').some((segment) => segment === '.' || segment === '..')) return false;
  const dir = rendererDir.replace(/\\/g, '/').replace(/\/+$/, '');
  if (/^[A-Za-z]:\//.test(dir)) {
    // Windows paths are case-insensitive (and Chromium may spell the drive letter differently).
    return path.toLowerCase().startsWith(`${dir.toLowerCase()}/`);
  }
  return path.startsWith(`${dir}/`);
}

/** The settings window is the app's own page at #/settings, opened by the main window. */
export function isSettingsUrl(url: string, rendererDir: string, devServerUrl?: string): boolean {
  if (!isAppUrl(url, rendererDir, devServerUrl)) return false;
  return new URL(url).hash.startsWith('#/settings');
}

export type WindowOpenDecision = 'deny' | 'focus-existing' | 'open-settings';

/**
 * What to do when a page asks to open a window: only the settings window, only for an
 * administrator, and only one at a time (a second request focuses the open one).
 */
export function decideWindowOpen(
  url: string,
  context: { rendererDir: string; devServerUrl?: string | undefined; settingsOpen: boolean; mayOpenSettings: boolean },
): WindowOpenDecision {
  if (!isSettingsUrl(url, context.rendererDir, context.devServerUrl)) return 'deny';
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
  context: { rendererDir: string; devServerUrl?: string | undefined },
  run: () => T,
): T | typeof FOREIGN_SENDER_REFUSAL {
  return isAppUrl(senderUrl, context.rendererDir, context.devServerUrl) ? run() : FOREIGN_SENDER_REFUSAL;
}
