import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { discoveredModules } from '../../../src/core/modules/discovered';
import { defineModule, type ModuleContext } from '../../../src/core/modules/types';
import { command } from '../../../src/shared/channel';
import type { SessionActor, WorkItem } from '../../../src/shared/types';
import { parseCsv } from '../../../tests/support/parseCsv';
import { makeDataDir } from '../../../tests/support/tempApp';
import { AUDIT_COUNT_CAP, type AuditEntry, type AuditFacets, type AuditPage } from '../contract';
import { auditApp, FIRST_RUN_ENTRIES, START, type AuditApp } from './support';

const apps: AuditApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.t.cleanup()));
const start = (...args: Parameters<typeof auditApp>) => {
  const a = auditApp(...args);
  apps.push(a);
  return a;
};

const operator = { id: 'operator:hangar operator', name: 'Hangar operator' };

/** Runs `change` a second after the last one and returns the entries it added (failing if the count is not `expected`). */
async function added(a: AuditApp, change: () => Promise<unknown>, expected = 1): Promise<AuditEntry[]> {
  a.advance(1_000);
  const before = (await a.entries()).length;
  await change();
  const after = await a.entries();
  expect(after.length - before).toBe(expected);
  return after.slice(before);
}

describe('every change is recorded once, with who, what, before and after', () => {
  it('item creation, a transition with its comment, and a comment', async () => {
    const a = start();
    const [created] = await added(a, () => a.t.call('workItems.create', { title: 'Hydraulic pump', workflowId: 'template:standard', submit: true }));
    expect(created).toMatchObject({
      // A work item's event is listed from its own row, and sealed into the chain in a block later.
      key: 'event:1',
      seq: null,
      hash: null,
      eventId: 1,
      at: new Date(START + 1_000).toISOString(),
      actor: operator,
      entity: 'work-item',
      entityId: '1',
      action: 'created',
      before: null,
      after: { title: 'Hydraulic pump', status: 'active', step: 0, stepName: 'Engineering', workflow: { id: 'template:standard' } },
    });

    a.advance(60_000);
    const [approved] = await added(a, () => a.t.call('workItems.approve', { id: 1, expectedVersion: 1, comment: 'Torque checked', signature: { secret: '4711' } }));
    expect(approved).toMatchObject({
      at: new Date(START + 62_000).toISOString(),
      entity: 'work-item',
      entityId: '1',
      action: 'approve',
      before: { status: 'active', step: 0, stepName: 'Engineering', version: 1 },
      after: { status: 'active', step: 1, stepName: 'Quality Control', version: 2, comment: 'Torque checked' },
    });
    expect(JSON.stringify(approved)).not.toContain('4711');

    const [rejected] = await added(a, () => a.t.call('workItems.reject', { id: 1, expectedVersion: 2, toStep: 0, comment: 'Redo' }));
    expect(rejected).toMatchObject({ action: 'reject', before: { step: 1 }, after: { step: 0, comment: 'Redo' } });

    const [comment] = await added(a, () => a.t.call('comments.add', { itemId: 1, text: 'Seal kit ordered' }));
    expect(comment).toMatchObject({ actor: operator, entity: 'comment', entityId: '1', action: 'added', before: null, after: { itemId: 1, text: 'Seal kit ordered' } });
    expect(comment!.seq).toBe(FIRST_RUN_ENTRIES + 1);

    // Checking the chain seals the three events first, in one block entry after the comment's (then the
    // comment's row, in a block of its table's): the rows then show it.
    expect(await a.t.call('audit.verify')).toMatchObject({ ok: true, entries: FIRST_RUN_ENTRIES + 3, events: 3, records: 1 });
    const listed = await a.entries();
    const block = listed.find((e) => e.entity === 'work-item')!.seq;
    expect(block).toBe(FIRST_RUN_ENTRIES + 2);
    expect(listed.filter((e) => e.entity === 'work-item').map((e) => [e.action, e.seq])).toEqual([
      ['created', block],
      ['approve', block],
      ['reject', block],
    ]);
    expect(new Set(listed.filter((e) => e.entity === 'work-item').map((e) => e.hash)).size).toBe(1);
    // The block itself is not listed: its events are.
    expect(listed.map((e) => e.entity)).not.toContain('work-item-events');
  });

  it("a work item's entries name its events instead of copying them, and read back exactly as they were hashed", async () => {
    const a = start();
    await a.t.call('workItems.create', {
      title: 'Draft "first"',
      description: 'Two lines\nand a quote "',
      priority: 'urgent',
      metadata: { tail: 'G-ABCD', workOrder: 'WO-1' },
      workflowId: 'template:standard',
      submit: false,
    });
    await a.t.call('workItems.submit', { id: 1, expectedVersion: 1 });
    const comment = 'Line 1\nLine "2"\ttab \u00e9 \u2708 \\ end';
    await a.t.call('workItems.approve', { id: 1, expectedVersion: 2, comment });
    await a.t.call('workItems.reject', { id: 1, expectedVersion: 3, toStep: 0, comment: '  Redo  ' });
    await a.t.call('workItems.cancel', { id: 1, expectedVersion: 4 });
    const [created, ...transitions] = (await a.entries()).filter((e) => e.entity === 'work-item');
    expect(created).toMatchObject({ action: 'created', before: null });
    expect(created!.after).toEqual({
      title: 'Draft "first"',
      description: 'Two lines\nand a quote "',
      priority: 'urgent',
      workflow: { id: 'template:standard', label: 'Standard', version: 1 },
      steps: [
        { name: 'Engineering', ref: 'ENG' },
        { name: 'Quality Control', ref: 'QC' },
        { name: 'Operations', ref: 'OPS' },
      ],
      metadata: { tail: 'G-ABCD', workOrder: 'WO-1' },
      status: 'draft',
      step: 0,
      stepName: 'Engineering',
      version: 1,
    });
    expect(transitions.map((e) => [e.action, e.before, e.after])).toEqual([
      ['submit', { status: 'draft', step: 0, stepName: 'Engineering', version: 1 }, { status: 'active', step: 0, stepName: 'Engineering', version: 2 }],
      ['approve', { status: 'active', step: 0, stepName: 'Engineering', version: 2 }, { status: 'active', step: 1, stepName: 'Quality Control', version: 3, comment }],
      ['reject', { status: 'active', step: 1, stepName: 'Quality Control', version: 3 }, { status: 'active', step: 0, stepName: 'Engineering', version: 4, comment: 'Redo' }],
      ['cancel', { status: 'active', step: 0, stepName: 'Engineering', version: 4 }, { status: 'cancelled', step: null, stepName: null, version: 5 }],
    ]);
    expect(await a.t.call('audit.verify')).toMatchObject({ ok: true, events: 5 });
    // Nothing of the item is copied: one block entry holds the range and the digest of what is shown.
    const file = a.openFile();
    const stored = file.prepare(`select entity, entity_id, action, before_json, after_json, event_seq from audit_log where seq > ?`).all(FIRST_RUN_ENTRIES);
    file.close();
    expect(stored).toEqual([
      {
        entity: 'work-item-events',
        entity_id: '1-5',
        action: 'sealed',
        before_json: null,
        // The digest detects a change; the prints (a few bytes per event and per field) name it.
        after_json: expect.stringMatching(/^\{"count":5,"digest":"[0-9a-f]{64}","firstEventId":1,"lastEventId":5,"prints":"[A-Za-z0-9+/]+=*"\}$/),
        event_seq: null,
      },
    ]);
    // And the rows read back as they were sealed.
    expect((await a.entries()).filter((e) => e.entity === 'work-item').map((e) => [e.action, e.before, e.after])).toEqual(
      [created, ...transitions].map((e) => [e!.action, e!.before, e!.after]),
    );
  });

  it('a comment edit keeps the old and new text', async () => {
    const dataDir = makeDataDir();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ modules: { comments: { enabled: true, config: { allowEditing: true } } } }));
    const a = start({}, dataDir);
    await a.t.call('departments.create', { name: 'Engineering', code: 'ENG' });
    await a.t.call('workItems.create', { title: 'x', steps: [{ name: 'Engineering' }] });
    await a.t.call('comments.add', { itemId: 1, text: 'first' });
    const [edited] = await added(a, () => a.t.call('comments.edit', { id: 1, text: 'second' }));
    expect(edited).toMatchObject({ entity: 'comment', entityId: '1', action: 'edited', before: { itemId: 1, text: 'first' }, after: { itemId: 1, text: 'second' } });
  });

  it("the first run's departments and templates, from the settings file", async () => {
    const a = start();
    const seeded = (await a.entries()).filter((e) => e.actor.id === 'system:first-run');
    expect(seeded.map((e) => [e.entity, e.entityId, e.action])).toEqual([
      ['department', 'ENG', 'created'],
      ['department', 'QC', 'created'],
      ['department', 'OPS', 'created'],
      ['template', expect.any(String), 'created'],
    ]);
    expect(seeded[1]).toMatchObject({ actor: { name: 'Settings file defaults' }, after: { name: 'Quality Control', code: 'QC', position: 1 } });
  });

  it('department changes: created, renamed, reordered, deactivated, deleted', async () => {
    const a = start();
    const [created] = await added(a, () => a.t.call('departments.create', { name: 'Stores', code: 'STO' }));
    expect(created).toMatchObject({ entity: 'department', entityId: 'STO', action: 'created', before: null, after: { name: 'Stores', code: 'STO', active: true, position: 3 } });

    const [renamed] = await added(a, () => a.t.call('departments.rename', { id: 4, name: 'Stores & Logistics' }));
    expect(renamed).toMatchObject({ action: 'renamed', before: { name: 'Stores', code: 'STO' }, after: { name: 'Stores & Logistics', code: 'STO' } });

    const [reordered] = await added(a, () => a.t.call('departments.reorder', { ids: [4, 1, 2, 3] }));
    expect(reordered).toMatchObject({ entity: 'department', action: 'reordered', before: { order: ['ENG', 'QC', 'OPS', 'STO'] }, after: { order: ['STO', 'ENG', 'QC', 'OPS'] } });
    // The same order again changes nothing, so nothing is recorded.
    await added(a, () => a.t.call('departments.reorder', { ids: [4, 1, 2, 3] }), 0);

    const [deactivated] = await added(a, () => a.t.call('departments.setActive', { id: 4, active: false }));
    expect(deactivated).toMatchObject({ action: 'deactivated', before: { active: true, deactivatedAt: null }, after: { active: false } });

    const [deleted] = await added(a, () => a.t.call('departments.delete', { id: 4 }));
    expect(deleted).toMatchObject({ action: 'deleted', entityId: 'STO', before: { name: 'Stores & Logistics' }, after: null });
  });

  it('template changes: a new version with before and after, deactivation, an import', async () => {
    const a = start();
    const [saved] = await added(a, () =>
      a.t.call('templates.update', { id: 1, expectedVersion: 1, name: 'Standard', description: 'Quick', steps: [{ department: 'ENG' }, { department: 'QC', minSignoffs: 2 }] }),
    );
    expect(saved).toMatchObject({
      entity: 'template',
      entityId: 'standard',
      action: 'version-saved',
      before: { version: 1, steps: [{ department: 'ENG' }, { department: 'QC' }, { department: 'OPS' }] },
      after: { version: 2, description: 'Quick', steps: [{ department: 'ENG', minSignoffs: 1 }, { department: 'QC', minSignoffs: 2 }] },
    });
    const [off] = await added(a, () => a.t.call('templates.setActive', { id: 1, active: false }));
    expect(off).toMatchObject({ action: 'deactivated', before: { active: true }, after: { active: false } });

    const file = JSON.stringify({ format: 'aviation-workflow/template', formatVersion: 1, key: 'heavy-check', name: 'Heavy check', steps: ['ENG', 'QC'] });
    const [imported] = await added(a, () => a.t.call('templates.import', { content: file, format: 'json' }));
    expect(imported).toMatchObject({ entity: 'template', entityId: 'heavy-check', action: 'imported', before: null, after: { version: 1, name: 'Heavy check' } });
    // Importing the same file again changes nothing.
    await added(a, () => a.t.call('templates.import', { content: file, format: 'json' }), 0);
  });

  it('module switches, as the core reports them', async () => {
    const a = start();
    const [entry] = await added(a, () => a.t.call('modules.setEnabled', { name: 'reports', enabled: false }));
    expect(entry).toMatchObject({ actor: operator, entity: 'module', entityId: 'reports', action: 'switched-off', before: { state: 'enabled' }, after: { enabled: false } });
  });
});

