import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { siteTerminalHost } from '../terminal/siteTerminalHost';
import { standaloneHost } from '../terminal/standaloneHost';
import type { TerminalHost } from '../terminal/terminalHost';
import { plainFileVault, terminalConfig } from '../terminal/terminalConfig';
import { createAppOrRecover, describeDamage, recoveryChoices } from '../core/recovery';
import { StartupError } from '../core/startupError';
import { locateRendererFile, RENDERER_MIME_TYPES } from '../main/rendererFiles';
import { hostEvent, RESTARTED_EVENT, type ChangeEvent } from '../shared/events';
import { allChannelNames } from '../shared/moduleContracts';
import { decodePath, isForeignRequest, isJsonContentType, isOwnHost, isSessionName, parseCommandLine, readBody, splitTarget } from './http';

/**
 * The browser harness: the real core under plain Node, the built renderer over
 * http://127.0.0.1, and `window.api` provided by a small script that POSTs to the core.
 * Used by `npm run web` and by the Playwright tests. Listens on loopback only.
 */

const { values: args } = parseCommandLine({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    port: { type: 'string', default: '5180' },
    'data-dir': { type: 'string' },
    'fresh': { type: 'boolean', default: false },
    'restore-latest-backup': { type: 'boolean', default: false },
    // A missing or emptied database in a folder used before: start over with a new one, on purpose.
    'start-new-database': { type: 'boolean', default: false },
    // A site terminal: no database here; every call goes to this site server.
    site: { type: 'string' },
  },
  describe: {
    help: 'print this text and exit',
    port: 'the loopback port to listen on; 0 picks a free one',
    'data-dir': 'the data folder (database, settings, backups); default .data/web in the project',
    fresh: 'use a new throw-away data folder, removed when the harness stops',
    'restore-latest-backup': 'if the database is damaged, restore its latest verified backup and start',
    'start-new-database': 'if the database is missing or emptied in a folder used before, start over with a new, empty one',
    site: 'be a terminal of this site server (https://host:port): the page asks for an enrollment code first; the credential is kept in terminal.json in the data folder',
  },
  command: 'npm run web',
  summary: 'Serves the built app on http://127.0.0.1:<port>/ with the real core under Node (loopback only).',
  exitCodes: ['0  stopped by Ctrl+C or SIGTERM', '1  could not start: the port is in use, the database is damaged, …', '2  a wrong command line'],
});
if (!/^\d{1,5}$/.test(args.port) || Number(args.port) > 65535) {
  process.stderr.write(`npm run web: --port must be a number from 0 to 65535, not "${args.port}" (see --help)\n`);
  process.exit(2);
}

const projectRoot = resolve(import.meta.dirname, '../..');
const rendererDir = join(projectRoot, 'out', 'renderer');
/** Chosen once the port is ours: a harness that cannot listen leaves no data folder behind. */
let dataDir = '';

const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
/** The same choice the desktop app's dialog offers when the database is damaged or missing, on the command line. */
const chooseBackup: Parameters<typeof createAppOrRecover>[1] = (damaged) => {
  const { question, detail } = describeDamage(damaged);
  const choices = recoveryChoices(damaged);
  const restore = choices.find((c) => c.label === 'Restore')?.choice;
  if (restore && args['restore-latest-backup']) {
    console.log(`${question}\nRestoring it (--restore-latest-backup).`);
    return restore;
  }
  if (args['start-new-database'] && choices.some((c) => c.choice === 'start-new')) {
    console.log(`${question}\nStarting a new, empty database (--start-new-database).`);
    return 'start-new';
  }
  console.error(`${question}\n${detail}`);
  if (restore) console.error('To restore it, start again with --restore-latest-backup (npm run web -- --restore-latest-backup).');
  if (choices.some((c) => c.choice === 'start-new')) console.error('To start over with a new, empty database, start again with --start-new-database.');
  return null;
};

const startHost = (): TerminalHost => {
  // terminal.json decides once it exists (an administrator may have switched the mode); before that, --site.
  const mode = terminalConfig(dataDir).read()?.mode ?? (args.site ? 'site' : 'standalone');
  if (mode === 'site') {
    const site = siteTerminalHost({ dataDir, appVersion: version, vault: plainFileVault, ...(args.site ? { server: args.site } : {}), log: (m) => console.log(m), restart: restartCore });
    site.onEvent((event) => broadcast(event));
    return site;
  }
  let app: ReturnType<typeof createAppOrRecover>;
  try {
    app = createAppOrRecover({ dataDir, assetsRoot: projectRoot, appVersion: version, restart: restartCore }, chooseBackup);
  } catch (error) {
    // A reason a person can act on (the folder is in use, read-only, the disk full): said plainly.
    if (!(error instanceof StartupError)) throw error;
    console.error(`Aviation Workflow could not start: ${error.message}`);
    process.exit(1);
  }
  if (!app) process.exit(1);
  // Every page is its own session, but the harness cannot tell machines apart (a page names its
  // own session), so sign-in limits count all of them as one terminal: this computer.
  const host = standaloneHost(app, HARNESS_TERMINAL, version, { dataDir, restart: restartCore });
  host.onEvent((event) => broadcast(event));
  return host;
};
// The same restart an admin asks for in the settings window: close the core and open it again.
function restartCore() {
  void core?.close();
  core = startHost();
  broadcast(hostEvent(RESTARTED_EVENT));
}
let core: TerminalHost | undefined;

