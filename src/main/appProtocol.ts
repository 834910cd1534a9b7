import { readFile } from 'node:fs/promises';
import { locateRendererFile } from './rendererFiles';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security';

/**
 * The desktop app's pages come from app://aviation-workflow/, a privileged custom scheme served
 * from the built renderer folder only, instead of file:// (which would give the page the whole disk's
 * origin, and which the packaged binary's fuses strip of its extra privileges). No import of electron:
 * main registers the scheme and hands requests to handleAppRequest; tests call it under Node.
 */

export { APP_HOST, APP_ORIGIN, APP_SCHEME };

/** The app's page (index.html), with a hash route such as `/items/4/print`. */
export function appPageUrl(hashRoute?: string): string {
  return `${APP_ORIGIN}/index.html${hashRoute ? `#${hashRoute}` : ''}`;
}

/**
 * What the scheme may do (protocol.registerSchemesAsPrivileged, before the app is ready): behave like
 * https — a real origin for 'self' in the CSP, relative URLs, a secure context — and answer fetch().
 * Deliberately not: bypassCSP, corsEnabled (which would let other origins read its files),
 * allowServiceWorkers, stream.
 */
export const APP_SCHEME_PRIVILEGES = Object.freeze({ standard: true, secure: true, supportFetchAPI: true });

const HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

function refusal(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * Answers one request to app://: a file of the renderer folder with its type and the app's CSP, or a
 * refusal — another host, a method other than GET/HEAD, anything leading outside the folder (see
 * locateRendererFile), or a file that is not there. Never throws.
 */
export async function handleAppRequest(
  request: { url: string; method: string },
  context: { rendererDir: string; read?: (file: string) => Promise<Uint8Array> },
): Promise<Response> {
  try {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refusal(400, 'Bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') {
      return refusal(404, 'Not found');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'Method not allowed');
    const found = locateRendererFile(context.rendererDir, url.pathname);
    if (!found.ok) return refusal(found.status, found.status === 404 ? 'Not found' : found.status === 400 ? 'Bad request' : 'Forbidden');
    const body = request.method === 'HEAD' ? null : await (context.read ?? readFile)(found.file);
    return new Response(body as ConstructorParameters<typeof Response>[0], { status: 200, headers: { ...HEADERS, 'content-type': found.mimeType } });
  } catch {
    return refusal(500, 'The file could not be read');
  }
}