describe('an entry exists if and only if its change committed', () => {
  it('a refused transition, a refused department and a refused comment write nothing', async () => {
    const a = start();
    await a.t.call('workItems.create', { title: 'x', workflowId: 'template:standard', submit: true });
    await added(
      a,
      async () => {
        expect((await a.t.fail('workItems.approve', { id: 1, expectedVersion: 7 })).code).toBe('STALE_VERSION');
        expect((await a.t.fail('workItems.submit', { id: 1, expectedVersion: 1 })).code).toBe('INVALID_TRANSITION');
        expect((await a.t.fail('departments.create', { name: 'Engineering', code: 'ENG2' })).code).toBe('VALIDATION');
        expect((await a.t.fail('comments.add', { itemId: 99, text: 'hello' })).code).toBe('NOT_FOUND');
      },
      0,
    );
  });

  it('a change whose transaction rolls back after the entry was written leaves no entry', async () => {
    // A guard-free way to fail late: a module that records a change and then throws.
    const failing = defineModule({
      name: 'failing',
      version: '1.0.0',
      description: 'test',
      contract: { 'failing.run': command<never>()(z.strictObject({})) },
      setup: (ctx: ModuleContext<unknown>) => ({
        handlers: {
          'failing.run': (_input: unknown, call: { actor: SessionActor }) =>
            ctx.transaction(() => {
              ctx.recordChange({ entity: 'thing', entityId: '1', action: 'touched' }, call.actor);
              throw new Error('disk full');
            }),
        },
      }),
    } as never);
    const a = start({ modules: [...discoveredModules, { folder: 'failing', definition: failing }] });
    await added(a, async () => expect((await a.t.fail('failing.run')).code).toBe('INTERNAL'), 0);
  });
});

