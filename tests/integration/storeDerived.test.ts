import Database from 'better-sqlite3';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/core/db/connection';
import { SEARCH_COUNT_CAP } from '../../src/core/db/workItemStore';
import type { WorkItem, WorkItemCounts } from '../../src/shared/types';
import { makeDataDir, projectRoot, startApp, type TempApp } from '../support/tempApp';

/**
 * What the store keeps beside the rows it writes: the current step's name and target hours,
 * the tallies behind the counts, and the search index. Each must agree with the rows.
 */
const HOUR = 3_600_000;
let now = Date.parse('2026-03-02T08:00:00Z');
let t: TempApp;
afterEach(() => t?.cleanup());

const steps = [
  { name: 'Engineering', targetHours: 8 },
  { name: 'Quality Control', targetHours: 24 },
  { name: 'Operations' },
];
const dbFile = (dataDir: string) => join(dataDir, 'aviation-workflow.sqlite');
const readDb = <T>(dataDir: string, fn: (db: Database.Database) => T): T => {
  const db = new Database(dbFile(dataDir));
  try {
    return fn(db);
  } finally {
    db.close();
  }
};

/** The counts worked out from the rows themselves, as the store did before it kept tallies. */
function countsFromRows(db: Database.Database, at: number): Omit<WorkItemCounts, 'completedSince'> {
  const byStatus = { draft: 0, active: 0, completed: 0, cancelled: 0 };
  for (const r of db.prepare('select status, count(*) n from work_items group by status').all() as { status: keyof typeof byStatus; n: number }[]) byStatus[r.status] = r.n;
  const activeByStep = (
    db
      .prepare(`select json_extract(ws.steps_json, '$[' || wi.current_step || '].name') step, count(*) count
                from work_items wi join workflow_snapshots ws on ws.id = wi.workflow_id where wi.status = 'active' group by 1`)
      .all() as { step: string; count: number }[]
  ).sort((a, b) => b.count - a.count || a.step.localeCompare(b.step));
  const one = (sql: string) => (db.prepare(sql).get(at) as { n: number }).n;
  return {
    byStatus,
    activeByStep,
    urgent: one(`select count(*) n from work_items where status = 'active' and priority = 'urgent' and ? is not null`),
    overdue: one(`select count(*) n from work_items wi join workflow_snapshots ws on ws.id = wi.workflow_id
                  where wi.status = 'active' and json_extract(ws.steps_json, '$[' || wi.current_step || '].targetHours') is not null
                    and wi.step_entered_at + json_extract(ws.steps_json, '$[' || wi.current_step || '].targetHours') * 3600000 < ?`),
  };
}

describe('kept columns and tallies', () => {
  it('agree with the rows after every kind of transition', async () => {
    t = startApp({ clock: () => now });
    const items: WorkItem[] = [];
    for (let i = 0; i < 12; i++) {
      items.push(await t.call('workItems.create', { title: `Item ${i}`, steps, submit: i % 4 !== 0, priority: i % 3 === 0 ? 'urgent' : 'normal' }));
    }
    // A fixed mix: submit the drafts, approve some once or twice, reject one back, cancel one, complete one.
    const act = async (i: number, channel: string, input: Record<string, unknown> = {}) => {
      now += HOUR;
      items[i] = await t.call(channel, { id: items[i]!.id, expectedVersion: items[i]!.version, ...input });
    };
    await act(0, 'workItems.submit');
    for (const i of [0, 1, 2, 3, 5]) await act(i, 'workItems.approve');
    for (const i of [2, 3]) await act(i, 'workItems.approve');
    await act(3, 'workItems.approve');
    await act(1, 'workItems.reject', { toStep: 0, comment: 'Redo' });
    await act(5, 'workItems.cancel');
    now += 30 * HOUR;

    const counts = await t.call<WorkItemCounts>('workItems.counts', {});
    readDb(t.dataDir, (db) => {
      expect(counts).toEqual({ ...countsFromRows(db, now), completedSince: null });
      expect(counts.byStatus.completed).toBe(1);
      const kept = db
        .prepare(`select wi.current_step_name name, wi.current_target_hours hours, wi.due_at due,
                         json_extract(ws.steps_json, '$[' || wi.current_step || '].name') expectedName,
                         json_extract(ws.steps_json, '$[' || wi.current_step || '].targetHours') expectedHours,
                         wi.step_entered_at entered
                  from work_items wi join workflow_snapshots ws on ws.id = wi.workflow_id`)
        .all() as { name: string | null; hours: number | null; due: number | null; expectedName: string | null; expectedHours: number | null; entered: number }[];
      for (const row of kept) {
        expect(row.name).toBe(row.expectedName);
        expect(row.hours).toBe(row.expectedHours);
        expect(row.due).toBe(row.expectedHours === null ? null : row.entered + row.expectedHours * HOUR);
      }
    });
    const queue = await t.call('workItems.list', { status: 'active', step: 'Quality Control', sort: 'queue' });
    expect(queue.rows.map((r: WorkItem) => r.currentStep)).toEqual(queue.rows.map(() => 1));
    expect(queue.total).toBe(counts.activeByStep.find((s) => s.step === 'Quality Control')?.count);
  });
});

