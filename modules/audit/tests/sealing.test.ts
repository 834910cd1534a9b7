import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../src/shared/types';
import { startApp, type TempApp } from '../../../tests/support/tempApp';
import type { AuditPage, VerifyReport } from '../contract';
import { eventRange, sealedEvent, type EventRow } from '../blocks';
import { BLOCK_SIZE } from '../seal';
import { AuditStore } from '../store';
import { auditApp, FIRST_RUN_ENTRIES, START, type AuditApp } from './support';

/**
 * Work items' events join the chain after their transaction commits (seal.ts), in block entries
 * of up to BLOCK_SIZE events; the trail lists them from their own rows meanwhile.
 */
const apps: { t: TempApp }[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.t.cleanup()));
const start = (...args: Parameters<typeof auditApp>): AuditApp => {
  const a = auditApp(...args);
  apps.push(a);
  return a;
};

interface FileEntry {
  seq: number;
  entity: string;
  entityId: string;
  action: string;
  firstEventId: number | null;
  lastEventId: number | null;
}

const inFile = (a: AuditApp) => {
  const file = a.openFile();
  try {
    return {
      entries: file
        .prepare('select seq, entity, entity_id as entityId, action, first_event_id as firstEventId, last_event_id as lastEventId from audit_log order by seq')
        .all() as FileEntry[],
      mark: file.prepare('select last_event_id from audit_event_mark').pluck().get(),
      lastEvent: file.prepare('select max(id) from transition_events').pluck().get(),
    };
  } finally {
    file.close();
  }
};
const blocks = (a: AuditApp) => inFile(a).entries.filter((e) => e.entity === 'work-item-events');
const block = (seq: number, first: number, last: number) => ({ seq, entity: 'work-item-events', entityId: `${first}-${last}`, action: 'sealed', firstEventId: first, lastEventId: last });

const changeSettings = (dataDir: string, audit: Record<string, unknown>, path = join(dataDir, 'settings.json')) => {
  const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));
  settings.modules.audit = { ...(settings.modules.audit ?? {}), ...audit };
  writeFileSync(path, JSON.stringify(settings, null, 2));
  return path;
};
const setAudit = (dataDir: string, enabled: boolean, path?: string) => changeSettings(dataDir, { enabled }, path);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const create = (t: TempApp, i: number) => t.call<WorkItem>('workItems.create', { title: `Borescope inspection ${i}`, workflowId: 'template:standard', submit: true });

