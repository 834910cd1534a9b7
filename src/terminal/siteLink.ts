import { createHash, X509Certificate } from 'node:crypto';
import { Agent, request, type RequestOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { SITE_PATHS, VERSION_HEADER, type Hello } from '../shared/siteProtocol';

/** SHA-256 of a certificate (PEM), as 32 upper-case hex pairs: what the server console shows. */
export const fingerprintOf = (pem: string): string =>
  createHash('sha256').update(new X509Certificate(pem).raw).digest('hex').toUpperCase().match(/../g)!.join(':');

/** The site server could not be reached (no answer at all): what was sent may or may not have arrived. */
export class UnreachableError extends Error {}
/** A kept-alive connection was closed by the server as it was reused: nothing reached the server. */
class StaleConnectionError extends UnreachableError {}
/** The server's certificate does not come from the pinned authority: this terminal will not talk to it. */
export class WrongCertificateError extends Error {}

const CERTIFICATE_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface HttpAnswer {
  status: number;
  body: unknown;
  serverVersion: string | null;
}

/**
 * HTTPS to one site server, trusting only its pinned certificate authority: Node verifies the
 * chain against that CA alone, never the operating system's. Host names are not checked: the CA
 * is the site's own and issues nothing but this server's certificate, and a hangar server is
 * often reached by an address that changes.
 */
export function siteLink(address: string, caPem: string | null, appVersion: string, credential?: () => string | null) {
  const url = new URL(address);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 32,
    ...(caPem ? { ca: caPem, checkServerIdentity: () => undefined } : { rejectUnauthorized: false }),
  });
  /**
   * One request. A kept-alive connection the server closed just as it was reused fails at once
   * (ECONNRESET before any answer): that request is sent again once on a new connection, as Node's
   * documentation advises. Safe here: reads change nothing, and commands carry their idempotency key.
   */
  const send = async (method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number): Promise<HttpAnswer> => {
    try {
      return await sendOnce(method, path, body, timeoutMs);
    } catch (error) {
      if (!(error instanceof StaleConnectionError)) throw error;
      return sendOnce(method, path, body, timeoutMs);
    }
  };
  const sendOnce = (method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number): Promise<HttpAnswer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const token = credential?.();
      const options: RequestOptions = {
        agent,
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port || 443),
        path,
        method,
        headers: {
          [VERSION_HEADER]: appVersion,
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        timeout: timeoutMs,
      };
      const req = request(options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(new UnreachableError(error.message)));
        response.on('end', () => {
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
          } catch {
            parsed = null;
          }
          const version = response.headers[VERSION_HEADER];
          resolve({ status: response.statusCode ?? 0, body: parsed, serverVersion: typeof version === 'string' ? version : null });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
          reject(new StaleConnectionError(error.message));
        } else if (error.code && CERTIFICATE_ERRORS.has(error.code)) {
          reject(new WrongCertificateError(`The server at ${address} presents a certificate from another authority than the one this terminal trusts. It may be another server, or someone in between: this terminal will not talk to it.`));
        } else reject(new UnreachableError(error.message));
      });
      req.end(payload);
    });
  return { send, close: () => agent.destroy(), address, caPem };
}
export type SiteLink = ReturnType<typeof siteLink>;

/**
 * What a server says about itself, over a connection that trusts nothing yet: its CA and version.
 * The CA it names must be the one its TLS connection was actually signed by (checked here), and a
 * person compares its fingerprint with the server console before enrolling.
 */
export async function introduceServer(address: string, appVersion: string): Promise<Hello & { presentedCaFingerprint: string | null }> {
  const link = siteLink(address, null, appVersion);
  try {
    let presented: string | null = null;
    const answer = await new Promise<HttpAnswer>((resolve, reject) => {
      const url = new URL(address);
      const req = request(
        { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443), path: SITE_PATHS.hello, method: 'GET', rejectUnauthorized: false, timeout: 8000, headers: { [VERSION_HEADER]: appVersion } },
        (response) => {
          // The root of the chain the server presented: the CA that signed this very connection.
          let cert = (response.socket as TLSSocket).getPeerCertificate(true);
          while (cert?.issuerCertificate && cert.issuerCertificate !== cert && cert.issuerCertificate.fingerprint256 !== cert.fingerprint256) cert = cert.issuerCertificate;
          presented = cert?.fingerprint256 ?? null;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            try {
              resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), serverVersion: String(response.headers[VERSION_HEADER] ?? '') });
            } catch {
              reject(new UnreachableError(`${address} answered, but not as an Aviation Workflow site server.`));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 8 s')));
      req.on('error', (error) => reject(new UnreachableError(error.message)));
      req.end();
    });
    const hello = answer.body as Partial<Hello> | null;
    if (answer.status !== 200 || !hello || typeof hello.caPem !== 'string' || typeof hello.serverVersion !== 'string') {
      const message = (answer.body as { error?: { message?: string } } | null)?.error?.message;
      throw new UnreachableError(message ?? `${address} answered ${answer.status}, not as an Aviation Workflow site server.`);
    }
    return { caPem: hello.caPem, caFingerprint: fingerprintOf(hello.caPem), serverVersion: hello.serverVersion, presentedCaFingerprint: presented };
  } finally {
    link.close();
  }
}
