import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';

/**
 * The small pieces of HTTP the browser harness needs, kept apart from the server so that tests can
 * check them directly: the request target, the JSON media type, the session, the body limit, the
 * command line. Hand-written on purpose (node:http only): the harness is a development and test tool
 * of a few routes, and each rule here is a line or two that a test pins down.
 */

/** The path and query of an origin-form request target ("/a/b?c"), or null for anything else. */
export function splitTarget(target: string | undefined): { path: string; query: string } | null {
  // Only origin-form: an absolute URL (proxy form), "*" or anything else is not for this server.
  if (!target || !target.startsWith('/')) return null;
  const end = target.search(/[?#]/);
  if (end < 0) return { path: target, query: '' };
  const query = target[end] === '?' ? target.slice(end + 1).split('#')[0]! : '';
  return { path: target.slice(0, end), query };
}

/** The path of a request target, percent-decoded, or null when it is not a well-formed path. */
export function decodePath(path: string): string | null {
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/**
 * True for exactly the JSON media type the page sends: `application/json`, optionally with one
 * `charset=utf-8` parameter (quoted or not), any case, spaces around the `;` (RFC 9110 §8.3.1).
 * `application/jsonp`, `application/json-patch+json`, `text/plain`, another charset or any other
 * parameter are refused.
 */
export function isJsonContentType(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  return /^[ \t]*application\/json[ \t]*(;[ \t]*charset=("utf-8"|utf-8)[ \t]*)?$/i.test(header);
}

/** True for the Host header of this server: 127.0.0.1 or localhost at the port it listens on. */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/**
 * True when a browser says the request comes from another page: an Origin other than this
 * server's own (including "null": a sandboxed frame, a file:// page), or a Sec-Fetch-Site other than
 * same-origin (or none: typed into the address bar). Programs that send neither (the tests, curl)
 * are not browsers carrying someone else's page and pass; the Host check stays in force for them.
 */
export function isForeignRequest(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${headers.host}`) return true;
  const site = headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/** A terminal's session name as the page makes it (a UUID) or a test names it: letters, digits, - and _. */
export const SESSION_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

export function isSessionName(value: unknown): value is string {
  return typeof value === 'string' && SESSION_PATTERN.test(value);
}

export type Body = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'not-utf-8' | 'aborted' };

/**
 * Reads a request body of at most `limit` bytes as UTF-8. Stops reading as soon as the limit is
 * passed (a declared Content-Length over it is refused before a byte is read), leaving the socket
 * open for the answer, and never throws: a client that goes away mid-body is `aborted`.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (body: Body) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.pause();
      settle({ ok: false, reason: 'too-large' });
    };
    req.on('data', onData);
    req.on('end', () => {
      try {
        settle({ ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) });
      } catch {
        settle({ ok: false, reason: 'not-utf-8' });
      }
    });
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => settle({ ok: false, reason: 'aborted' }));
  });
}

type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/**
 * The command line's values, or exit: `--help` (or `-h`) prints the options and exits 0; an unknown
 * option or a missing value prints one line and exits 2, without a stack.
 */
export function parseCommandLine<T extends Options>(
  config: {
    options: T;
    /** One line per option for --help; an option without one is listed by name. */
    describe: Partial<Record<keyof T, string>>;
    command: string;
    summary: string;
    exitCodes: string[];
  },
  argv = process.argv.slice(2),
): { values: ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: false }>>['values'] } {
  const { options, describe, command } = config;
  const help = (): string => {
    const lines = Object.entries(options).map(([name, option]) => {
      const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ' <value>' : ''}`;
      const fallback = option.default !== undefined && option.type === 'string' ? ` (default ${String(option.default)})` : '';
      return `  ${flag.padEnd(34)}${describe[name as keyof T] ?? ''}${fallback}`;
    });
    return [`Usage: ${command}${command.startsWith('npm ') ? ' --' : ''} [options]`, '', config.summary, '', 'Options:', ...lines, '', 'Exit codes:', ...config.exitCodes.map((c) => `  ${c}`), ''].join('\n');
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help());
    process.exit(0);
  }
  try {
    return { values: parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as never };
  } catch (error) {
    process.stderr.write(`${command}: ${(error as Error).message.split('\n')[0]} (see --help)\n`);
    process.exit(2);
  }
}
