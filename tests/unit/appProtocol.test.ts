import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, appPageUrl, handleAppRequest } from '../../src/main/appProtocol';
import { CONTENT_SECURITY_POLICY, isAppUrl } from '../../src/main/security';

/** The app:// handler exactly as main registers it (protocol.handle), called under Node with a real folder. */
let base: string;
let rendererDir: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'aw-app-protocol-'));
  rendererDir = join(base, 'out', 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Aviation Workflow</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'export const x = 1;');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(base, 'out', 'secret.txt'), 'secret');
  writeFileSync(join(base, 'package.json'), '{"name": "aviation-workflow"}');
  symlinkSync(join(base, 'out', 'secret.txt'), join(rendererDir, 'assets', 'escape.js'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handleAppRequest({ url, method }, { rendererDir });

describe('the app:// scheme', () => {
  it('is app://aviation-workflow, and its page URLs are ones isAppUrl accepts', () => {
    expect(APP_SCHEME).toBe('app');
    expect(APP_ORIGIN).toBe('app://aviation-workflow');
    expect(appPageUrl()).toBe('app://aviation-workflow/index.html');
    expect(appPageUrl('/items/4/print')).toBe('app://aviation-workflow/index.html#/items/4/print');
    expect(isAppUrl(appPageUrl())).toBe(true);
    expect(isAppUrl(appPageUrl('/settings'))).toBe(true);
  });

  it('is privileged like https (standard, secure, fetch) and nothing more: no CSP bypass, no cross-origin reads, no service workers', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
  });
});

describe('handleAppRequest', () => {
  it('serves index.html for / and by name, with the CSP, nosniff and its type', async () => {
    for (const url of ['app://aviation-workflow/', 'app://aviation-workflow/index.html', 'app://aviation-workflow/index.html?x=1#/items/1']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toContain('<title>Aviation Workflow</title>');
    }
  });

  it('serves scripts and styles with their MIME types (module scripts need a JavaScript type)', async () => {
    const js = await get('app://aviation-workflow/assets/index-abc.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('export const x = 1;');
    expect((await get('app://aviation-workflow/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://aviation-workflow/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) expect((await get('app://aviation-workflow/index.html', method)).status, method).toBe(405);
  });

  it('answers 404 for what is not there, and for folders', async () => {
    expect((await get('app://aviation-workflow/missing.js')).status).toBe(404);
    expect((await get('app://aviation-workflow/assets')).status).toBe(404);
    expect((await get('app://aviation-workflow/assets/')).status).toBe(404);
  });

  it('serves nothing from outside out/renderer, however the path is spelled', async () => {
    const attempts = [
      'app://aviation-workflow/../package.json',
      'app://aviation-workflow/../../package.json',
      'app://aviation-workflow/%2e%2e/%2e%2e/package.json',
      'app://aviation-workflow/..%2f..%2fpackage.json',
      'app://aviation-workflow/%2e%2e%2f%2e%2e%2fpackage.json',
      'app://aviation-workflow/..%5c..%5cpackage.json',
      'app://aviation-workflow/assets\\..\\..\\..\\package.json',
      'app://aviation-workflow/assets/..%5C..%5C..%5Cpackage.json',
      `app://aviation-workflow/${encodeURIComponent(join(base, 'package.json'))}`,
      `app://aviation-workflow/${join(base, 'package.json')}`,
      `app://aviation-workflow//${join(base, 'package.json')}`,
      'app://aviation-workflow/C:/Windows/win.ini',
      'app://aviation-workflow/C%3A%5CWindows%5Cwin.ini',
      'app://aviation-workflow/%5C%5Cserver%5Cshare%5Cx',
      'app://aviation-workflow/index.html%00.js',
      'app://aviation-workflow/%E0%A4%A',
      'app://aviation-workflow/assets/escape.js',
      'app://aviation-workflow/CON',
    ];
    for (const url of attempts) {
      const res = await get(url);
      const text = await res.text();
      expect(text, url).not.toContain('"name": "aviation-workflow"');
      expect(text, url).not.toContain('secret');
      expect(res.status, url).not.toBe(200);
    }
    expect((await get('app://aviation-workflow/%E0%A4%A')).status).toBe(400);
    expect((await get('app://aviation-workflow/index.html%00.js')).status).toBe(400);
    expect((await get('app://aviation-workflow/..%2f..%2fpackage.json')).status).toBe(403);
    expect((await get('app://aviation-workflow/assets/escape.js')).status).toBe(403);
  });

  it('answers only its own host and scheme', async () => {
    for (const url of ['app://evil/index.html', 'app://aviation-workflow.evil/index.html', 'app://aviation-workflow:8080/index.html', 'app://u:p@aviation-workflow/index.html', 'app:index.html', 'file:///etc/passwd', 'not a url']) {
      const res = await get(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
    }
  });

  it('answers 500 rather than throwing when a file cannot be read', async () => {
    const res = await handleAppRequest({ url: 'app://aviation-workflow/index.html', method: 'GET' }, { rendererDir, read: () => Promise.reject(new Error('EIO')) });
    expect(res.status).toBe(500);
  });
});
