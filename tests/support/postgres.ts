/**
 * A throw-away PostgreSQL cluster for a test file: initdb into a temporary folder, a free port on
 * 127.0.0.1 only, its unix socket in that folder, trust authentication (nothing else can reach it),
 * fsync and synchronous_commit off (its data is thrown away). As root the server runs as the
 * `postgres` user (PostgreSQL refuses root), who then owns the folder. stop() stops it and removes
 * the folder (also done at exit if a test file forgets).
 *
 * Binaries: the newest /usr/lib/postgresql/<version>/bin (Debian's layout), or PG_BIN. Not installed:
 * startPostgres() throws, so the tests using it fail with how to install it (CI installs it;
 * skipping would hide a CI without it).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres: the cluster's superuser, `postgres`. */
  url: string;
  port: number;
  /** The same server, as another user or database. */
  urlFor(user: string, database?: string): string;
  stop(): void;
}

const NOT_INSTALLED =
  'PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb (nor PG_BIN). Install it with `apt-get install -y postgresql` (Debian; .ci/run does) or set PG_BIN to the folder of initdb and pg_ctl.';

/** The folder of initdb and pg_ctl: PG_BIN, else the highest version under /usr/lib/postgresql. */
export function postgresBin(): string {
  if (process.env.PG_BIN) {
    if (!existsSync(join(process.env.PG_BIN, 'initdb'))) throw new Error(`PG_BIN=${process.env.PG_BIN} has no initdb. ${NOT_INSTALLED}`);
    return process.env.PG_BIN;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a) || b.localeCompare(a))[0];
  if (!newest) throw new Error(NOT_INSTALLED);
  return join(root, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** As root: the uid and gid of `postgres`, to run the server as (it refuses root). */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (the Debian package creates it: apt-get install -y postgresql)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'aviation-workflow-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const run = (tool: string, args: string[]) => {
    const options: SpawnSyncOptions = { encoding: 'utf8', timeout: 60_000, ...(user ?? {}) };
    const result = spawnSync(join(bin, tool), args, options);
    if (result.status !== 0) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
      throw new Error(`${tool} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}${log}`);
    }
  };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    if (existsSync(join(data, 'postmaster.pid'))) spawnSync(join(bin, 'pg_ctl'), ['-D', data, 'stop', '-m', 'immediate', '-w'], { timeout: 30_000, ...(user ?? {}) });
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions']);
    const port = await freePort();
    const settings = [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, 'fsync = off', 'synchronous_commit = off', 'full_page_writes = off'];
    appendFileSync(join(data, 'postgresql.conf'), `\n# tests/support/postgres.ts\n${settings.join('\n')}\n`);
    run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
    const urlFor = (name: string, database = 'postgres') => `postgres://${encodeURIComponent(name)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    return { url: urlFor('postgres'), port, urlFor, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