/** The largest request body the core is sent (1 MB); the page's calls are a few kilobytes. */
const BODY_LIMIT = 1_000_000;
/** Pages listening for changes at once; each open page holds one. */
const MAX_EVENT_CLIENTS = 100;
/** A listener that has not read this much of its stream is gone or stuck, and is dropped. */
const MAX_UNREAD_EVENTS = 256 * 1024;
const sseClients = new Set<ServerResponse>();

function broadcast(event: ChangeEvent): void {
  const data = JSON.stringify(event);
  for (const client of sseClients) {
    if (client.writableLength > MAX_UNREAD_EVENTS) {
      sseClients.delete(client);
      client.destroy();
    } else client.write(`data: ${data}\n\n`);
  }
}
// A comment line now and then: a listener whose connection died is noticed and dropped.
setInterval(() => {
  for (const client of sseClients) client.write(': ping\n\n');
}, 20_000).unref();

/** The one terminal every page of this harness is, for sign-in limits. */
const HARNESS_TERMINAL = 'browser-harness';

const bridgeScript = `(() => {
  const channels = ${JSON.stringify(allChannelNames)};
  // Each page is its own terminal: who works there is remembered per session.
  let session = sessionStorage.getItem('aw-session');
  if (!session) sessionStorage.setItem('aw-session', (session = crypto.randomUUID()));
  const call = (channel) => async (input) => {
    try {
      const response = await fetch('/__api/' + encodeURIComponent(channel), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-aw-session': session },
        body: JSON.stringify(input === undefined ? {} : input),
      });
      return await response.json();
    } catch (error) {
      return { ok: false, error: { code: 'INTERNAL', message: 'The app core is not reachable: ' + error.message } };
    }
  };
  window.api = Object.freeze(Object.fromEntries(channels.map((c) => [c, call(c)])));
  const listeners = new Set();
  new EventSource('/__events?session=' + encodeURIComponent(session)).onmessage = (event) => {
    const change = JSON.parse(event.data);
    listeners.forEach((l) => l(change));
  };
  window.appEvents = Object.freeze({ onChanged(listener) { listeners.add(listener); return () => listeners.delete(listener); } });
})();`;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

/** An answer from the API in the core's own shape, so the page shows it like any other error. */
function sendError(res: ServerResponse, status: number, code: 'VALIDATION' | 'FORBIDDEN' | 'INTERNAL', message: string, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify({ ok: false, error: { code, message } }), headers);
}

function serveIndex(res: ServerResponse): void {
  const index = locateRendererFile(rendererDir, '/index.html');
  if (!index.ok) return send(res, 500, 'text/plain; charset=utf-8', 'The renderer is not built. Run: npm run build');
  const html = readFileSync(index.file, 'utf8').replace('<script', '<script src="/__harness/api.js"></script>\n    <script');
  send(res, 200, RENDERER_MIME_TYPES['.html']!, html);
}

async function handleApi(req: IncomingMessage, res: ServerResponse, rawChannel: string): Promise<void> {
  if (req.method !== 'POST') return sendError(res, 405, 'VALIDATION', 'Calls are POST requests.', { allow: 'POST' });
  // Only pages served by this harness may call the core (no other local page or site).
  if (isForeignRequest(req.headers)) return sendError(res, 403, 'FORBIDDEN', 'Calls are accepted only from the app’s own page.');
  const channel = decodePath(rawChannel);
  if (channel === null) return sendError(res, 400, 'VALIDATION', 'The channel name in the URL is not well-formed.');
  if (!isJsonContentType(req.headers['content-type'])) {
    return sendError(res, 415, 'VALIDATION', 'Calls are sent as application/json (charset utf-8).');
  }
  const sessionHeader = req.headers['x-aw-session'];
  if (sessionHeader !== undefined && !isSessionName(sessionHeader)) {
    return sendError(res, 400, 'VALIDATION', 'The session header is not a session name (letters, digits, - and _; at most 100).');
  }
  const body = await readBody(req, BODY_LIMIT);
  if (!body.ok) {
    if (body.reason === 'aborted') return void res.destroy();
    if (body.reason === 'too-large') {
      // The rest of the body is not read: answer and close the connection.
      return sendError(res, 413, 'VALIDATION', `The request body is larger than ${BODY_LIMIT.toLocaleString('en')} bytes.`, { connection: 'close' });
    }
    return sendError(res, 400, 'VALIDATION', 'The request body is not valid UTF-8.');
  }
  let input: unknown;
  try {
    input = JSON.parse(body.text || '{}');
  } catch {
    return sendError(res, 400, 'VALIDATION', 'The request body is not valid JSON.');
  }
  if (!core) return sendError(res, 503, 'INTERNAL', 'The app core is starting.');
  const result = await core.invoke(channel, input, `browser:${sessionHeader ?? 'browser'}`);
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(result));
}

