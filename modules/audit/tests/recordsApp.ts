import { expect } from 'vitest';
import type { ModuleDefinition } from '../../../src/core/modules/types';
import type { WorkItem } from '../../../src/shared/types';
import type { AuditEntry, AuditPage, VerifyProblem, VerifyReport } from '../contract';
import { auditApp, type AuditApp } from './support';

/**
 * Apps with sign-in, e-signatures and a comment, for the tests of what the trail seals and
 * compares beyond its own entries; and the edits someone with the file could make.
 */
const apps: AuditApp[] = [];
export const cleanupApps = () => apps.splice(0).forEach((a) => a.t.cleanup());

export const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
export const OFFICE = 'office';

/** Sign-in on (scrypt kept cheap), the first admin signed in at `office`. */
export async function withUsers(modules?: { folder: string; definition: ModuleDefinition }[], dataDir?: string) {
  const a = auditApp({ users: { scryptCost: 14 }, ...(modules ? { modules } : {}) }, dataDir);
  apps.push(a);
  await a.t.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, OFFICE);
  return a;
}

export const call = <T = unknown>(a: AuditApp, channel: string, input: unknown = {}) => a.t.call<T>(channel, input, OFFICE);
export const signed = (item: WorkItem) => ({ id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } });

/**
 * Sam (staff at Engineering, user 2); item 1 created and submitted (event 1), approved twice with
 * e-signatures (events 2 and 3; user_signatures rows 1 and 2); a comment (comments row 1).
 * Verified once, which seals everything so far.
 */
export async function withRecords(modules?: { folder: string; definition: ModuleDefinition }[], { verified = true, dataDir }: { verified?: boolean; dataDir?: string } = {}) {
  const a = await withUsers(modules, dataDir);
  await call(a, 'users.create', { name: 'Sam Staff', number: 'E1042', role: 'staff', departments: ['ENG'], secret: '271828' });
  let item = await call<WorkItem>(a, 'workItems.create', { title: 'Hydraulic pump', workflowId: 'template:standard', submit: true });
  item = await call<WorkItem>(a, 'workItems.approve', signed(item));
  item = await call<WorkItem>(a, 'workItems.approve', { ...signed(item), comment: 'Leak check done' });
  await call(a, 'comments.add', { itemId: item.id, text: 'Torque checked' });
  if (verified) expect(await verify(a)).toMatchObject({ ok: true });
  return a;
}

export const verify = (a: AuditApp) => call<VerifyReport>(a, 'audit.verify');
/** Every listed entry, oldest first (as the signed-in admin). */
export async function entries(a: AuditApp): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await call<AuditPage>(a, 'audit.list', { limit: 200, offset });
    out.push(...page.rows);
    if (page.rows.length < 200) return out.reverse();
  }
}
export const problemsOf = async (a: AuditApp): Promise<VerifyProblem[]> => {
  const report = await verify(a);
  if (report.ok) throw new Error('verify said OK');
  expect(report.broken).toEqual(report.problems[0]);
  return report.problems;
};

/** Edits the file with every table's append-only triggers (those that refuse with RAISE) dropped. */
export function tamper(a: AuditApp, ...statements: string[]) {
  const file = a.openFile();
  try {
    const triggers = file.prepare(`select name from sqlite_master where type = 'trigger' and sql like '%RAISE%'`).pluck().all() as string[];
    for (const t of triggers) file.exec(`drop trigger "${t}"`);
    for (const s of statements) file.exec(s);
  } finally {
    file.close();
  }
}

/** The seq of the block entry sealing rows of `table` (the first one). */
export const blockOf = (a: AuditApp, table: string) => {
  const file = a.openFile();
  try {
    return file.prepare(`select seq from audit_log where entity = 'sealed-records' and entity_id like ? order by seq limit 1`).pluck().get(`${table}:%`) as number;
  } finally {
    file.close();
  }
};

/** The same data folder opened again, with the first admin signed in at `office` (sessions do not survive a restart). */
export async function reopen(a: AuditApp) {
  a.t.app.close();
  const again = auditApp({ users: { scryptCost: 14 } }, a.t.dataDir);
  apps.push(again);
  await again.t.call('users.signIn', { number: ADMIN.number, secret: ADMIN.secret }, OFFICE);
  return again;
}