describe('events sealed in blocks after they commit', () => {
  it(`a block of ${BLOCK_SIZE} is sealed shortly after the transition that fills it, not in its transaction`, async () => {
    const a = start();
    for (let i = 0; i < BLOCK_SIZE - 1; i++) await create(a.t, i);
    const item = await create(a.t, BLOCK_SIZE);
    // Each transaction wrote the item and its event only; the sealing waits for the deferred run.
    expect(inFile(a).entries).toHaveLength(FIRST_RUN_ENTRIES);
    await sleep(400);
    expect(inFile(a).entries.slice(FIRST_RUN_ENTRIES)).toEqual([block(FIRST_RUN_ENTRIES + 1, 1, BLOCK_SIZE)]);
    expect(inFile(a).mark).toBe(BLOCK_SIZE);

    // Fewer than a block wait (the window is ten minutes by default); other entries do not wait for them.
    await a.t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    await a.t.call('departments.rename', { id: 1, name: 'Engineering Dept' });
    await sleep(300);
    expect(inFile(a).entries.slice(FIRST_RUN_ENTRIES + 1).map((e) => e.action)).toEqual(['renamed']);
    expect(await a.t.call<VerifyReport>('audit.verify')).toMatchObject({ ok: true, entries: FIRST_RUN_ENTRIES + 3, events: BLOCK_SIZE + 1 });
    expect(blocks(a).at(-1)).toEqual(block(FIRST_RUN_ENTRIES + 3, BLOCK_SIZE + 1, BLOCK_SIZE + 1));
  });

  it('the events left over are sealed within sealWithinSeconds, with nothing else happening', async () => {
    const a = start();
    a.t.app.close();
    changeSettings(a.t.dataDir, { config: { sealWithinSeconds: 1 } });
    const t = a.t.reopen();
    apps.push({ t });
    const item = await create(t, 1);
    await t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    await sleep(400);
    expect(blocks(a)).toEqual([]);
    await sleep(1_200);
    expect(blocks(a)).toEqual([block(FIRST_RUN_ENTRIES + 1, 1, 2)]);
    expect(inFile(a).mark).toBe(inFile(a).lastEvent);
  });

  it('the trail lists every committed event before it is sealed, and a clean close seals them', async () => {
    const a = start();
    const item = await create(a.t, 1);
    const page = await a.t.call<AuditPage>('audit.list', { limit: 10, offset: 0 });
    expect(page.rows[0]).toMatchObject({ entity: 'work-item', entityId: String(item.id), action: 'created', seq: null, eventId: 1 });
    await a.t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    a.t.app.close();
    const { entries, mark, lastEvent } = inFile(a);
    expect(entries.at(-1)).toEqual(block(FIRST_RUN_ENTRIES + 1, 1, 2));
    expect(mark).toBe(lastEvent);
  });

  it('seals what was committed while the module was off or by a process without it, and the chain verifies', async () => {
    const a = start();
    const made = [];
    const withoutAudit = setAudit(a.t.dataDir, false, join(a.t.dataDir, 'settings-without-audit.json'));
    // One core per data folder: the process without the module runs while this one is closed.
    a.t.app.close();
    const other = startApp({ settingsPath: withoutAudit }, a.t.dataDir);
    try {
      for (let i = 0; i < BLOCK_SIZE + 20; i++) made.push(await create(other, i));
      await other.call('workItems.approve', { id: made[0]!.id, expectedVersion: 1 });
    } finally {
      other.app.close();
    }
    // The other process wrote no entries; the next start with the module lists its events at once and seals them soon, a block at a time.
    expect(inFile(a).entries).toHaveLength(FIRST_RUN_ENTRIES);
    let t = a.t.reopen();
    apps.push({ t });
    expect((await t.call<AuditPage>('audit.list', { entity: 'work-item' })).total).toBe(BLOCK_SIZE + 21);
    t.app.settle();
    expect(blocks(a)).toEqual([block(FIRST_RUN_ENTRIES + 1, 1, BLOCK_SIZE), block(FIRST_RUN_ENTRIES + 2, BLOCK_SIZE + 1, BLOCK_SIZE + 21)]);
    expect(await t.call<VerifyReport>('audit.verify')).toMatchObject({ ok: true, entries: FIRST_RUN_ENTRIES + 2, events: BLOCK_SIZE + 21 });

    // Switched off, then on again: what happened meanwhile joins the chain soon after start.
    setAudit(a.t.dataDir, false);
    t = t.reopen();
    apps.push({ t });
    await t.call('workItems.approve', { id: made[1]!.id, expectedVersion: 1 });
    setAudit(a.t.dataDir, true);
    t = t.reopen();
    apps.push({ t });
    t.app.settle();
    expect(blocks(a).at(-1)).toEqual(block(FIRST_RUN_ENTRIES + 3, BLOCK_SIZE + 22, BLOCK_SIZE + 22));
    expect(await t.call<VerifyReport>('audit.verify')).toMatchObject({ ok: true, entries: FIRST_RUN_ENTRIES + 3, events: BLOCK_SIZE + 22 });
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
    expect(blocks(a)).toEqual([block(FIRST_RUN_ENTRIES + 1, 1, 1)]);
    expect(inFile(a).mark).toBe(inFile(a).lastEvent);
  });

  it('entries of single events, from before blocks, stay listed once and verify beside the blocks after them', async () => {
    const a = start();
    a.t.app.close();
    const other = startApp({ settingsPath: setAudit(a.t.dataDir, false, join(a.t.dataDir, 'settings-without-audit.json')), clock: () => START }, a.t.dataDir);
    await create(other, 1);
    other.app.close();
    // As the sealer before migration 0005 left them: an entry per event, with the mark past it and listing starting after it.
    const file = a.openFile();
    const store = new AuditStore(drizzle(file), async () => []);
    file.transaction(() => {
      const [event] = drizzle(file).all<EventRow>(eventRange(1, 1)).map(sealedEvent);
      const { eventId: _id, ...content } = event!;
      store.appendEntry({ ...content, entity: 'work-item' });
      file.prepare('update audit_event_mark set last_event_id = 1, first_listed_event_id = 2').run();
    })();
    file.close();
    const t = a.t.reopen();
    apps.push({ t });
    a.advance(1_000);
    await t.call('workItems.approve', { id: 1, expectedVersion: 1 });
    const listed = (await t.call<AuditPage>('audit.list', { entity: 'work-item' })).rows;
    expect(listed.map((e) => [e.action, e.seq, e.eventId ?? null])).toEqual([
      ['approve', null, 2],
      ['created', FIRST_RUN_ENTRIES + 1, null],
    ]);
    expect(listed[1]!.after).toMatchObject({ title: 'Borescope inspection 1', version: 1 });
    expect(await t.call<VerifyReport>('audit.verify')).toMatchObject({ ok: true, entries: FIRST_RUN_ENTRIES + 2, events: 1 });
  });
});
