import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../../src/shared/errors';
import { applyUsersSwitch, type UsersOption } from './usersSwitch';

export interface RunningHarness {
  url: string;
  stop(): Promise<void>;
  /** Kills the process with this signal (SIGKILL: a crash) and resolves once it is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Calls a channel as the harness page does, from terminal `session`; resolves with the result. */
  call(channel: string, input?: unknown, session?: string): Promise<Result<unknown>>;
}

/**
 * Starts a built browser harness (out/main/harness.js under `root`) on a free loopback port
 * and resolves with its URL once it listens. `args` picks the data folder (--data-dir or --fresh).
 * Sign-in (the users module) is off unless `users` asks for it (see usersSwitch.ts); for that,
 * --fresh becomes a throw-away folder made here, with the switch written into it.
 */
export async function runHarness(root: string, args: string[], users: UsersOption = false): Promise<RunningHarness> {
  const script = join(root, 'out', 'main', 'harness.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first.`);
  const fresh = args.includes('--fresh') ? mkdtempSync(join(tmpdir(), 'aw-harness-')) : null;
  const dataDirArg = args.indexOf('--data-dir');
  const dataDir = fresh ?? (dataDirArg >= 0 ? args[dataDirArg + 1] : undefined);
  if (dataDir) applyUsersSwitch(root, dataDir, users);
  const finalArgs = fresh ? [...args.filter((a) => a !== '--fresh'), '--data-dir', fresh] : args;
  const child = spawn(process.execPath, [script, '--port', '0', ...finalArgs], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const removeFresh = () => fresh && rmSync(fresh, { recursive: true, force: true });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the harness did not start:\n${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the harness exited with ${code}:\n${output}`)));
  });
  const kill = (signal: NodeJS.Signals) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill(signal);
    });
  return {
    url,
    stop: async () => {
      await kill('SIGTERM');
      removeFresh();
    },
    kill,
    call: async (channel, input = {}, session = 'node') => {
      const response = await fetch(new URL(`/__api/${channel}`, url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-aw-session': session },
        body: JSON.stringify(input),
      });
      return (await response.json()) as Result<unknown>;
    },
  };
}
