import { cpSync, existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreApp } from '../src/core/app';
import { createApp } from '../src/core/app';
import { benchSettings } from './settings';

/**
 * The bench measures the app as it ships: default modules on, sign-in included. The cached
 * database is copied once to `signed-<N>/` and given people: an administrator (who may move any
 * item, so the write loop can take items at every step) and a Quality Control inspector (whose
 * own queue is the default Approvals view). Their PINs are checked once per sign-in at the shipped
 * scrypt cost; an approval's e-signature is then checked against the window session (the users
 * module's quickSignatures, on by default), as on a terminal.
 */
export const BENCH_PEOPLE = {
  admin: { name: 'Bench Admin', number: 'ADM1', secret: '739146' },
  inspector: { name: 'Bench Inspector', number: 'QC1', secret: '518204', departments: ['QC'] },
} as const;

export type Call = <T>(channel: string, input: unknown) => Promise<T>;

export function callerFor(app: CoreApp, session: string): Call {
  return async <T>(channel: string, input: unknown) => {
    const result = await app.invoke(channel, input, session);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
}

/** A data folder beside the plain one, with the users module on and the bench's people in it. */
export async function signedInDataDir(plainDir: string, root: string, log: (m: string) => void): Promise<string> {
  const dataDir = `${plainDir.replace(/items-(\d+)$/, 'signed-$1')}`;
  if (dataDir === plainDir) throw new Error(`unexpected bench folder ${plainDir}`);
  if (existsSync(join(dataDir, 'people.json'))) return dataDir;
  log('Copying the database once for the signed-in bench (users module on, two people)…');
  const building = `${dataDir}.building`;
  rmSync(building, { recursive: true, force: true });
  cpSync(plainDir, building, { recursive: true });
  benchSettings(building, root, [], { users: true });
  const app = createApp({ dataDir: building, assetsRoot: root, log: () => {} });
  try {
    const call = callerFor(app, 'bench-setup');
    const { admin, inspector } = BENCH_PEOPLE;
    await call('users.setupFirstAdmin', { name: admin.name, number: admin.number, secret: admin.secret, confirm: admin.secret });
    await call('users.create', { name: inspector.name, number: inspector.number, role: 'staff', departments: inspector.departments, secret: inspector.secret });
  } finally {
    app.close();
  }
  writeFileSync(join(building, 'people.json'), JSON.stringify(BENCH_PEOPLE));
  renameSync(building, dataDir);
  return dataDir;
}

/** Signs a person in at a window session of its own; the caller then acts as them. */
export async function signedInCaller(app: CoreApp, who: keyof typeof BENCH_PEOPLE): Promise<Call> {
  const session = `bench-${who}`;
  const call = callerFor(app, session);
  const person = BENCH_PEOPLE[who];
  await call('users.signIn', { number: person.number, secret: person.secret });
  return call;
}
