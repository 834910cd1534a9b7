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
 * folder) or, in development, the dev server's origin. Everything else is refused.
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
    return parsed.origin === new URL(devServerUrl).origin;
  }
  if (parsed.protocol !== 'file:') return false;
  const dir = rendererDir.replace(/\\/g, '/').replace(/\/+$/, '');
  const path = decodeURIComponent(parsed.pathname).replace(/^\/([A-Za-z]:)/, '$1');
  return path.startsWith(`${dir}/`);
}