function handleEvents(req: IncomingMessage, res: ServerResponse, query: string): void {
  if (req.method !== 'GET') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { allow: 'GET' });
  if (isForeignRequest(req.headers)) return send(res, 403, 'text/plain; charset=utf-8', 'The change stream is only for the app’s own page.');
  if (!isSessionName(new URLSearchParams(query).get('session'))) {
    return send(res, 403, 'text/plain; charset=utf-8', 'The change stream needs the page’s session (/__events?session=<name>).');
  }
  if (sseClients.size >= MAX_EVENT_CLIENTS) return send(res, 503, 'text/plain; charset=utf-8', 'Too many pages are listening.', { 'retry-after': '5' });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
  res.write(': connected\n\n');
  sseClients.add(res);
  res.on('close', () => sseClients.delete(res));
  res.on('error', () => sseClients.delete(res)); // a write racing the socket's end: drop it, never throw
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // A page elsewhere that points its own host name at 127.0.0.1 (DNS rebinding) is refused.
  if (!isOwnHost(req.headers.host, listeningPort())) return send(res, 421, 'text/plain; charset=utf-8', 'Wrong host');
  const target = splitTarget(req.url);
  if (!target) return send(res, 400, 'text/plain; charset=utf-8', 'Bad request target');
  if (target.path.startsWith('/__api/')) return handleApi(req, res, target.path.slice('/__api/'.length));
  if (target.path === '/__events') return handleEvents(req, res, target.query);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { allow: 'GET, HEAD' });
  if (target.path === '/__harness/api.js') return send(res, 200, RENDERER_MIME_TYPES['.js']!, bridgeScript);
  if (target.path === '/' || target.path === '/index.html') return serveIndex(res);
  const found = locateRendererFile(rendererDir, target.path);
  if (found.ok) return send(res, 200, found.mimeType, readFileSync(found.file));
  if (found.status === 404) return serveIndex(res); // the app's routes are in the hash; any other path gets the page
  send(res, found.status, 'text/plain; charset=utf-8', found.status === 400 ? 'Bad request' : 'Forbidden');
}

/** Whatever a request does, it cannot take the process down: a failure is logged and answered 500. */
function guarded(req: IncomingMessage, res: ServerResponse): void {
  handle(req, res).catch((error: unknown) => {
    try {
      console.error(`harness: ${req.method} ${String(req.url).slice(0, 200)} failed: ${(error as Error)?.stack ?? String(error)}`);
      if (res.headersSent) res.destroy();
      else sendError(res, 500, 'INTERNAL', 'The harness could not answer this request.', { connection: 'close' });
    } catch {
      res.destroy();
    }
  });
}

// Timeouts are checked every 2 s (Node's default is 30 s, which let an idle or slow client hold a
// connection for up to 40 s past headersTimeout).
const server = createServer({ maxHeaderSize: 16 * 1024, connectionsCheckingInterval: 2_000 }, guarded);
// A client announcing a body too large for the core gets its 413 without being asked to send it.
server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
  if (!(Number(req.headers['content-length']) > BODY_LIMIT)) res.writeContinue();
  guarded(req, res);
});
server.headersTimeout = 10_000;
server.requestTimeout = 30_000; // a body trickled in slower than this is cut off (408)
server.maxConnections = 512; // more are dropped at once; idle ones go after headersTimeout
const listeningPort = (): number => {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : Number(args.port);
};

server.on('error', (error: NodeJS.ErrnoException) => {
  if (server.listening) return void console.error(`harness: ${error.message}`);
  const why =
    error.code === 'EADDRINUSE'
      ? `port ${args.port} on 127.0.0.1 is in use (is the harness already running?); choose another with --port <number>`
      : error.code === 'EACCES'
        ? `port ${args.port} on 127.0.0.1 may not be used by this user; choose another with --port <number>`
        : `could not listen on 127.0.0.1:${args.port}: ${error.message}`;
  process.stderr.write(`npm run web: ${why}\n`);
  process.exit(1);
});

server.listen(Number(args.port), '127.0.0.1', () => {
  dataDir = args.fresh ? mkdtempSync(join(tmpdir(), 'aviation-workflow-web-')) : resolve(args['data-dir'] ?? join(projectRoot, '.data', 'web'));
  core = startHost();
  console.log(`Aviation Workflow (browser harness${args.site ? `, terminal of ${args.site}` : ''}) on http://127.0.0.1:${listeningPort()}/  data: ${dataDir}`);
});

// A throw-away data folder goes however the process ends.
process.on('exit', () => {
  if (args.fresh && dataDir) rmSync(dataDir, { recursive: true, force: true });
});
const shutdown = () => {
  for (const client of sseClients) client.end();
  server.close();
  void Promise.resolve(core?.close()).finally(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
