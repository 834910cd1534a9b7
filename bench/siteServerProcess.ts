import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

export interface BenchServer {
  url: string;
  caPem: string;
  /** A one-time enrollment code from the server's own command-line endpoint. */
  newCode(): Promise<string>;
  /** The server process's CPU time and bytes written so far, and its resident memory now. */
  usage(): { cpuMs: number; rssMb: number; writtenMb: number };
  /** The longest the server's event loop was blocked since the last ask (its /health, from loopback). */
  longestStallMs(): Promise<number>;
  /** Commits and the flushes to disk that covered them (group commit) since the server's core opened. */
  durability(): Promise<Durability>;
  /** What the server logged as a stall or slow work since `sinceMs` (epoch ms): the causes of long waits. */
  stallsLogged(sinceMs: number): string[];
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_S = 100;

interface Durability {
  commits: number;
  flushes: number;
  flushMs: number;
}
interface Health {
  eventLoopDelaySinceLastHealth: { maxMs: number };
  durability?: Durability;
}

/** Starts the built site server (out/main/server.js) on loopback with this data folder. */
export async function startBenchServer(root: string, dataDir: string): Promise<BenchServer> {
  // BENCH_SERVER_NODE_ARGS: flags for the server's Node only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'out', 'main', 'server.js'), '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the site server did not start:\n${output}`)), 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/listening on\s+127\.0\.0\.1:(\d+)/);
      if (match && output.includes('To connect a terminal')) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the site server exited with ${code}:\n${output}`)));
  });
  const token = readFileSync(join(dataDir, 'server-admin.token'), 'utf8');
  const health = () =>
    new Promise<Health>((resolve, reject) => {
      const ask = request({ host: '127.0.0.1', port, path: '/health', method: 'GET', ca: readFileSync(join(dataDir, 'tls', 'site-ca.pem'), 'utf8'), checkServerIdentity: () => undefined }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(JSON.parse(body) as Health));
      });
      ask.on('error', reject);
      ask.end();
    });
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: readFileSync(join(dataDir, 'tls', 'site-ca.pem'), 'utf8'),
    newCode: () =>
      new Promise((resolve, reject) => {
        const ask = request({ host: '127.0.0.1', port, path: '/local/enrollment-codes', method: 'POST', headers: { 'x-aw-admin-token': token }, rejectUnauthorized: false }, (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => (response.statusCode === 200 ? resolve((JSON.parse(body) as { code: string }).code) : reject(new Error(body))));
        });
        ask.on('error', reject);
        ask.end();
      }),
    usage: () => {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const cpuMs = ((Number(stat[11]) + Number(stat[12])) / CLOCK_TICKS_PER_S) * 1000;
      const rss = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      // Bytes the process asked the kernel to write (the log, the database when checkpointed, its own logs).
      const written = readFileSync(`/proc/${child.pid}/io`, 'utf8').match(/wchar:\s+(\d+)/);
      return { cpuMs, rssMb: rss ? Number(rss[1]) / 1024 : 0, writtenMb: written ? Number(written[1]) / 2 ** 20 : 0 };
    },
    longestStallMs: async () => (await health()).eventLoopDelaySinceLastHealth.maxMs,
    durability: async () => (await health()).durability ?? { commits: 0, flushes: 0, flushMs: 0 },
    stallsLogged: (sinceMs) => {
      const logDir = join(dataDir, 'logs');
      if (!existsSync(logDir)) return [];
      return readdirSync(logDir)
        .filter((name) => name.endsWith('.log'))
        .flatMap((name) => readFileSync(join(logDir, name), 'utf8').split('\n'))
        .flatMap((line) => {
          try {
            const entry = JSON.parse(line) as { time: number; msg?: string };
            return entry.time >= sinceMs && /^(Slow|Stall):/.test(entry.msg ?? '') ? [entry.msg!] : [];
          } catch {
            return [];
          }
        });
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
