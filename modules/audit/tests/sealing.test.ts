import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { AuditPage, VerifyReport } from '../contract';
import { SEAL_BATCH } from '../seal';
import { auditApp, FIRST_RUN_ENTRIES, type AuditApp } from './support';

/**
 * Work items' events join the chain shortly after their transaction commits (seal.ts), a batch
 * at a time; every other entry, and every read of the trail, waits for them.
 */
const apps: { t: TempApp }[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.t.cleanup()));
const start = (...args: Parameters<typeof auditApp>): AuditApp => {
  const a = auditApp(...args);
  apps.push(a);
  return a;
};

const inFile = (a: AuditApp) => {
  const file = a.openFile();
  try {
    return {
      entries: file.prepare('select seq, entity, entity_id as entityId, action, event_seq as eventSeq from audit_log order by seq').all() as {
        seq: number;
        entity: string;
        entityId: string;
        action: string;
        eventSeq: number | null;
      }[],
      mark: file.prepare('select last_event_id from audit_event_mark').pluck().get(),
      lastEvent: file.prepare('select max(id) from transition_events').pluck().get(),
    };
  } finally {
    file.close();
  }
};

const setAudit = (dataDir: string, enabled: boolean, path = join(dataDir, 'settings.json')) => {
  const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));
  settings.modules.audit = { ...(settings.modules.audit ?? {}), enabled };
  writeFileSync(path, JSON.stringify(settings, null, 2));
  return path;
};

describe('events sealed after they commit', () => {
  it('a transition is in the file a moment after its call, not in its transaction, and the chain keeps commit order', async () => {
    const a = start();
    const item = await a.t.call<WorkItem>('workItems.create', { title: 'Fuel quantity probe', workflowId: 'template:standard', submit: true });
    await a.t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    // The transition's own transaction wrote the item and its event only.
    expect(inFile(a).entries).toHaveLength(FIRST_RUN_ENTRIES);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(inFile(a).entries.slice(FIRST_RUN_ENTRIES)).toEqual([
      { seq: FIRST_RUN_ENTRIES + 1, entity: 'work-item', entityId: String(item.id), action: 'created', eventSeq: 1 },
      { seq: FIRST_RUN_ENTRIES + 2, entity: 'work-item', entityId: String(item.id), action: 'approve', eventSeq: 2 },
    ]);
    expect(inFile(a).mark).toBe(inFile(a).lastEvent);

    // A change to something else, right after a transition, comes after it in the chain.
    await a.t.call('workItems.approve', { id: item.id, expectedVersion: item.version + 1 });
    await a.t.call('departments.rename', { id: 1, name: 'Engineering Dept' });
    expect(inFile(a).entries.slice(-2).map((e) => e.action)).toEqual(['approve', 'renamed']);
    expect(await a.t.call<VerifyReport>('audit.verify')).toMatchObject({ ok: true, entries: FIRST_RUN_ENTRIES + 4 });
  });

  it('reading the trail shows every committed event, and a clean close leaves none unsealed', async () => {
    const a = start();
    const item = await a.t.call<WorkItem>('workItems.create', { title: 'Pitot heater', workflowId: 'template:standard', submit: true });
    const page = await a.t.call<AuditPage>('audit.list', { limit: 10, offset: 0 });
    expect(page.rows[0]).toMatchObject({ entity: 'work-item', entityId: String(item.id), action: 'created' });
    await a.t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    a.t.app.close();
    const { entries, mark, lastEvent } = inFile(a);
    expect(entries.at(-1)).toMatchObject({ action: 'approve', eventSeq: 2 });
    expect(mark).toBe(lastEvent);
  });

  it('seals what was committed while the module was off or by a process without it, and the chain verifies', async () => {
    const a = start();
    const made = [];
    const withoutAudit = setAudit(a.t.dataDir, false, join(a.t.dataDir, 'settings-without-audit.json'));
    const other = startApp({ settingsPath: withoutAudit }, a.t.dataDir);
    try {
      for (let i = 0; i < SEAL_BATCH + 20; i++) {
        made.push(await other.call<WorkItem>('workItems.create', { title: `Borescope inspection ${i}`, workflowId: 'template:standard', submit: true }));
      }
      await other.call('workItems.approve', { id: made[0]!.id, expectedVersion: 1 });
    } finally {
      other.app.close();
    }
    // The other process wrote no entries; this one seals the events before its next entry.
    expect(inFile(a).entries).toHaveLength(FIRST_RUN_ENTRIES);
    await a.t.call('departments.rename', { id: 1, name: 'Engineering Dept' });
    const { entries, mark, lastEvent } = inFile(a);
    expect(entries).toHaveLength(FIRST_RUN_ENTRIES + SEAL_BATCH + 22);
    expect(entries.at(-2)).toMatchObject({ entityId: String(made[0]!.id), action: 'approve' });
    expect(entries.at(-1)).toMatchObject({ entity: 'department', action: 'renamed' });
    expect(mark).toBe(lastEvent);
    expect(await a.t.call<VerifyReport>('audit.verify')).toMatchObject({ ok: true, entries: FIRST_RUN_ENTRIES + SEAL_BATCH + 22 });

    // Switched off, then on again: what happened meanwhile joins the chain soon after start.
    setAudit(a.t.dataDir, false);
    let t = a.t.reopen();
    apps.push({ t });
    await t.call('workItems.approve', { id: made[1]!.id, expectedVersion: 1 });
    setAudit(a.t.dataDir, true);
    t = t.reopen();
    apps.push({ t });
    t.app.settle();
    expect(inFile(a).entries.at(-1)).toMatchObject({ entityId: String(made[1]!.id), action: 'approve', eventSeq: 2 });
    expect(await t.call<VerifyReport>('audit.verify')).toMatchObject({ ok: true, entries: FIRST_RUN_ENTRIES + SEAL_BATCH + 23 });
  });

  it('seals an event whose item is missing from the file (written there by hand) instead of stalling on it', async () => {
    const a = start();
    a.t.app.close();
    const file = a.openFile();
    file.pragma('foreign_keys = OFF');
    file.exec(`insert into transition_events (item_id, seq, action, actor_id, actor_name, at, from_status, to_status, from_step, to_step)
               values (999, 2, 'approve', 'x', 'X', 0, 'active', 'active', 0, 1)`);
    file.close();
    const t = a.t.reopen();
    apps.push({ t });
    t.app.settle();
    expect(inFile(a).entries.at(-1)).toMatchObject({ entityId: '999', action: 'approve', eventSeq: 2 });
    expect(inFile(a).mark).toBe(inFile(a).lastEvent);
  });
});