describe('the database refuses to change or remove entries', () => {
  it('UPDATE and DELETE are refused by triggers', async () => {
    const a = start();
    await a.t.call('workItems.create', { title: 'x', steps: [{ name: 'Engineering' }] });
    const file = a.openFile();
    try {
      expect(() => file.prepare(`update audit_log set actor_name = 'Mallory' where seq = 1`).run()).toThrow(/append-only/);
      expect(() => file.prepare('delete from audit_log where seq = 1').run()).toThrow(/append-only/);
      expect(() => file.prepare('delete from audit_log').run()).toThrow(/append-only/);
    } finally {
      file.close();
    }
    expect((await a.entries()).map((e) => e.seq)[0]).toBe(1);
  });
});

describe('reading the log', () => {
  /** Seven items, an hour apart, by two operators at two terminals. */
  async function seeded() {
    const a = start();
    await a.t.call('operator.set', { name: 'Ada' }, 'bench-a');
    await a.t.call('operator.set', { name: 'Bob' }, 'bench-b');
    for (let i = 0; i < 7; i++) {
      await a.t.call('workItems.create', { title: `Item ${i}`, steps: [{ name: 'Engineering' }], submit: true }, i % 2 ? 'bench-b' : 'bench-a');
      a.advance(3_600_000);
    }
    await a.t.call('departments.create', { name: 'Stores, "main"', code: 'STO' }, 'bench-b');
    return a;
  }

  it(`counts a page's total only up to ${AUDIT_COUNT_CAP.toLocaleString('en')} entries, and says when it stopped there`, async () => {
    const a = await seeded();
    const db = a.openFile();
    // Filler rows straight into the table (their hashes do not chain: only the count is looked at here).
    const insert = db.prepare(`insert into audit_log (at, actor_id, actor_name, entity, entity_id, action, before_json, after_json, prev_hash, hash)
                               values (?, 'operator:filler', 'Filler', 'filler', ?, 'noted', null, null, ?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < AUDIT_COUNT_CAP + 50; i++) insert.run(START, String(i), '0'.repeat(64), '0'.repeat(64));
    })();
    db.close();
    const all = await a.t.call<AuditPage>('audit.list', { limit: 25, offset: 9_975 });
    expect(all).toMatchObject({ total: AUDIT_COUNT_CAP, totalIsLowerBound: true });
    expect(all.rows).toHaveLength(25);
    const few = await a.t.call<AuditPage>('audit.list', { entity: 'department' });
    expect(few.total).toBe(4); // the first run's three and Stores
    expect(few.totalIsLowerBound).toBeUndefined();
  });

  it('pages newest first with a total, and filters by actor, entity, action and time', async () => {
    const a = await seeded();
    const s = FIRST_RUN_ENTRIES;
    // What a row is: an entry's seq, or a work item's id.
    const what = (p: AuditPage) => p.rows.map((r) => (r.entity === 'work-item' ? `item ${r.entityId}` : `#${r.seq}`));
    const first = await a.t.call<AuditPage>('audit.list', { limit: 3 });
    expect(first.total).toBe(s + 8);
    expect(what(first)).toEqual([`#${s + 1}`, 'item 7', 'item 6']);
    expect(what(await a.t.call<AuditPage>('audit.list', { limit: 3, offset: 6 }))).toEqual(['item 2', 'item 1', `#${s}`]);
    // A page past the end is empty, with the total still right.
    expect(await a.t.call<AuditPage>('audit.list', { limit: 3, offset: 30 })).toEqual({ rows: [], total: s + 8 });

    const bob = await a.t.call<AuditPage>('audit.list', { actorId: 'operator:bob' });
    expect(bob.total).toBe(4);
    expect(bob.rows.every((r) => r.actor.name === 'Bob')).toBe(true);
    expect((await a.t.call<AuditPage>('audit.list', { entity: 'department' })).rows.map((r) => r.entityId)).toEqual(['STO', 'OPS', 'QC', 'ENG']);
    expect((await a.t.call<AuditPage>('audit.list', { action: 'created', entity: 'work-item' })).total).toBe(7);
    expect((await a.t.call<AuditPage>('audit.list', { action: 'approve' })).total).toBe(0);
    expect(what(await a.t.call<AuditPage>('audit.list', { entity: 'work-item', entityId: '3' }))).toEqual(['item 3']);
    expect((await a.t.call<AuditPage>('audit.list', { entityId: 'STO' })).rows.map((r) => r.entity)).toEqual(['department']);
    expect((await a.t.call<AuditPage>('audit.list', { entity: 'work-item', entityId: 'STO' })).total).toBe(0);

    // Items 2, 3 and 4 were created at 09:00, 10:00 and 11:00; `to` is exclusive.
    const window = await a.t.call<AuditPage>('audit.list', { from: '2026-03-02T09:00:00Z', to: '2026-03-02T12:00:00Z' });
    expect(what(window)).toEqual(['item 4', 'item 3', 'item 2']);
    expect((await a.t.fail('audit.list', { from: 'yesterday' })).code).toBe('VALIDATION');

    const facets = {
      actors: [
        { id: 'operator:ada', name: 'Ada' },
        { id: 'operator:bob', name: 'Bob' },
        { id: 'system:first-run', name: 'Settings file defaults' },
      ],
      // The comments module's coverage (what the trail compares of its tables), declared once every module started.
      entities: ['audit-coverage', 'department', 'template', 'work-item'],
      actions: ['created', 'declared'],
    };
    expect(await a.t.call<AuditFacets>('audit.facets')).toEqual(facets);
    // The same once the events are sealed (the people and actions then come from the block's facets), and the list is unchanged.
    expect(await a.t.call('audit.verify')).toMatchObject({ ok: true, events: 7 });
    expect(await a.t.call<AuditFacets>('audit.facets')).toEqual(facets);
    expect(what(await a.t.call<AuditPage>('audit.list', { limit: 3 }))).toEqual([`#${s + 1}`, 'item 7', 'item 6']);
    expect((await a.t.call<AuditPage>('audit.list', {})).rows.filter((r) => r.entity === 'work-item').every((r) => r.seq === s + 2)).toBe(true);
    // A person or action is looked for among the events only if a sealed or waiting one has it: the same rows either way.
    expect((await a.t.call<AuditPage>('audit.list', { actorId: 'operator:bob' })).total).toBe(4);
    expect((await a.t.call<AuditPage>('audit.list', { actorId: 'operator:bob', action: 'created', entity: 'work-item' })).total).toBe(3);
    expect((await a.t.call<AuditPage>('audit.list', { actorId: 'system:first-run' })).rows.every((r) => r.entity !== 'work-item')).toBe(true);
    expect(await a.t.call<AuditPage>('audit.list', { actorId: 'operator:nobody' })).toEqual({ rows: [], total: 0 });
    expect(await a.t.call<AuditPage>('audit.list', { action: 'reject' })).toEqual({ rows: [], total: 0 });
    await a.t.call('workItems.create', { title: 'Waiting to be sealed', steps: [{ name: 'Engineering' }], submit: true }, 'bench-a');
    await a.t.call('operator.set', { name: 'Cy' }, 'bench-c');
    await a.t.call('workItems.create', { title: 'By someone new', steps: [{ name: 'Engineering' }], submit: true }, 'bench-c');
    expect((await a.t.call<AuditPage>('audit.list', { actorId: 'operator:cy' })).rows.map((r) => r.action)).toEqual(['created']);
  });

  it('exports the filtered entries as CSV, in the words the screen shows', async () => {
    const a = await seeded();
    const csv = await a.t.call<{ fileName: string; content: string; rows: number }>('audit.exportCsv', { actorId: 'operator:bob' });
    expect(csv.fileName).toBe('audit-trail-2026-03-02.csv');
    expect(csv.content.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(csv.content);
    expect(header).toEqual(['Seq', 'When (UTC)', 'Who', 'Terminal', 'What', 'Action', 'Changes', 'Event ID', 'Hash']);
    const listed = (await a.t.call<AuditPage>('audit.list', { actorId: 'operator:bob' })).rows.reverse();
    expect(csv.rows).toBe(4);
    const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[7], r[8]])).toEqual(
      listed.map((e) => [cell(e.seq), e.at, e.actor.name, cell(e.terminal?.name), e.readable.subject, e.readable.action, cell(e.eventId), cell(e.hash)]),
    );
    // Bob's calls came from his session; without a terminal named, that is the terminal recorded (not one with a friendly name).
    expect(rows.map((r) => r[3])).toEqual(rows.map(() => 'bench-b'));
    // Bob's three items are events (not sealed yet: no seq or hash), the department an entry.
    expect(rows.map((r) => [r[4]!.split(' #')[0], r[0] === '', r[7] === ''])).toEqual([
      ['Work item', true, false],
      ['Work item', true, false],
      ['Work item', true, false],
      ['Department Stores, "main" (STO)', false, true],
    ]);
    // Text, never JSON: commas and quotes survive the quoting.
    expect(rows.at(-1)![6]).toContain('Name: Stores, "main"');
    expect(rows.map((r) => r[6]).join('')).not.toMatch(/[{}]/);
  });
});

