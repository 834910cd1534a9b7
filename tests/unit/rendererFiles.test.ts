import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateRendererFile, mimeTypeFor, parseRendererPath } from '../../src/main/rendererFiles';

describe('parseRendererPath (URL path → segments under the renderer folder, no file system)', () => {
  it.each([
    ['/', ['index.html']],
    ['/index.html', ['index.html']],
    ['/assets/index-CKSJja6V.js', ['assets', 'index-CKSJja6V.js']],
    ['/assets/', ['assets']],
    ['/assets%2Findex.js', ['assets', 'index.js']],
    ['/my%20file.css', ['my file.css']],
    ['/%E2%82%AC.js', ['€.js']],
  ])('%s → %j', (path, segments) => expect(parseRendererPath(path)).toEqual({ ok: true, segments }));

  it.each([
    ['malformed escape', '/%E0%A4%A', 400],
    ['invalid UTF-8', '/assets/%ff', 400],
    ['lone percent', '/%', 400],
    ['NUL', '/index.html%00.png', 400],
    ['raw NUL', '/index.html\u0000', 400],
    ['control character', '/a%0Ab', 400],
    ['not absolute', 'index.html', 400],
    ['empty', '', 400],
    ['dot dot', '/../package.json', 403],
    ['encoded dot dot', '/%2e%2e/package.json', 403],
    ['encoded dot dot and slash', '/assets/..%2f..%2fpackage.json', 403],
    ['fully encoded traversal', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', 403],
    ['dot segment', '/./index.html', 403],
    ['backslash', '/..\\package.json', 403],
    ['encoded backslash', '/..%5c..%5cpackage.json', 403],
    ['backslash inside a name', '/assets%5Cindex.js', 403],
    ['an absolute POSIX path after the slash', '//etc/passwd', 403],
    ['a drive letter', '/C:/Windows/win.ini', 403],
    ['an encoded drive letter', '/C%3A%5CWindows%5Cwin.ini', 403],
    ['a UNC path', '/%5C%5Cserver%5Cshare', 403],
    ['an NTFS stream', '/index.html::$DATA', 403],
    ['a Windows device', '/CON', 403],
    ['a Windows device with an extension', '/assets/nul.js', 403],
    ['a double slash inside', '/assets//index.js', 403],
  ])('refuses %s: %j (%i)', (_label, path, status) => {
    expect(parseRendererPath(path)).toMatchObject({ ok: false, status });
  });
});

describe('locateRendererFile (the file system, symlinks)', () => {
  let base: string;
  let renderer: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'aw-renderer-files-'));
    renderer = join(base, 'out', 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
    writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'export {}');
    writeFileSync(join(renderer, 'assets', 'style.css'), 'body{}');
    writeFileSync(join(renderer, 'assets', 'font.woff2'), '');
    writeFileSync(join(renderer, 'assets', 'data.bin'), '');
    writeFileSync(join(base, 'out', 'secret.txt'), 'secret');
    writeFileSync(join(base, 'out', 'renderer-evil.html'), 'evil');
    symlinkSync(join(base, 'out', 'secret.txt'), join(renderer, 'assets', 'link-out.txt'));
    symlinkSync(join(base, 'out'), join(renderer, 'dir-out'));
    symlinkSync(join(renderer, 'index.html'), join(renderer, 'assets', 'link-in.html'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('finds the renderer files with their types', () => {
    expect(locateRendererFile(renderer, '/')).toMatchObject({ ok: true, file: join(renderer, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(locateRendererFile(renderer, '/assets/index-abc.js')).toMatchObject({ ok: true, mimeType: 'text/javascript; charset=utf-8' });
    expect(locateRendererFile(renderer, '/assets/style.css')).toMatchObject({ ok: true, mimeType: 'text/css; charset=utf-8' });
    expect(locateRendererFile(renderer, '/assets/font.woff2')).toMatchObject({ ok: true, mimeType: 'font/woff2' });
    expect(locateRendererFile(renderer, '/assets/data.bin')).toMatchObject({ ok: true, mimeType: 'application/octet-stream' });
  });

  it('follows a symlink that stays inside the folder', () => {
    expect(locateRendererFile(renderer, '/assets/link-in.html')).toMatchObject({ ok: true, file: join(renderer, 'index.html') });
  });

  it('refuses a symlink that leads out of the folder, to a file or through a folder', () => {
    expect(locateRendererFile(renderer, '/assets/link-out.txt')).toMatchObject({ ok: false, status: 403 });
    expect(locateRendererFile(renderer, '/dir-out/secret.txt')).toMatchObject({ ok: false, status: 403 });
  });

  it('answers 404 for what is missing and for folders, and never names a file outside', () => {
    expect(locateRendererFile(renderer, '/missing.js')).toMatchObject({ ok: false, status: 404 });
    expect(locateRendererFile(renderer, '/assets')).toMatchObject({ ok: false, status: 404 });
    expect(locateRendererFile(renderer, '/assets/')).toMatchObject({ ok: false, status: 404 });
    expect(locateRendererFile(join(base, 'missing'), '/index.html')).toMatchObject({ ok: false, status: 404 });
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/../renderer-evil.html', `/${join(base, 'out', 'secret.txt')}`]) {
      const found = locateRendererFile(renderer, path);
      expect(found.ok, path).toBe(false);
    }
  });

  it('knows the types of what a Vite build emits', () => {
    expect(mimeTypeFor('a.HTML')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('a.mjs')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('a.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('a.png')).toBe('image/png');
    expect(mimeTypeFor('a.json')).toBe('application/json; charset=utf-8');
    expect(mimeTypeFor('noextension')).toBe('application/octet-stream');
  });
});
