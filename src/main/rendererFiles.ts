import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative } from 'node:path';

/**
 * Which file of the built renderer (out/renderer) a URL path names, for the app:// protocol of the
 * desktop app and for the browser harness. No import of electron, so tests run it under Node.
 *
 * The renderer's own URLs are plain: /index.html, /assets/<name>-<hash>.js. Anything else that
 * could reach outside the folder is refused before the file system is asked: malformed escapes,
 * NUL, backslashes, dot segments (also encoded ones, which URL parsing leaves alone), drive letters
 * and other colons, empty segments, Windows device names. What is left is joined under the folder and
 * then checked again after symlinks are resolved, so a link inside the folder cannot lead out of it.
 */

export const RENDERER_MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file name; unknown kinds are bytes (with nosniff, never run as script). */
export function mimeTypeFor(file: string): string {
  return RENDERER_MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type RendererPath =
  | { ok: true; segments: string[] }
  /** 400: the path is not a well-formed URL path; 403: it is, but names something the app never serves. */
  | { ok: false; status: 400 | 403; reason: string };

const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * The path segments under the renderer folder that a URL path (as it appears in the URL, still
 * percent-encoded, without query or fragment) names; "/" names index.html. Pure: no file system.
 */
export function parseRendererPath(urlPath: string): RendererPath {
  if (!urlPath.startsWith('/')) return { ok: false, status: 400, reason: 'not an absolute path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'NUL in the path' };
  if (decoded.includes('\\')) return { ok: false, status: 403, reason: 'backslash in the path' };
  if (decoded === '/') return { ok: true, segments: ['index.html'] };
  const segments = decoded.slice(1).split('/');
  // A trailing slash names a folder (never served, but not an attack either).
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return { ok: false, status: 403, reason: 'empty or dot segment' };
    // A colon starts a drive (C:), a stream (file:stream) or a scheme; the renderer's names have none.
    if (segment.includes(':')) return { ok: false, status: 403, reason: 'colon in the path' };
    if (WINDOWS_DEVICE.test(segment)) return { ok: false, status: 403, reason: 'a device name' };
    // Control characters are never in the renderer's file names.
    if (/[\u0000-\u001f\u007f]/.test(segment)) return { ok: false, status: 400, reason: 'control character in the path' };
  }
  return { ok: true, segments };
}

/** True when `path` is `root` itself or lies inside it (both already resolved). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export type RendererFile =
  | { ok: true; file: string; mimeType: string }
  | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * The file inside `rendererDir` that a URL path names, after following symlinks; 404 when there is
 * no such regular file (a folder is not served), 403 when a link leads outside the folder.
 */
export function locateRendererFile(rendererDir: string, urlPath: string): RendererFile {
  const parsed = parseRendererPath(urlPath);
  if (!parsed.ok) return parsed;
  let root: string;
  let file: string;
  try {
    root = realpathSync(rendererDir);
  } catch {
    return { ok: false, status: 404, reason: 'the renderer is not built' };
  }
  const joined = join(root, ...parsed.segments);
  if (!isInside(root, joined)) return { ok: false, status: 403, reason: 'outside the renderer folder' };
  try {
    file = realpathSync(joined);
  } catch {
    return { ok: false, status: 404, reason: 'no such file' };
  }
  if (!isInside(root, file)) return { ok: false, status: 403, reason: 'a link leading outside the renderer folder' };
  try {
    if (!statSync(file).isFile()) return { ok: false, status: 404, reason: 'not a file' };
  } catch {
    return { ok: false, status: 404, reason: 'no such file' };
  }
  return { ok: true, file, mimeType: mimeTypeFor(file) };
}