describe('only administrators read the audit trail', () => {
  const people: Record<string, SessionActor> = {
    ada: { id: 'user:ada', name: 'Ada Admin', role: 'admin' },
    sam: { id: 'user:sam', name: 'Sam Staff', role: 'staff' },
  };
  const signIn = () => {
    const signedIn = new Map<string, SessionActor>();
    return defineModule({
      name: 'gatekeeper',
      version: '1.0.0',
      description: 'Test sign-in',
      contract: { 'gatekeeper.signIn': command<SessionActor>()(z.strictObject({ who: z.enum(['ada', 'sam']) })) },
      setup: () => ({
        identity: {
          actorFor: (session: string) => signedIn.get(session) ?? null,
          canAdminister: (session: string) => signedIn.get(session)?.role === 'admin',
          publicChannels: ['gatekeeper.signIn'],
        },
        handlers: {
          'gatekeeper.signIn': ({ who }: { who: 'ada' | 'sam' }, call: { session: string }) => {
            signedIn.set(call.session, people[who]!);
            return people[who]!;
          },
        },
      }),
    } as never);
  };

  it('refuses staff every audit channel, and records what they did', async () => {
    const a = start({ modules: [...discoveredModules, { folder: 'gatekeeper', definition: signIn() }] });
    await a.t.call('gatekeeper.signIn', { who: 'sam' }, 'hangar');
    await a.t.call('gatekeeper.signIn', { who: 'ada' }, 'office');
    await a.t.call<WorkItem>('workItems.create', { title: 'x', workflowId: 'template:standard' }, 'hangar');
    for (const channel of ['audit.list', 'audit.facets', 'audit.verify', 'audit.verifyProgress', 'audit.exportCsv', 'audit.exportTable']) {
      expect(await a.t.fail(channel, {}, 'hangar')).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Only an administrator') });
    }
    const page = await a.t.call<AuditPage>('audit.list', { actorId: 'user:sam' }, 'office');
    expect(page.rows).toMatchObject([{ actor: { id: 'user:sam', name: 'Sam Staff' }, action: 'created' }]);
  });
});
