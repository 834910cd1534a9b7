import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppOrRecover, describeDamage, recoveryChoices } from '../core/recovery';
import { StartupError } from '../core/startupError';
import { RESTARTED_EVENT } from '../shared/events';
import { allChannelNames } from '../shared/moduleContracts';

/**
 * The browser harness: the real core under plain Node, the built renderer over
 * http://127.0.0.1, and `window.api` provided by a small script that POSTs to the core.
 * Used by `npm run web` and by the Playwright tests. Listens on loopback only.
 */

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '5180' },
    'data-dir': { type: 'string' },
    'fresh': { type: 'boolean', default: false },
    'restore-latest-backup': { type: 'boolean', default: false },
    // A missing or emptied database in a folder used before: start over with a new one, on purpose.
    'start-new-database': { type: 'boolean', default: false },
  },
});

const projectRoot = resolve(import.meta.dirname, '../..');
const rendererDir = join(projectRoot, 'out', 'renderer');
const dataDir = args.fresh
  ? mkdtempSync(join(tmpdir(), 'aviation-workflow-web-'))
  : resolve(args['data-dir'] ?? join(projectRoot, '.data', 'web'));

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

const startCore = () => {
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
  app.onChange((channel) => {
    for (const client of sseClients) client.write(`data: ${channel}\n\n`);
  });
  return app;
};
// The same restart an admin asks for in the settings window: close the core and open it again.
function restartCore() {
  core.close();
  core = startCore();
  for (const client of sseClients) client.write(`data: ${RESTARTED_EVENT}\n\n`);
}
const sseClients = new Set<ServerResponse>();
let core = startCore();

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

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
  new EventSource('/__events').onmessage = (event) => listeners.forEach((l) => l(event.data));
  window.appEvents = Object.freeze({ onChanged(listener) { listeners.add(listener); return () => listeners.delete(listener); } });
})();`;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function serveFile(res: ServerResponse, urlPath: string): void {
  const wanted = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  let file = resolve(rendererDir, wanted);
  if (!file.startsWith(rendererDir + sep) && file !== rendererDir) return send(res, 403, 'text/plain', 'Forbidden');
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
  if (!existsSync(file)) return send(res, 500, 'text/plain', 'The renderer is not built. Run: npm run build');
  if (file.endsWith('index.html')) {
    const html = readFileSync(file, 'utf8').replace('<script', '<script src="/__harness/api.js"></script>\n    <script');
    return send(res, 200, MIME['.html']!, html);
  }
  send(res, 200, MIME[extname(file)] ?? 'application/octet-stream', readFileSync(file));
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  // A page elsewhere that points its own host name at 127.0.0.1 (DNS rebinding) is refused.
  if (!/^(127\.0\.0\.1|localhost):\d+$/.test(req.headers.host ?? '')) return send(res, 421, 'text/plain', 'Wrong host');
  const origin = req.headers.origin;
  // Only pages served by this harness may call the core (no other local page or site).
  const sameOrigin = !origin || origin === `http://${req.headers.host}`;

  if (url.pathname.startsWith('/__api/') && req.method === 'POST') {
    if (!sameOrigin || !String(req.headers['content-type']).startsWith('application/json')) {
      return send(res, 403, 'application/json', JSON.stringify({ ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the app’s own page.' } }));
    }
    let input: unknown;
    try {
      input = JSON.parse((await readBody(req)) || '{}');
    } catch {
      return send(res, 200, 'application/json', JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: 'The request body is not valid JSON.' } }));
    }
    const session = String(req.headers['x-aw-session'] ?? 'browser').slice(0, 100);
    const result = await core.invoke(decodeURIComponent(url.pathname.slice('/__api/'.length)), input, `browser:${session}`);
    return send(res, 200, 'application/json', JSON.stringify(result));
  }
  if (url.pathname === '/__harness/api.js') return send(res, 200, MIME['.js']!, bridgeScript);
  if (url.pathname === '/__events') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    sseClients.add(res);
    req.on('close', () => sseClients.delete(res));
    return;
  }
  if (req.method !== 'GET') return send(res, 405, 'text/plain', 'Method not allowed');
  serveFile(res, url.pathname);
});

server.listen(Number(args.port), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : args.port;
  console.log(`Aviation Workflow (browser harness) on http://127.0.0.1:${port}/  data: ${dataDir}`);
});

const shutdown = () => {
  for (const client of sseClients) client.end();
  server.close();
  core.close();
  if (args.fresh) rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
