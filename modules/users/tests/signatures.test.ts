import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import type { Signature } from '../contract';
import { startUsersApp, type UsersApp } from './usersApp';

const apps: UsersApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

async function start(config: Record<string, unknown> = {}) {
  const app = await startUsersApp(config);
  apps.push(app);
  await app.addUser('Quinn Inspector', 'QC-7', 'lead', ['QC'], '271828');
  await app.signIn('qc', 'QC-7', '271828');
  return app;
}

const signed = (item: WorkItem, secret?: string) => ({ id: item.id, expectedVersion: item.version, ...(secret === undefined ? {} : { signature: { secret } }) });

describe('e-signatures', () => {
  it('asks for the PIN to approve, reject and cancel; a missing or wrong one changes nothing', async () => {
    const app = await start();
    const item = await app.item('at QC');
    expect(await app.t.fail('workItems.approve', signed(item), 'qc')).toMatchObject({
      code: 'VALIDATION',
      message: 'signature.secret: This is an electronic signature: enter your PIN or password to sign.',
    });
    expect(await app.t.fail('workItems.approve', signed(item, '000000'), 'qc')).toMatchObject({
      code: 'FORBIDDEN',
      message: 'PIN incorrect: nothing was signed. 4 more attempts before Quinn Inspector is locked at this terminal for 15 minutes.',
    });
    expect(app.changes.at(-1)).toMatchObject({ action: 'signature-failed', actor: { name: 'Quinn Inspector' } });
    const after = await app.t.call('workItems.get', { id: item.id }, 'qc');
    expect(after.item.version).toBe(item.version);
    expect(await app.t.call('users.signatures', { itemId: item.id }, 'qc')).toHaveLength(1); // the admin's approval at Engineering

    // A wrong PIN while signing counts towards the lockout like one at sign-in.
    for (let i = 0; i < 4; i++) await app.t.fail('workItems.reject', { ...signed(item, '000000'), toStep: 0 }, 'qc');
    expect((await app.t.fail('workItems.approve', signed(item, '271828'), 'qc')).message).toMatch(/^Quinn Inspector is locked at this terminal until/);
  });

  it('records who signed, with number, role, department, time and meaning, in the transition', async () => {
    const app = await start();
    let item = await app.item('at QC');
    item = await app.t.call('workItems.reject', { ...signed(item, '271828'), toStep: 0, comment: 'Torque values missing' }, 'qc');
    item = await app.t.call('workItems.approve', signed(item, '424242'), 'office');
    app.advance(5);
    item = await app.t.call('workItems.approve', signed(item, '271828'), 'qc');
    item = await app.t.call('workItems.cancel', signed(item, '424242'), 'office');

    const records = await app.t.call<Signature[]>('users.signatures', { itemId: item.id }, 'qc');
    const events = (await app.t.call('workItems.get', { id: item.id }, 'qc')).events as { seq: number; action: string; at: string }[];
    expect(records.map((r) => [r.meaning, r.department, r.signer.name, r.signer.number, r.signer.role])).toEqual([
      ['Approved at Engineering', 'Engineering', 'Ada Admin', 'A100', 'admin'],
      ['Rejected to Engineering', 'Quality Control', 'Quinn Inspector', 'QC-7', 'lead'],
      ['Approved at Engineering', 'Engineering', 'Ada Admin', 'A100', 'admin'],
      ['Approved at Quality Control', 'Quality Control', 'Quinn Inspector', 'QC-7', 'lead'],
      ['Cancelled at Operations', 'Operations', 'Ada Admin', 'A100', 'admin'],
    ]);
    // Each signature names its transition event, at the same time.
    for (const r of records) {
      const event = events.find((e) => e.seq === r.eventSeq)!;
      expect(event.action).toBe(r.action);
      expect(event.at).toBe(r.signedAt);
    }
  });

  it('can be limited to some actions and departments by config', async () => {
    const app = await start({ signatureActions: ['approve'], signatureDepartments: ['QC'] });
    const item = await app.t.call<WorkItem>('workItems.create', { title: 'X', workflowId: 'template:standard', submit: true }, 'office');
    const atQc = await app.t.call<WorkItem>('workItems.approve', signed(item), 'office'); // Engineering: no signature
    const detail = await app.t.call('workItems.get', { id: atQc.id }, 'qc');
    expect(detail.hints.find((h: { action: string }) => h.action === 'approve')).toEqual({
      action: 'approve',
      signatureRequired: true,
      signatureMeaning: 'Approved at Quality Control',
      outcome: { status: 'active', step: 2 },
    });
    expect(detail.hints.find((h: { action: string }) => h.action === 'reject').signatureRequired).toBeUndefined();
    expect((await app.t.fail('workItems.approve', signed(atQc), 'qc')).code).toBe('VALIDATION');
    await app.t.call('workItems.approve', signed(atQc, '271828'), 'qc');
    expect((await app.t.call<Signature[]>('users.signatures', { itemId: item.id }, 'qc')).map((s) => s.meaning)).toEqual(['Approved at Quality Control']);
  });

  it("adds the sign-offs of a template whose rules ask for e-signatures, in that template's items only", async () => {
    const app = await start({ signatureActions: ['submit'] });
    await app.t.call(
      'templates.create',
      { key: 'release', name: 'Airworthiness release', steps: [{ department: 'ENG' }, { department: 'QC' }], rules: { eSignature: true } },
      'office',
    );
    const plain = await app.t.call<WorkItem>('workItems.create', { title: 'Standard', workflowId: 'template:standard' }, 'office');
    const release = await app.t.call<WorkItem>('workItems.create', { title: 'Release', workflowId: 'template:release' }, 'office');
    // Submitting is signed by the settings; approving only on the template that asks for it.
    expect((await app.t.fail('workItems.submit', signed(plain), 'office')).code).toBe('VALIDATION');
    const plainAtEng = await app.t.call<WorkItem>('workItems.submit', signed(plain, '424242'), 'office');
    await app.t.call('workItems.approve', signed(plainAtEng), 'office');
    const releaseAtEng = await app.t.call<WorkItem>('workItems.submit', signed(release, '424242'), 'office');
    const hints = (await app.t.call('workItems.get', { id: release.id }, 'office')).hints as { action: string; signatureRequired?: boolean }[];
    expect(hints.filter((h) => h.signatureRequired).map((h) => h.action).sort()).toEqual(['approve', 'cancel']); // nothing to reject to at the first step
    expect(await app.t.fail('workItems.approve', signed(releaseAtEng), 'office')).toMatchObject({ code: 'VALIDATION' });
    expect((await app.t.call('workItems.get', { id: release.id }, 'office')).item.version).toBe(releaseAtEng.version);
    await app.t.call('workItems.approve', signed(releaseAtEng, '424242'), 'office');
    expect((await app.t.call<Signature[]>('users.signatures', { itemId: release.id }, 'office')).map((s) => s.meaning)).toEqual([
      'Submitted to Engineering',
      'Approved at Engineering',
    ]);
  });

  it('is append-only: SQLite itself refuses to change or delete a signature', async () => {
    const app = await start();
    await app.item('at QC');
    const db = new Database(join(app.t.dataDir, 'aviation-workflow.sqlite'));
    try {
      expect(() => db.prepare("update user_signatures set signer_name = 'Someone else'").run()).toThrow(/signatures are append-only/);
      expect(() => db.prepare('delete from user_signatures').run()).toThrow(/signatures are append-only/);
      expect(db.prepare('select signer_name from user_signatures').all()).toEqual([{ signer_name: 'Ada Admin' }]);
    } finally {
      db.close();
    }
  });
});
