import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  debuggingSwitches,
  isAppUrl,
  isSettingsUrl,
  allowsPermission,
  permissionCheckHandler,
  permissionRequestHandler,
  secureWebPreferences,
} from '../../src/main/security';

const projectRoot = resolve(import.meta.dirname, '../..');

/** "a x y; b z" → Map { a → [x, y], b → [z] }, failing on duplicate directives (browsers ignore the second). */
function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    const key = name.toLowerCase();
    if (directives.has(key)) throw new Error(`duplicate CSP directive ${key}`);
    directives.set(key, sources);
  }
  return directives;
}

const csp = parsePolicy(CONTENT_SECURITY_POLICY);

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/opt/app/out/preload/index.cjs');

  it('passes the preload path through', () => expect(prefs.preload).toBe('/opt/app/out/preload/index.cjs'));

  it('isolates and sandboxes the renderer, with no Node anywhere', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on and webviews off', () => {
    expect(prefs).toMatchObject({ webSecurity: true, allowRunningInsecureContent: false, webviewTag: false });
  });

  it('turns the developer tools off unless development asks for them', () => {
    expect(prefs.devTools).toBe(false);
    expect(secureWebPreferences('/p', { devTools: false }).devTools).toBe(false);
    expect(secureWebPreferences('/p', { devTools: true }).devTools).toBe(true);
    // Only devTools changes with the option.
    const { devTools: _a, ...packaged } = secureWebPreferences('/p', { devTools: false });
    const { devTools: _b, ...development } = secureWebPreferences('/p', { devTools: true });
    expect(development).toEqual(packaged);
  });

  it('sets nothing else that could loosen it', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'devTools',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'preload',
        'sandbox',
        'spellcheck',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('is a single header value (no newline, no comma that would start a second policy)', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/[\r\n,]/);
  });

  it("denies by default: default-src 'none'", () => expect(csp.get('default-src')).toEqual(["'none'"]));

  it("runs only the app's own scripts: script-src 'self', no eval, no inline", () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'wasm-unsafe-eval'");
    expect(csp.has('script-src-elem')).toBe(false);
    expect(csp.has('script-src-attr')).toBe(false);
  });

  it("allows 'unsafe-inline' for styles only (Mantine's <style> tags)", () => {
    for (const [name, sources] of csp) {
      if (sources.includes("'unsafe-inline'")) expect(name).toBe('style-src');
    }
  });

  it("blocks plugins, base and form hijacking, and framing: object-src, base-uri, form-action, frame-ancestors 'none'", () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it("talks only to itself: connect-src 'self'", () => expect(csp.get('connect-src')).toEqual(["'self'"]));

  it('has no wildcard or whole-scheme sources', () => {
    for (const [name, sources] of csp) {
      for (const source of sources) {
        expect(source, `${name} ${source}`).not.toMatch(/^(\*|https?:|wss?:|file:|app:|blob:|filesystem:)$/);
        // No file:// source of any kind: the page is app://aviation-workflow, whose 'self' is that origin only.
        expect(source, `${name} ${source}`).not.toMatch(/^file:/i);
        expect(source, `${name} ${source}`).not.toContain('*');
      }
      if (name !== 'img-src' && name !== 'font-src') expect(sources, name).not.toContain('data:');
    }
  });

  it("matches src/renderer/index.html's meta tag directive by directive, except frame-ancestors", () => {
    const html = readFileSync(join(projectRoot, 'src/renderer/index.html'), 'utf8');
    const metas = [...html.matchAll(/<meta\s[^>]*http-equiv=["']Content-Security-Policy["'][^>]*>/gi)];
    expect(metas, 'exactly one CSP meta tag').toHaveLength(1);
    const content = /\scontent=(["'])(.*?)\1/i.exec(metas[0]![0])?.[2];
    expect(content, 'meta CSP content attribute').toBeTruthy();
    const meta = parsePolicy(content!);
    const header = new Map(csp);
    // frame-ancestors (like report-uri and sandbox) is ignored in a <meta> policy; the header carries it.
    header.delete('frame-ancestors');
    expect(meta.has('frame-ancestors')).toBe(false);
    expect(Object.fromEntries(meta)).toEqual(Object.fromEntries(header));
  });
});

describe('isAppUrl', () => {
  const devServer = 'http://localhost:5173';

  describe('accepts', () => {
    it.each([
      'app://aviation-workflow/index.html',
      'app://aviation-workflow/',
      'app://aviation-workflow/index.html#/items/42?tab=history',
      'app://aviation-workflow/index.html?x=1#/settings',
      'app://aviation-workflow/assets/index-abc123.js',
      'app://aviation-workflow/my%20page.html',
    ])('%s', (url) => expect(isAppUrl(url)).toBe(true));

    it.each([
      ['http://localhost:5173/', devServer],
      ['http://localhost:5173/src/main.tsx?t=123', devServer],
      ['http://localhost:5173/#/items/1', `${devServer}/`],
    ])('the dev server: %s (dev server %s)', (url, dev) => expect(isAppUrl(url, dev)).toBe(true));
  });

  describe('refuses', () => {
    it.each([
      ['file:// (the app no longer loads from it)', 'file:///opt/app/out/renderer/index.html'],
      ['file:// elsewhere', 'file:///etc/passwd'],
      ['file:// with a host (UNC share on Windows)', 'file://evil.example/opt/app/out/renderer/index.html'],
      ['another host of the scheme', 'app://evil/index.html'],
      ['a host that only starts like ours', 'app://aviation-workflow.evil/index.html'],
      ['our host with a port', 'app://aviation-workflow:80/index.html'],
      ['our host with credentials', 'app://user:pass@aviation-workflow/index.html'],
      ['our host in another case (Chromium lower-cases it; anything else did not come from Chromium)', 'app://Aviation-Workflow/index.html'],
      ['no host', 'app:///index.html'],
      ['an opaque app: URL', 'app:index.html'],
      ['a look-alike scheme', 'apps://aviation-workflow/index.html'],
      ['path traversal with encoded slashes', 'app://aviation-workflow/..%2f..%2fetc/passwd'],
      ['path traversal fully encoded', 'app://aviation-workflow/%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
      ['path traversal with encoded backslashes', 'app://aviation-workflow/..%5c..%5cetc%5cpasswd'],
      ['a dot segment', 'app://aviation-workflow/.%2findex.html'],
      ['a NUL byte', 'app://aviation-workflow/index.html%00.png'],
      ['malformed percent-encoding', 'app://aviation-workflow/%E0%A4%A'],
      ['a drive letter', 'app://aviation-workflow/C:/Windows/win.ini'],
      ['http', 'http://localhost:5173/'],
      ['https', 'https://example.com/'],
      ['javascript:', 'javascript:alert(1)'],
      ['data:', 'data:text/html,<script>alert(1)</script>'],
      ['blob:', 'blob:app://aviation-workflow/0b7c1b1e-3f7a-4c9e-9a55-1f1d2e3c4b5a'],
      ['about:blank', 'about:blank'],
      ['chrome:', 'chrome://gpu'],
      ['devtools:', 'devtools://devtools/bundled/inspector.html'],
      ['an empty string', ''],
      ['a malformed string', 'not a url'],
      ['a bare path', '/index.html'],
      ['a malformed scheme', 'app:\u0000//aviation-workflow/index.html'],
    ])('%s: %s', (_label, url) => expect(isAppUrl(url)).toBe(false));

    it('undefined (a frame that has gone away)', () => expect(isAppUrl(undefined)).toBe(false));

    it('a dot-dot segment cannot leave the origin: URL parsing resolves /%2e%2e/ within it (and the files served stay in out/renderer)', () => {
      expect(new URL('app://aviation-workflow/%2e%2e/%2e%2e/etc/passwd').href).toBe('app://aviation-workflow/etc/passwd');
    });

    it.each([
      ['another port', 'http://localhost:5174/'],
      ['another host', 'http://127.0.0.2:5173/'],
      ['another scheme', 'https://localhost:5173/'],
      ['a look-alike host', 'http://localhost.evil.example:5173/'],
      ['the built files (dev loads only the dev server)', 'app://aviation-workflow/index.html'],
      ['file://', 'file:///opt/app/out/renderer/index.html'],
      ['data: (opaque origin)', 'data:text/html,hi'],
      ['about:blank', 'about:blank'],
    ])('with a dev server, %s: %s', (_label, url) => expect(isAppUrl(url, devServer)).toBe(false));

    it('everything when the dev server URL is malformed or not http(s)', () => {
      expect(isAppUrl('http://localhost:5173/', 'not a url')).toBe(false);
      expect(isAppUrl('data:text/html,hi', 'data:text/html,x')).toBe(false);
      expect(isAppUrl('file:///opt/app/out/renderer/index.html', 'file:///opt/app/out/renderer/')).toBe(false);
      expect(isAppUrl('app://aviation-workflow/index.html', 'app://aviation-workflow/')).toBe(false);
    });
  });
});

describe('isSettingsUrl (the one window a page may open)', () => {
  it('accepts the app page at #/settings and its panels', () => {
    expect(isSettingsUrl('app://aviation-workflow/index.html#/settings')).toBe(true);
    expect(isSettingsUrl('app://aviation-workflow/index.html#/settings/templates')).toBe(true);
    expect(isSettingsUrl('http://localhost:5173/#/settings', 'http://localhost:5173')).toBe(true);
  });
  it('refuses other pages of the app and anything outside it', () => {
    expect(isSettingsUrl('app://aviation-workflow/index.html#/items/1')).toBe(false);
    expect(isSettingsUrl('app://aviation-workflow/index.html')).toBe(false);
    expect(isSettingsUrl('https://example.com/#/settings')).toBe(false);
    expect(isSettingsUrl('file:///opt/app/out/renderer/index.html#/settings')).toBe(false);
    expect(isSettingsUrl('app://evil/index.html#/settings')).toBe(false);
  });
});

describe('permissions', () => {
  it('allows exactly notifications, and only to the app’s own pages', () => {
    const page = 'app://aviation-workflow/index.html#/items/3';
    const request = (permission: string, requestingUrl: string, devServerUrl?: string) => {
      let granted: boolean | undefined;
      permissionRequestHandler(devServerUrl)(null, permission, (answer) => (granted = answer), { requestingUrl });
      return granted;
    };
    expect(request('notifications', page)).toBe(true);
    expect(permissionCheckHandler()(null, 'notifications', 'app://aviation-workflow', { requestingUrl: page })).toBe(true);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'openExternal', 'midi', 'hid', 'serial', 'usb', 'Notifications', '']) {
      expect(request(permission, page), permission).toBe(false);
      expect(permissionCheckHandler()(null, permission, 'app://aviation-workflow', { requestingUrl: page }), permission).toBe(false);
    }
    for (const foreign of ['https://example.com/', 'file:///etc/passwd', 'app://other-host/index.html', 'data:text/html,x', '']) {
      expect(request('notifications', foreign), foreign).toBe(false);
      expect(allowsPermission('notifications', foreign)).toBe(false);
    }
    expect(allowsPermission('notifications', undefined)).toBe(false);
    // Development: the dev server's pages, and no other origin.
    expect(request('notifications', 'http://localhost:5173/#/', 'http://localhost:5173')).toBe(true);
    expect(request('notifications', 'http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(request('notifications', page, 'http://localhost:5173')).toBe(false);
  });
});

describe('debuggingSwitches (a packaged build refuses to start with them)', () => {
  it('finds Chromium remote debugging and Node inspector switches in every spelling Chromium accepts', () => {
    expect(debuggingSwitches(['--remote-debugging-port=9222'], 'linux')).toEqual(['remote-debugging-port']);
    expect(debuggingSwitches(['-remote-debugging-port=9222'], 'linux')).toEqual(['remote-debugging-port']);
    expect(debuggingSwitches(['--remote-debugging-pipe'], 'linux')).toEqual(['remote-debugging-pipe']);
    expect(debuggingSwitches(['--inspect'], 'linux')).toEqual(['inspect']);
    expect(debuggingSwitches(['--inspect-brk=0'], 'darwin')).toEqual(['inspect-brk']);
    expect(debuggingSwitches(['/remote-debugging-port=9222'], 'win32')).toEqual(['remote-debugging-port']);
    expect(debuggingSwitches(['--Remote-Debugging-Port=9222'], 'win32')).toEqual(['remote-debugging-port']);
    expect(debuggingSwitches(['C:\\app\\Aviation Workflow.exe', '--no-sandbox', '--inspect-port=1'], 'win32')).toEqual(['inspect-port']);
  });

  it('leaves everything else alone, and stops at a bare --', () => {
    expect(debuggingSwitches([], 'linux')).toEqual([]);
    expect(debuggingSwitches(['--no-sandbox', '--enable-logging', 'some/file.txt', '--inspector'], 'linux')).toEqual([]);
    expect(debuggingSwitches(['--', '--remote-debugging-port=9222'], 'linux')).toEqual([]);
    expect(debuggingSwitches(['/remote-debugging-port=9222'], 'linux')).toEqual([]); // a path on POSIX
  });
});
