import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAppUrl, isSettingsUrl, secureWebPreferences } from '../../src/main/security';

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

  it('sets nothing else that could loosen it', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
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
        expect(source, `${name} ${source}`).not.toMatch(/^(\*|https?:|wss?:|file:|blob:|filesystem:)$/);
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
  const posixDir = '/opt/app/out/renderer';
  const windowsDir = 'C:\\Program Files\\App\\resources\\app.asar\\out\\renderer';
  const devServer = 'http://localhost:5173';

  describe('accepts', () => {
    it.each([
      ['file:///opt/app/out/renderer/index.html', posixDir],
      ['file:///opt/app/out/renderer/index.html#/items/42?tab=history', posixDir],
      ['file:///opt/app/out/renderer/assets/index-abc123.js', posixDir],
      ['file:///opt/app/out/renderer/index.html', `${posixDir}/`],
      ['file://localhost/opt/app/out/renderer/index.html', posixDir],
      ['file:///opt/my%20app/out/renderer/index.html', '/opt/my app/out/renderer'],
      ['file:///C:/Program%20Files/App/resources/app.asar/out/renderer/index.html', windowsDir],
      ['file:///C:/Program%20Files/App/resources/app.asar/out/renderer/assets/index-abc123.css', windowsDir],
      ['file:///c:/Program%20Files/App/resources/app.asar/out/renderer/index.html', windowsDir],
    ])('%s inside %s', (url, dir) => expect(isAppUrl(url, dir)).toBe(true));

    it.each([
      ['http://localhost:5173/', devServer],
      ['http://localhost:5173/src/main.tsx?t=123', devServer],
      ['http://localhost:5173/#/items/1', `${devServer}/`],
    ])('the dev server: %s (dev server %s)', (url, dev) => expect(isAppUrl(url, posixDir, dev)).toBe(true));
  });

  describe('refuses', () => {
    it.each([
      ['another file', 'file:///etc/passwd'],
      ['the parent folder', 'file:///opt/app/out/index.html'],
      ['the renderer folder itself without a slash', 'file:///opt/app/out/renderer'],
      ['a sibling folder sharing the name prefix', 'file:///opt/app/out/renderer-evil/x.html'],
      ['a sibling folder sharing the name prefix (no separator)', 'file:///opt/app/out/rendererx.html'],
      ['path traversal (resolved by URL parsing)', 'file:///opt/app/out/renderer/../../etc/passwd'],
      ['path traversal with encoded dots', 'file:///opt/app/out/renderer/%2e%2e/%2e%2e/etc/passwd'],
      ['path traversal with encoded slashes', 'file:///opt/app/out/renderer/..%2f..%2fetc/passwd'],
      ['path traversal fully encoded', 'file:///opt/app/out/renderer/%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
      ['path traversal with encoded backslashes', 'file:///opt/app/out/renderer/..%5c..%5cetc%5cpasswd'],
      ['a dot segment', 'file:///opt/app/out/renderer/.%2findex.html'],
      ['a NUL byte', 'file:///opt/app/out/renderer/index.html%00.png'],
      ['malformed percent-encoding', 'file:///opt/app/out/renderer/%E0%A4%A'],
      ['malformed percent-encoding outside the folder', 'file:///etc/%E0%A4%A'],
      ['a file URL with a host (UNC share on Windows)', 'file://evil.example/opt/app/out/renderer/index.html'],
      ['http', 'http://localhost:5173/'],
      ['https', 'https://example.com/'],
      ['javascript:', 'javascript:alert(1)'],
      ['data:', 'data:text/html,<script>alert(1)</script>'],
      ['blob:', 'blob:file:///opt/app/out/renderer/index.html'],
      ['about:blank', 'about:blank'],
      ['chrome:', 'chrome://gpu'],
      ['devtools:', 'devtools://devtools/bundled/inspector.html'],
      ['an empty string', ''],
      ['a malformed string', 'not a url'],
      ['a bare path', '/opt/app/out/renderer/index.html'],
      ['a malformed scheme', 'file:\u0000///opt/app/out/renderer/index.html'],
    ])('%s: %s', (_label, url) => expect(isAppUrl(url, posixDir)).toBe(false));

    it('undefined (a frame that has gone away)', () => expect(isAppUrl(undefined, posixDir)).toBe(false));

    it.each([
      ['another folder on the drive', 'file:///C:/Windows/System32/drivers/etc/hosts'],
      ['another drive', 'file:///D:/Program%20Files/App/resources/app.asar/out/renderer/index.html'],
      ['a sibling folder sharing the name prefix', 'file:///C:/Program%20Files/App/resources/app.asar/out/renderer-evil/index.html'],
      ['traversal with encoded backslashes', 'file:///C:/Program%20Files/App/resources/app.asar/out/renderer/..%5C..%5C..%5Cevil.html'],
      ['a backslash right after the folder name', 'file:///C:/Program%20Files/App/resources/app.asar/out/renderer%5C..%5Cevil.html'],
      ['a UNC share', 'file://attacker/share/Program%20Files/App/resources/app.asar/out/renderer/index.html'],
    ])('on Windows, %s: %s', (_label, url) => expect(isAppUrl(url, windowsDir)).toBe(false));

    it.each([
      ['another port', 'http://localhost:5174/'],
      ['another host', 'http://127.0.0.2:5173/'],
      ['another scheme', 'https://localhost:5173/'],
      ['a look-alike host', 'http://localhost.evil.example:5173/'],
      ['the built files (dev loads only the dev server)', 'file:///opt/app/out/renderer/index.html'],
      ['data: (opaque origin)', 'data:text/html,hi'],
      ['about:blank', 'about:blank'],
    ])('with a dev server, %s: %s', (_label, url) => expect(isAppUrl(url, posixDir, devServer)).toBe(false));

    it('everything when the dev server URL is malformed or not http(s)', () => {
      expect(isAppUrl('http://localhost:5173/', posixDir, 'not a url')).toBe(false);
      expect(isAppUrl('data:text/html,hi', posixDir, 'data:text/html,x')).toBe(false);
      expect(isAppUrl('file:///opt/app/out/renderer/index.html', posixDir, 'file:///opt/app/out/renderer/')).toBe(false);
    });
  });
});

describe('isSettingsUrl (the one window a page may open)', () => {
  const dir = '/opt/app/out/renderer';
  it('accepts the app page at #/settings and its panels', () => {
    expect(isSettingsUrl('file:///opt/app/out/renderer/index.html#/settings', dir)).toBe(true);
    expect(isSettingsUrl('file:///opt/app/out/renderer/index.html#/settings/templates', dir)).toBe(true);
    expect(isSettingsUrl('http://localhost:5173/#/settings', dir, 'http://localhost:5173')).toBe(true);
  });
  it('refuses other pages of the app and anything outside it', () => {
    expect(isSettingsUrl('file:///opt/app/out/renderer/index.html#/items/1', dir)).toBe(false);
    expect(isSettingsUrl('file:///opt/app/out/renderer/index.html', dir)).toBe(false);
    expect(isSettingsUrl('https://example.com/#/settings', dir)).toBe(false);
    expect(isSettingsUrl('file:///etc/index.html#/settings', dir)).toBe(false);
  });
});
