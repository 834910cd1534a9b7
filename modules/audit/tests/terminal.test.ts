import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../tests/support/parseCsv';
import type { WorkItem } from '../../../src/shared/types';
import { eventLine, type SealedEvent } from '../blocks';
import { canonicalJson, entryHash, GENESIS_HASH } from '../chain';
import type { AuditEntry, AuditPage, VerifyProblem, VerifyReport } from '../contract';
import { auditApp, FIRST_RUN_ENTRIES, forgetTerminals, type AuditApp } from './support';

/**
 * "The audit trail records the terminal of every action": each work item's event and each entry
 * carries the terminal its call came from, the chain covers it where there is one, and rows
 * recorded before terminals were (none) keep the hashed form they always had.
 */
const apps: AuditApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.t.cleanup()));

/** An enrolled terminal of a site server (the core's site_terminals; empty on a desktop). */
const HANGAR = { id: 't_0a1b2c3d', name: 'Hangar 2 desk' };

/** Calls the core as a terminal does: `app.invoke(channel, input, session, terminal)`. */
const at = (a: AuditApp, terminal: string) => async <T = unknown>(channel: string, input: unknown = {}): Promise<T> => {
  const r = await a.t.app.invoke(channel, input, 'desk', terminal);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};

/**
 * Item 1 created and approved at the hangar's terminal (events 1 and 2), approved again at this
 * computer (event 3); a department renamed at the hangar's terminal (an entry).
 */
async function withTerminals() {
  const a = auditApp();
  apps.push(a);
  const file = a.openFile();
  file.prepare(`insert into site_terminals (id, name, credential_hash, enrolled_at, enrolled_by) values (?, ?, 'x', 0, 'test')`).run(HANGAR.id, HANGAR.name);
  file.close();
  const hangar = at(a, HANGAR.id);
  let item = await hangar<WorkItem>('workItems.create', { title: 'Hydraulic pump', workflowId: 'template:standard', submit: true });
  item = await hangar<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version });
  await at(a, 'local')('workItems.approve', { id: item.id, expectedVersion: item.version });
  await hangar('departments.rename', { id: 1, name: 'Engineering Dept' });
  return a;
}

const verify = (a: AuditApp) => a.t.call<VerifyReport>('audit.verify');
const problems = async (a: AuditApp): Promise<VerifyProblem[]> => {
  const report = await verify(a);
  if (report.ok) throw new Error('verify said OK');
  return report.problems;
};
const sql = (a: AuditApp, statement: string): unknown[] => {
  const file = a.openFile();
  try {
    return file.prepare(statement).raw().all();
  } finally {
    file.close();
  }
};
/** Edits the file as someone with it could: the append-only triggers dropped first. */
function tamper(a: AuditApp, ...statements: string[]) {
  const file = a.openFile();
  try {
    file.exec('drop trigger if exists audit_log_no_update; drop trigger if exists audit_log_no_delete;');
    for (const s of statements) file.exec(s);
  } finally {
    file.close();
  }
}
/** The seq of the block entry sealing work items' events (the first). */
const eventBlock = (a: AuditApp) => (sql(a, `select seq from audit_log where entity = 'work-item-events' order by seq limit 1`)[0] as [number])[0];
/** The seq of the department's rename entry. */
const renameEntry = (a: AuditApp) => (sql(a, `select seq from audit_log where entity = 'department' and action = 'renamed'`)[0] as [number])[0];

