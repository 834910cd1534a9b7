import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../../src/shared/errors';
import type { RunningHarness } from './harness';
import { applyUsersSwitch, type UsersOption } from './usersSwitch';

export interface RunningSiteServer {
  url: string;
  port: number;
  dataDir: string;
  caFingerprint: string;
  /** The code printed at the first start (null after that). */
  firstCode: string | null;
  output(): string;
  /** How the last run ended: its exit code, or null while it runs (or when killed by a signal). */
  exitCode(): number | null;
  /** A new one-time enrollment code, asked of the running server as its command line does. */
  newCode(): Promise<string>;
  /** Stops it gracefully (SIGTERM), keeping its data folder. */
  stop(): Promise<void>;
  /** Kills it (SIGKILL: a crash), keeping its data folder. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data folder. */
  restart(): Promise<void>;
  /** Stops it and removes a folder made for it. */
  dispose(): Promise<void>;
}

/**
 * Starts the built site server (out/main/server.js) on loopback and a free port (or `port`),
 * with its data folder (a new throw-away one unless given). Sign-in (the users module) is off
 * unless `users` asks for it, as for the harness (see usersSwitch.ts).
 */
export async function runSiteServer(root: string, options: { dataDir?: string; users?: UsersOption; port?: number } = {}): Promise<RunningSiteServer> {
  const script = join(root, 'out', 'main', 'server.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first.`);
  const made = options.dataDir ? null : mkdtempSync(join(tmpdir(), 'aw-site-'));
  const dataDir = options.dataDir ?? made!;
  applyUsersSwitch(root, dataDir, options.users ?? false);
  let child: ChildProcess;
  let output = '';
  let port = options.port ?? 0;
  const start = () =>
    new Promise<{ fingerprint: string; code: string | null }>((resolve, reject) => {
      output = '';
      child = spawn(process.execPath, [script, '--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      const timer = setTimeout(() => reject(new Error(`the site server did not start:\n${output}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const listening = output.match(/listening on\s+127\.0\.0\.1:(\d+)/);
        const fingerprint = output.match(/((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/);
        if (listening && fingerprint && output.includes('To connect a terminal')) {
          clearTimeout(timer);
          port = Number(listening[1]);
          resolve({ fingerprint: fingerprint[1]!, code: output.match(/enrollment code \(one use[^)]*\): (\S+)/)?.[1] ?? null });
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the site server exited with ${code}:\n${output}`));
      });
    });
  const first = await start();
  const kill = (signal: NodeJS.Signals = 'SIGKILL') =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill(signal);
    });
  const server: RunningSiteServer = {
    get url() {
      return `https://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dataDir,
    caFingerprint: first.fingerprint,
    firstCode: first.code,
    output: () => output,
    exitCode: () => child.exitCode,
    newCode: () =>
      new Promise((resolve, reject) => {
        const token = readFileSync(join(dataDir, 'server-admin.token'), 'utf8');
        const ask = request({ host: '127.0.0.1', port, path: '/local/enrollment-codes', method: 'POST', headers: { 'x-aw-admin-token': token }, rejectUnauthorized: false }, (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => (response.statusCode === 200 ? resolve((JSON.parse(body) as { code: string }).code) : reject(new Error(`${response.statusCode} ${body}`))));
        });
        ask.on('error', reject);
        ask.end();
      }),
    stop: () => kill('SIGTERM'),
    kill,
    restart: async () => {
      await start();
    },
    dispose: async () => {
      await kill('SIGTERM');
      if (made) rmSync(made, { recursive: true, force: true });
    },
  };
  return server;
}

/** Enrolls a harness started with --site <server.url>, as a person would on its first screen. */
export async function enrollHarness(harness: RunningHarness, server: RunningSiteServer, name: string, code?: string): Promise<Result<unknown>> {
  const introduced = await harness.call('terminal.inspect', { address: server.url });
  if (!introduced.ok) return introduced;
  const fingerprint = (introduced.value as { caFingerprint: string }).caFingerprint;
  if (fingerprint !== server.caFingerprint) throw new Error(`the terminal saw ${fingerprint}, the server console shows ${server.caFingerprint}`);
  return harness.call('terminal.enroll', { address: server.url, code: code ?? (await server.newCode()), name, caFingerprint: fingerprint });
}
