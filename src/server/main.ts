import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { describeDamage, recoveryChoices, type RecoveryChoice } from '../core/recovery';
import type { DatabaseCorruptError } from '../core/db/restore';
import { StartupError } from '../core/startupError';
import { parseCommandLine } from '../harness/http';
import { ADMIN_TOKEN_HEADER, LOCAL_ENROLLMENT_CODES, startSiteServer, type SiteServer } from './siteServer';

/** `npm run server`: a site server from the source tree (or the installed folder), in the foreground. */

/**
 * How people start this server: the server package's bin/aviation-workflow-server names itself in
 * AVIATION_WORKFLOW_COMMAND (so what is printed works on an installed server); else npm in the source tree.
 */
const quoted = (word: string) =>
  /^[\w./:=@-]+$/.test(word) || (process.platform === 'win32' && /^[\w./:=@\\-]+$/.test(word))
    ? word
    : process.platform === 'win32'
      ? `"${word}"`
      : `'${word.replaceAll("'", `'\\''`)}'`;
const runCommand = process.env['AVIATION_WORKFLOW_COMMAND'] ? quoted(process.env['AVIATION_WORKFLOW_COMMAND']) : 'npm run server';
const commandWith = (args: string[]) => [runCommand, ...(runCommand.startsWith('npm ') ? ['--'] : []), ...args.map(quoted)].join(' ');
/** In the source tree `npm run server:code` asks the running server without building the app again first. */
const newCodeCommand = (args: string[]) =>
  runCommand === 'npm run server' ? ['npm run server:code', ...(args.length ? ['--', ...args.map(quoted)] : [])].join(' ') : commandWith(['--new-enrollment-code', ...args]);

const { values: args } = parseCommandLine({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    'data-dir': { type: 'string' },
    host: { type: 'string', default: '0.0.0.0' },
    port: { type: 'string', default: '8443' },
    'new-enrollment-code': { type: 'boolean', default: false },
    'restore-latest-backup': { type: 'boolean', default: false },
    'start-new-database': { type: 'boolean', default: false },
  },
  describe: {
    help: 'print this text and exit',
    'data-dir': 'the site\'s data folder (database, settings, TLS keys, logs); default $AVIATION_WORKFLOW_DATA_DIR or .data/site in the project',
    host: 'the address to listen on (0.0.0.0: every network of this machine)',
    port: 'the port to listen on',
    'new-enrollment-code': 'print a new one-time enrollment code from the server running on this data folder, and exit',
    'restore-latest-backup': 'if the database is damaged, restore its latest verified backup and start',
    'start-new-database': 'if the database is missing or emptied in a folder used before, start over with a new, empty one',
  },
  command: runCommand,
  summary: 'Runs an Aviation Workflow site server: the database and workflow engine for every terminal of the hangar, over HTTPS.',
  exitCodes: ['0  stopped by Ctrl+C or SIGTERM (after finishing the calls in flight)', '1  could not start (see the message)', '2  a wrong command line'],
});

const root = resolve(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const defaultDataDir = join(root, '.data', 'site');
const dataDir = resolve(args['data-dir'] ?? process.env['AVIATION_WORKFLOW_DATA_DIR'] ?? defaultDataDir);
const port = Number(args.port);
if (!/^\d{1,5}$/.test(args.port) || port > 65535) {
  process.stderr.write(`${runCommand}: --port must be a number from 0 to 65535, not "${args.port}" (see --help)\n`);
  process.exit(2);
}

/**
 * Asks the server running on this data folder (loopback, with the token only its user can read),
 * trusting only this data folder's site CA: whatever else listens on that port (another user's
 * program, a wrong --port) is refused before the token is sent.
 */
function newCodeFromRunningServer(): Promise<void> {
  let token: string;
  let caPem: string;
  try {
    token = readFileSync(join(dataDir, 'server-admin.token'), 'utf8');
    caPem = readFileSync(join(dataDir, 'tls', 'site-ca.pem'), 'utf8');
  } catch {
    process.stderr.write(`No site server has run on ${dataDir} (no server-admin.token or tls/site-ca.pem there). Start it first: ${runCommand}\n`);
    process.exit(1);
  }
  return new Promise((done) => {
    const ask = request(
      // The site CA issues nothing but this server's certificate; its names are not checked (as at the terminals).
      { host: '127.0.0.1', port, path: LOCAL_ENROLLMENT_CODES, method: 'POST', headers: { [ADMIN_TOKEN_HEADER]: token }, ca: caPem, checkServerIdentity: () => undefined },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) {
            process.stderr.write(`The site server refused (${response.statusCode}): is it this data folder's server on port ${port}?\n`);
            process.exit(1);
          }
          const { code, expiresAt } = JSON.parse(body) as { code: string; expiresAt: string };
          console.log(`Enrollment code (one use, until ${new Date(expiresAt).toLocaleString()}): ${code}`);
          done();
        });
      },
    );
    ask.on('error', (error) => {
      process.stderr.write(`Could not reach the site server on 127.0.0.1:${port} (${error.message}). Is it running? Give its --port if it is not ${port}.\n`);
      process.exit(1);
    });
    ask.end();
  });
}