describe('the terminal of every action is recorded', () => {
  it('an item approved at a terminal has it in its event rows and in the audit listing, named as the site enrolled it', async () => {
    const a = await withTerminals();
    expect(sql(a, 'select id, terminal from transition_events order by id')).toEqual([
      [1, HANGAR.id],
      [2, HANGAR.id],
      [3, 'local'],
    ]);
    expect(sql(a, `select terminal from audit_log where entity = 'department' and action = 'renamed'`)).toEqual([[HANGAR.id]]);

    const listed = (await a.entries()).filter((e) => e.actor.id !== 'system:first-run' && e.actor.id !== 'system:audit');
    const terminalOf = (e: AuditEntry) => [e.entity, e.action, e.terminal];
    expect(listed.map(terminalOf)).toEqual([
      ['work-item', 'created', HANGAR],
      ['work-item', 'approve', HANGAR],
      ['work-item', 'approve', { id: 'local', name: 'This computer' }],
      ['department', 'renamed', HANGAR],
    ]);
    // Entries made outside any call (the first run's) have none.
    expect((await a.entries()).slice(0, FIRST_RUN_ENTRIES - 1).map((e) => e.terminal)).toEqual([null, null, null, null]);

    // The browser harness is this computer too; an id the site does not know is shown as it is.
    await at(a, 'browser-harness')('departments.rename', { id: 2, name: 'QC' });
    await at(a, 't_99999999')('departments.rename', { id: 3, name: 'Ops' });
    expect((await a.entries()).slice(-2).map((e) => e.terminal)).toEqual([
      { id: 'browser-harness', name: 'Browser (this computer)' },
      { id: 't_99999999', name: 't_99999999' },
    ]);

    const csv = await a.t.call<{ content: string }>('audit.exportCsv', { entity: 'work-item' });
    const [header, ...rows] = parseCsv(csv.content);
    expect(header![3]).toBe('Terminal');
    expect(rows.map((r) => r[3])).toEqual([HANGAR.name, HANGAR.name, 'This computer']);

    expect(await verify(a)).toMatchObject({ ok: true, events: 3 });
  });

  it("an event's terminal edited by hand: verify names the table, the row and the field", async () => {
    const a = await withTerminals();
    expect(await verify(a)).toMatchObject({ ok: true });
    tamper(a, `update transition_events set terminal = 'local' where item_id = 1 and seq = 2`);
    const block = eventBlock(a);
    expect(await problems(a)).toEqual([
      {
        kind: 'row-changed',
        seq: block,
        table: 'transition_events',
        row: 'item 1 seq 2',
        field: 'terminal',
        eventId: 2,
        message: `transition_events item 1 seq 2: terminal is not what was sealed (it reads 'local' now; sealed by entry #${block}).`,
      },
    ]);
  });

  it("an entry's terminal edited, or written into an entry that had none, breaks that entry's hash", async () => {
    const a = await withTerminals();
    const renamed = renameEntry(a);
    tamper(a, `update audit_log set terminal = 'local' where seq = ${renamed}`, `update audit_log set terminal = '${HANGAR.id}' where seq = 2`);
    expect((await problems(a)).map((p) => [p.seq, p.kind, p.message])).toEqual([
      [2, 'content-altered', 'Entry #2 was changed after it was written: its content no longer matches its hash.'],
      [renamed, 'content-altered', `Entry #${renamed} was changed after it was written: its content no longer matches its hash.`],
    ]);
  });
});

describe('rows recorded before terminals keep their hashed form', () => {
  it('an entry or an event without a terminal hashes exactly as before (the README example still holds)', () => {
    const content = { seq: 1, at: 1772438400000, actorId: 'operator:ann', actorName: 'Ann', entity: 'department', entityId: 'QC', action: 'renamed', beforeJson: '{"name":"QC"}', afterJson: '{"name":"QA"}' };
    expect(entryHash(GENESIS_HASH, { ...content, terminal: null })).toBe('19cbe136345004ce4db5b8bdaf74b021d2671e66fb8e42d1dd9bcb4061c2ab07');
    expect(entryHash(GENESIS_HASH, { ...content, terminal: 'local' })).not.toBe('19cbe136345004ce4db5b8bdaf74b021d2671e66fb8e42d1dd9bcb4061c2ab07');
    const event: SealedEvent = { eventId: 7, entityId: '3', eventSeq: 2, action: 'approve', actorId: 'operator:ann', actorName: 'Ann', at: 1, beforeJson: null, afterJson: '{}', terminal: null };
    const before = canonicalJson({ action: 'approve', actorId: 'operator:ann', actorName: 'Ann', afterJson: '{}', at: 1, beforeJson: null, entity: 'work-item', entityId: '3', eventId: 7, eventSeq: 2 });
    expect(eventLine(event)).toBe(before);
    expect(eventLine({ ...event, terminal: HANGAR.id })).toBe(before.replace(/}$/, `,"terminal":"${HANGAR.id}"}`));
  });

  it('a log from before terminals verifies; its blocks still name an edited event, and a terminal written into one since', async () => {
    const a = await withTerminals();
    expect(await verify(a)).toMatchObject({ ok: true });
    a.t.app.close();
    // As the file was before terminals: none recorded, the block's prints of the cells before `terminal`.
    const file = a.openFile();
    file.exec('drop trigger audit_log_no_update; drop trigger audit_log_no_delete;');
    forgetTerminals(file);
    file.close();
    const again = a.t.reopen();
    const old = { ...a, t: again };
    apps.push(old);
    expect(await verify(old)).toMatchObject({ ok: true, events: 3 });
    const listed = (await again.call<AuditPage>('audit.list', { limit: 200 })).rows;
    expect(listed.map((e) => e.terminal)).toEqual(listed.map(() => null));

    const block = eventBlock(old);
    tamper(old, `update transition_events set comment = 'Signed off without checks' where item_id = 1 and seq = 2`);
    expect((await problems(old)).map((p) => [p.seq, p.table, p.row, p.field])).toEqual([[block, 'transition_events', 'item 1 seq 2', 'comment']]);
    tamper(old, `update transition_events set comment = null where item_id = 1 and seq = 2`, `update transition_events set terminal = '${HANGAR.id}' where item_id = 1 and seq = 3`);
    expect(await problems(old)).toEqual([
      {
        kind: 'row-changed',
        seq: block,
        table: 'transition_events',
        row: 'item 1 seq 3',
        field: 'terminal',
        eventId: 3,
        message: `transition_events item 1 seq 3: terminal is not what was sealed (it reads '${HANGAR.id}' now; sealed by entry #${block}).`,
      },
    ]);
  });
});