describe('search', () => {
  const fixtures = [
    { title: 'Replace hydraulic pump seal', metadata: { aircraftRegistration: 'G-EZTH', workOrder: 'WO-2026-0412' } },
    { title: 'Inspect PITOT probe', metadata: { aircraftRegistration: 'N737AB', workOrder: 'WO-2026-0413', ataChapter: '34 – Navigation' } },
    { title: 'Brake wear check, "left" gear', metadata: { aircraftRegistration: 'D-AIBL' } },
    { title: '100% borescope of engine 2', metadata: {} },
    { title: 'Seal under_floor panel', metadata: { workOrder: 'WO-2025-9999' } },
    { title: 'Überprüfung Kabinendruck', metadata: { aircraftRegistration: 'D-ABCD' } },
  ];
  const queries = ['seal', 'SEAL', 'pitot', 'wo-2026', 'N737', '737', 'EZ', 'ab', '"left"', '100%', 'under_floor', 'r_f', 'navigation', '34 –', 'kabinen', 'nothing like it', 'x', '#2', '3'];

  /** The search's meaning: the title or a metadata value contains the text, ignoring (ASCII) case, or it is the item's number. */
  const expected = (items: WorkItem[], q: string) =>
    items
      .filter((item) => {
        const needle = q.toLowerCase();
        const byId = /^#?\d+$/.test(q) && item.id === Number(q.replace('#', ''));
        return byId || [item.title, ...Object.values(item.metadata)].some((text) => text.toLowerCase().includes(needle));
      })
      .map((item) => item.id)
      .sort((a, b) => a - b);

  it('finds the items whose title or metadata values contain the text, or whose number it is', async () => {
    t = startApp({ clock: () => now });
    const items: WorkItem[] = [];
    for (const f of fixtures) items.push(await t.call('workItems.create', { ...f, steps, submit: true }));
    for (const q of queries) {
      const page = await t.call('workItems.list', { search: q, limit: 200 });
      const ids = page.rows.map((r: WorkItem) => r.id).sort((a: number, b: number) => a - b);
      expect({ q, ids }).toEqual({ q, ids: expected(items, q) });
      expect(page.total).toBe(ids.length);
    }
  });

  it('pages a search with many matches in the same order, with the same total', async () => {
    t = startApp({ clock: () => now });
    await t.call('workItems.create', { title: 'Seed', steps });
    t.app.close();
    readDb(t.dataDir, (db) => {
      const insert = db.prepare(`insert into work_items (title, priority, status, current_step, workflow_id, metadata_json, created_by_id, created_by_name, created_at, updated_at, step_entered_at, version)
                                 values (?, 'normal', 'active', 0, 1, ?, 'u', 'U', 0, ?, 0, 1)`);
      // Item 1300 matches by its number; some updated_at values tie, so the id breaks the tie.
      for (let i = 2; i <= 1400; i++) insert.run(i % 3 === 0 ? `Pitot probe ${i}` : `Brake ${i}`, JSON.stringify({ workOrder: i % 7 === 0 ? 'WO-1300' : `WO-${i}` }), (i * 7919) % 500);
    });
    t = t.reopen();
    const matches = (needle: string, id?: number) =>
      readDb(t.dataDir, (db) =>
        (db.prepare('select id, title, metadata_json m, updated_at u from work_items').all() as { id: number; title: string; m: string; u: number }[])
          .filter((r) => r.id === id || `${r.title}\n${Object.values(JSON.parse(r.m)).join('\n')}`.toLowerCase().includes(needle.toLowerCase()))
          .sort((a, b) => b.u - a.u || b.id - a.id)
          .map((r) => r.id),
      );
    for (const [q, id] of [['pitot', undefined], ['1300', 1300], ['brake 1', undefined]] as const) {
      const all = matches(q, id);
      for (const offset of [0, 50, 400]) {
        const page = await t.call('workItems.list', { search: q, offset, limit: 50 });
        expect({ q, offset, total: page.total, ids: page.rows.map((r: WorkItem) => r.id) }).toEqual({ q, offset, total: all.length, ids: all.slice(offset, offset + 50) });
      }
    }
    expect(matches('pitot').length).toBeGreaterThan(400);
  });

  it(`counts a search with more than ${SEARCH_COUNT_CAP} matches only that far and pages it by item number, an exact number first`, async () => {
    t = startApp({ clock: () => now });
    await t.call('workItems.create', { title: 'Seed', steps });
    t.app.close();
    readDb(t.dataDir, (db) => {
      const insert = db.prepare(`insert into work_items (title, priority, status, current_step, workflow_id, metadata_json, created_by_id, created_by_name, created_at, updated_at, step_entered_at, version)
                                 values (?, 'normal', ?, 0, 1, ?, 'u', 'U', 0, ?, 0, 1)`);
      // Every other item says "Pitot 3000"; item 3000 matches "3000" only by its number.
      for (let i = 2; i <= 3100; i++) {
        const pitot = i % 2 === 0 && i !== 3000;
        insert.run(pitot ? 'Pitot 3000 probe' : 'Brake check', i % 5 === 0 ? 'draft' : 'active', JSON.stringify({ workOrder: i === 3000 ? 'WO-X' : `WO-${i}` }), (i * 7919) % 500);
      }
    });
    t = t.reopen();
    type Row = { id: number; title: string; m: string; u: number; status: string };
    const rows = readDb(t.dataDir, (db) => db.prepare('select id, title, metadata_json m, updated_at u, status from work_items').all() as Row[]);
    const text = (r: Row, needle: string) => `${r.title}\n${Object.values(JSON.parse(r.m)).join('\n')}`.toLowerCase().includes(needle.toLowerCase());
    const byNumber = (needle: string, status?: string) =>
      [...rows].filter((r) => text(r, needle) && (!status || r.status === status)).sort((a, b) => b.id - a.id).map((r) => r.id);
    const list = (input: Record<string, unknown>) => t.call('workItems.list', { limit: 50, ...input });
    const ids = (page: { rows: WorkItem[] }) => page.rows.map((r) => r.id);

    const pitot = byNumber('pitot');
    expect(pitot.length).toBeGreaterThan(SEARCH_COUNT_CAP);
    for (const offset of [0, 50, 950]) {
      const page = await list({ search: 'pitot', offset });
      expect(page).toMatchObject({ total: SEARCH_COUNT_CAP, totalIsLowerBound: true, sortedBy: 'item-number', offset, limit: 50 });
      expect(ids(page)).toEqual(pitot.slice(offset, offset + 50));
    }
    const oldest = [...pitot].reverse();
    for (const offset of [0, 100]) expect(ids(await list({ search: 'pitot', sort: 'oldest', offset }))).toEqual(oldest.slice(offset, offset + 50));

    // With another filter: still more than the cap among active items; fewer among drafts, so exact and by last change.
    const active = byNumber('pitot', 'active');
    expect(active.length).toBeGreaterThan(SEARCH_COUNT_CAP);
    expect(ids(await list({ search: 'pitot', status: 'active', offset: 100 }))).toEqual(active.slice(100, 150));
    const drafts = [...rows].filter((r) => text(r, 'pitot') && r.status === 'draft').sort((a, b) => b.u - a.u || b.id - a.id).map((r) => r.id);
    const draftPage = await list({ search: 'pitot', status: 'draft', offset: 50 });
    expect(draftPage.total).toBe(drafts.length);
    expect(draftPage.totalIsLowerBound).toBeUndefined();
    expect(ids(draftPage)).toEqual(drafts.slice(50, 100));

    // An item number that is also text in many items: that item first, then the text matches.
    const numbered = [3000, ...byNumber('3000')];
    expect(ids(await list({ search: '3000' }))).toEqual(numbered.slice(0, 50));
    expect(ids(await list({ search: '3000', offset: 50 }))).toEqual(numbered.slice(50, 100));
    expect(ids(await list({ search: '#3000' }))).toEqual([3000]);
    // Fewer than the cap among drafts: exact, with item 3000 among them in last-change order.
    const draftsWith3000 = await list({ search: '3000', status: 'draft' });
    expect(draftsWith3000).toMatchObject({ total: byNumber('3000', 'draft').length + 1 });
    expect(draftsWith3000.totalIsLowerBound).toBeUndefined();
  });

  it('follows the rows: new items, changed titles and metadata, deleted items', async () => {
    t = startApp({ clock: () => now });
    const a = await t.call<WorkItem>('workItems.create', { title: 'Replace APU starter', steps, metadata: { workOrder: 'WO-1' } });
    const found = async (q: string) => (await t.call('workItems.list', { search: q })).rows.map((r: WorkItem) => r.id);
    expect(await found('APU starter')).toEqual([a.id]);
    t.app.close();
    readDb(t.dataDir, (db) => {
      db.prepare(`update work_items set title = 'Replace bleed valve', metadata_json = '{"workOrder":"WO-77"}' where id = ?`).run(a.id);
    });
    t = t.reopen();
    expect(await found('APU starter')).toEqual([]);
    expect(await found('WO-1')).toEqual([]);
    expect(await found('bleed valve')).toEqual([a.id]);
    expect(await found('WO-77')).toEqual([a.id]);
    t.app.close();
    readDb(t.dataDir, (db) => {
      db.pragma('foreign_keys = OFF');
      db.prepare('delete from transition_events where item_id = ?').run(a.id);
      db.prepare('delete from approval_records where item_id = ?').run(a.id);
      db.prepare('delete from work_items where id = ?').run(a.id);
      expect((db.prepare(`select count(*) n from work_items_search where work_items_search match '"bleed"'`).get() as { n: number }).n).toBe(0);
      expect(db.prepare('select sum(n) n from work_item_tallies').get()).toEqual({ n: 0 });
    });
    t = t.reopen();
  });
});