const chooseRecovery = (damaged: DatabaseCorruptError): RecoveryChoice => {
  const { question, detail } = describeDamage(damaged);
  const choices = recoveryChoices(damaged);
  const restore = choices.find((c) => c.label === 'Restore')?.choice;
  if (restore && args['restore-latest-backup']) return restore;
  if (args['start-new-database'] && choices.some((c) => c.choice === 'start-new')) return 'start-new';
  console.error(`${question}\n${detail}`);
  if (restore) console.error('To restore it, start again with --restore-latest-backup.');
  if (choices.some((c) => c.choice === 'start-new')) console.error('To start over with a new, empty database, start again with --start-new-database.');
  return null;
};

const addresses = (listenPort: number) =>
  args.host === '0.0.0.0' || args.host === '::'
    ? Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal && a.family === 'IPv4')
        .map((a) => `https://${a!.address}:${listenPort}`)
    : [`https://${args.host}:${listenPort}`];

async function run(): Promise<void> {
  if (args['new-enrollment-code']) return newCodeFromRunningServer();
  let server: SiteServer;
  try {
    server = await startSiteServer({
      dataDir,
      assetsRoot: root,
      appVersion: version,
      host: args.host,
      port,
      chooseRecovery,
      onFatal: (reason) => {
        console.error(`The site server stops: ${reason}.`);
        process.exit(1);
      },
    });
  } catch (error) {
    const known = error instanceof StartupError || (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    console.error(`The site server could not start: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
    process.exit(1);
  }
  const reach = addresses(server.port);
  console.log(
    [
      `Aviation Workflow site server ${version}`,
      `  listening on   ${args.host}:${server.port}`,
      `  terminals use  ${reach.length ? reach.join(', ') : `https://<this machine's address>:${server.port}`}`,
      `  data folder    ${dataDir} (logs in logs/)`,
      `  site CA fingerprint (SHA-256), for people to compare at each terminal:`,
      `                 ${server.caFingerprint}`,
      ...(server.firstEnrollmentCode
        ? [`  enrollment code (one use, until ${new Date(server.firstEnrollmentCode.expiresAt).toLocaleString()}): ${server.firstEnrollmentCode.code}`]
        : []),
      '',
      'To connect a terminal: start Aviation Workflow there, choose "Connect to a site server", enter the address,',
      'check that the fingerprint it shows is the one above, and type an enrollment code.',
      `More codes: ${newCodeCommand([
        ...(dataDir !== defaultDataDir ? ['--data-dir', dataDir] : []),
        ...(server.port !== 8443 ? ['--port', String(server.port)] : []),
      ])}  (or Settings → Terminals, as an administrator)`,
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing the calls in flight, then stopping.`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopping failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void run();