describe('upgrading a database made before these columns', () => {
  it('fills the step columns, the tallies and the search index for existing items', async () => {
    const dataDir = makeDataDir();
    // A database at migration 0002, with items written as that version of the store wrote them.
    const oldMigrations = join(dataDir, 'old-migrations');
    mkdirSync(join(oldMigrations, 'meta'), { recursive: true });
    const source = join(projectRoot, 'src', 'core', 'db', 'migrations');
    const journal = JSON.parse(readFileSync(join(source, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
    const old = journal.entries.filter((e) => e.idx <= 2);
    for (const e of old) cpSync(join(source, `${e.tag}.sql`), join(oldMigrations, `${e.tag}.sql`));
    writeFileSync(join(oldMigrations, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: old }));
    const sqlite = new Database(dbFile(dataDir));
    applyMigrations(drizzle(sqlite), oldMigrations, 'core');
    const snapshot = sqlite.prepare(`insert into workflow_snapshots (source_id, source_label, source_version, steps_json, step_count) values (null, null, null, ?, 3)`).run(JSON.stringify(steps)).lastInsertRowid;
    const insert = sqlite.prepare(`insert into work_items (title, priority, status, current_step, workflow_id, metadata_json, created_by_id, created_by_name, created_at, updated_at, step_entered_at, version)
                                   values (?, ?, ?, ?, ?, ?, 'u', 'U', ?, ?, ?, 1)`);
    insert.run('Old pitot item', 'urgent', 'active', 1, snapshot, '{"workOrder":"WO-OLD-1"}', now, now, now - 30 * HOUR);
    insert.run('Old finished item', 'normal', 'completed', null, snapshot, '{}', now, now, now);
    sqlite.close();

    t = startApp({ clock: () => now }, dataDir);
    const counts = await t.call<WorkItemCounts>('workItems.counts', {});
    expect(counts).toMatchObject({ byStatus: { active: 1, completed: 1, draft: 0, cancelled: 0 }, activeByStep: [{ step: 'Quality Control', count: 1 }], urgent: 1, overdue: 1 });
    expect((await t.call('workItems.list', { search: 'wo-old' })).rows.map((r: WorkItem) => r.title)).toEqual(['Old pitot item']);
    expect((await t.call('workItems.list', { step: 'Quality Control' })).total).toBe(1);
    expect((await t.call('workItems.list', { overdue: true })).total).toBe(1);
  });
});
