import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type CoreApp } from '../../../src/core/app';
import type { AppErrorData } from '../../../src/shared/errors';
import type { AppStatus, WorkItem } from '../../../src/shared/types';
import { applyUsersSwitch } from '../../../tests/support/usersSwitch';
import type { Comment, CommentSettings } from '../contract';

/*
 * Runs the whole app (createApp, real handlers, a temporary data folder) like
 * tests/support/tempApp.ts does. It is re-done here rather than imported so this folder stands
 * alone: the test that deletes other module folders copies modules/ without tests/.
 */
const projectRoot = resolve(import.meta.dirname, '../../..');
const started: { app: CoreApp; dataDir: string }[] = [];
afterEach(() => {
  for (const { app, dataDir } of started.splice(0)) {
    app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** A hand-set clock, so edit windows are tested without waiting. */
function testClock(start = Date.parse('2026-03-01T08:00:00Z')) {
  let now = start;
  const clock = () => now;
  clock.advanceMinutes = (minutes: number) => {
    now += minutes * 60_000;
  };
  return clock;
}

function start(commentsConfig?: Record<string, unknown>, clock = testClock()) {
  const dataDir = mkdtempSync(join(tmpdir(), 'aw-comments-'));
  const defaults = JSON.parse(readFileSync(join(projectRoot, 'resources', 'default-settings.json'), 'utf8'));
  const modules = { ...defaults.modules, ...(commentsConfig ? { comments: { enabled: true, config: commentsConfig } } : {}) };
  // Sign-in is on in the shipped defaults; these tests work as the terminal's operator.
  if (modules.users) modules.users = { ...modules.users, enabled: false };
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ ...defaults, modules }));
  applyUsersSwitch(projectRoot, dataDir, false); // and the modules that need sign-in go off with it
  const app = createApp({ dataDir, assetsRoot: projectRoot, clock, log: () => {} });
  started.push({ app, dataDir });
  const call = async <T = any>(channel: string, input: unknown = {}, session?: string): Promise<T> => {
    const r = await app.invoke(channel, input, session);
    if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const fail = async (channel: string, input: unknown = {}, session?: string): Promise<AppErrorData> => {
    const r = await app.invoke(channel, input, session);
    if (r.ok) throw new Error(`${channel} was expected to fail but returned ${JSON.stringify(r.value)}`);
    return r.error;
  };
  /** Reads the tables directly, beside the app (WAL lets a second connection read). */
  const rows = (table: 'comments' | 'comment_revisions') => {
    const db = new Database(join(dataDir, 'aviation-workflow.sqlite'), { readonly: true });
    try {
      return db.prepare(`select * from ${table} order by id`).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  };
  const item = () => call<WorkItem>('workItems.create', { title: 'Replace brake unit #2', steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true });
  return { app, dataDir, clock, call, fail, rows, item };
}

const ann = 'terminal-ann';
const bob = 'terminal-bob';

describe('the comments module', () => {
  it('is on by default with its config defaults', async () => {
    const t = start();
    const status = await t.call<AppStatus>('app.status');
    expect(status.modules.find((m) => m.name === 'comments')).toMatchObject({ state: 'enabled' });
    expect(status.problems).toEqual([]);
    expect(await t.call<CommentSettings>('comments.settings')).toEqual({ maxLength: 2000, allowEditing: false, editWindowMinutes: null });
  });

  it('is disabled with a clear message when its config is invalid, and the app still runs', async () => {
    const t = start({ maxLength: 0 });
    const status = await t.call<AppStatus>('app.status');
    expect(status.modules.find((m) => m.name === 'comments')?.state).toBe('failed');
    expect(status.problems.join('\n')).toMatch(/Module "comments" is disabled: its config .* invalid at "maxLength"/);
    expect((await t.fail('comments.list', { itemId: 1 })).code).toBe('MODULE_DISABLED');
    expect((await t.item()).status).toBe('active');
  });
});

describe('posting and reading comments', () => {
  it('lists an item’s comments oldest first, with author and time from the terminal’s operator', async () => {
    const t = start();
    await t.call('operator.set', { name: 'Ann Inspector' }, ann);
    await t.call('operator.set', { name: 'Bob Engineer' }, bob);
    const item = await t.item();
    const other = await t.item();

    const first = await t.call<Comment>('comments.add', { itemId: item.id, text: '  Torque values checked.\r\nSee card 7.  ' }, ann);
    expect(first).toEqual({
      id: 1,
      itemId: item.id,
      author: { id: 'operator:ann inspector', name: 'Ann Inspector' },
      createdAt: '2026-03-01T08:00:00.000Z',
      text: 'Torque values checked.\nSee card 7.',
      editedAt: null,
      revisions: [],
      canEdit: false,
      editableUntil: null,
    });
    t.clock.advanceMinutes(5);
    await t.call('comments.add', { itemId: item.id, text: 'Agreed, releasing.' }, bob);
    await t.call('comments.add', { itemId: other.id, text: 'Different item' }, bob);
    // Same millisecond: posting order decides.
    await t.call('comments.add', { itemId: item.id, text: 'One more' }, ann);

    const list = await t.call<Comment[]>('comments.list', { itemId: item.id }, bob);
    expect(list.map((c) => [c.author.name, c.createdAt, c.text])).toEqual([
      ['Ann Inspector', '2026-03-01T08:00:00.000Z', 'Torque values checked.\nSee card 7.'],
      ['Bob Engineer', '2026-03-01T08:05:00.000Z', 'Agreed, releasing.'],
      ['Ann Inspector', '2026-03-01T08:05:00.000Z', 'One more'],
    ]);
    expect(await t.call<Comment[]>('comments.list', { itemId: other.id })).toHaveLength(1);
  });

  it('uses the settings operator at a terminal where nobody has given a name', async () => {
    const t = start();
    const item = await t.item();
    const c = await t.call<Comment>('comments.add', { itemId: item.id, text: 'x' });
    expect(c.author).toEqual({ id: 'operator:hangar operator', name: 'Hangar operator' });
  });

  it('stores HTML as the plain text it is', async () => {
    const t = start();
    const item = await t.item();
    const text = '<img src=x onerror="alert(1)"> & <b>bold</b>';
    expect((await t.call<Comment>('comments.add', { itemId: item.id, text })).text).toBe(text);
  });

  it('allows comments on completed and cancelled items (the record stays open for notes)', async () => {
    const t = start();
    const item = await t.item();
    await t.call('workItems.cancel', { id: item.id, expectedVersion: item.version });
    expect((await t.call<Comment>('comments.add', { itemId: item.id, text: 'Cancelled: duplicate of #2' })).text).toMatch(/duplicate/);
  });

  it('refuses an unknown item, changing nothing', async () => {
    const t = start();
    await t.item();
    expect(await t.fail('comments.add', { itemId: 99, text: 'hello' })).toMatchObject({ code: 'NOT_FOUND', message: 'Work item #99 does not exist.' });
    expect(await t.fail('comments.list', { itemId: 99 })).toMatchObject({ code: 'NOT_FOUND' });
    expect(t.rows('comments')).toEqual([]);
  });

  it('refuses invalid input, changing nothing', async () => {
    const t = start();
    const item = await t.item();
    await t.call('comments.add', { itemId: item.id, text: 'kept' });
    const bad: unknown[] = [
      { itemId: item.id, text: '' },
      { itemId: item.id, text: ' \n\t ' },
      { itemId: item.id },
      { itemId: item.id, text: 42 },
      { itemId: 'one', text: 'x' },
      { itemId: -1, text: 'x' },
      { itemId: 1.5, text: 'x' },
      { itemId: item.id, text: 'x', authorName: 'Someone else' },
      { itemId: item.id, text: 'x'.repeat(40_001) },
      null,
    ];
    for (const input of bad) expect((await t.fail('comments.add', input)).code, JSON.stringify(input)?.slice(0, 80)).toBe('VALIDATION');
    expect(await t.fail('comments.add', { itemId: item.id, text: '   ' })).toMatchObject({
      message: 'text: A comment cannot be empty',
      details: { issues: [{ path: ['text'] }] },
    });
    expect(t.rows('comments').map((r) => r['text'])).toEqual(['kept']);
  });
});

describe('the maximum length', () => {
  it('is 2000 characters by default, named in the message', async () => {
    const t = start();
    const item = await t.item();
    await t.call('comments.add', { itemId: item.id, text: 'a'.repeat(2000) });
    const error = await t.fail('comments.add', { itemId: item.id, text: 'a'.repeat(2001) });
    expect(error).toMatchObject({
      code: 'VALIDATION',
      message: 'text: A comment can be at most 2,000 characters; this one has 2,001.',
      details: { issues: [{ path: ['text'], message: 'A comment can be at most 2,000 characters; this one has 2,001.' }] },
    });
    expect(t.rows('comments')).toHaveLength(1);
  });

  it('comes from the config, counting characters as people see them and ignoring spaces at the ends', async () => {
    const t = start({ maxLength: 10 });
    expect((await t.call<CommentSettings>('comments.settings')).maxLength).toBe(10);
    const item = await t.item();
    const planes = '🛫'.repeat(10); // 10 characters, 20 UTF-16 units
    expect((await t.call<Comment>('comments.add', { itemId: item.id, text: `   ${planes}   ` })).text).toBe(planes);
    expect((await t.fail('comments.add', { itemId: item.id, text: `${planes}🛬` })).message).toMatch(/this one has 11\.$/);
    await t.call('comments.add', { itemId: item.id, text: '0123456789' });
    const error = await t.fail('comments.add', { itemId: item.id, text: '0123456789X' });
    expect(error.message).toBe('text: A comment can be at most 10 characters; this one has 11.');
    expect(t.rows('comments')).toHaveLength(2);
  });
});

describe('editing', () => {
  it('is off by default: nobody, not even the author, can change a comment', async () => {
    const t = start();
    await t.call('operator.set', { name: 'Ann Inspector' }, ann);
    const item = await t.item();
    const c = await t.call<Comment>('comments.add', { itemId: item.id, text: 'Original' }, ann);
    expect(c.canEdit).toBe(false);
    const error = await t.fail('comments.edit', { id: c.id, text: 'Changed' }, ann);
    expect(error).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringMatching(/cannot be changed after posting: editing is switched off/) });
    expect(t.rows('comments')).toMatchObject([{ text: 'Original', edited_at: null }]);
    expect(t.rows('comment_revisions')).toEqual([]);
  });

  it('when allowed, lets the author edit and keeps every earlier wording', async () => {
    const t = start({ allowEditing: true });
    expect(await t.call<CommentSettings>('comments.settings')).toEqual({ maxLength: 2000, allowEditing: true, editWindowMinutes: null });
    await t.call('operator.set', { name: 'Ann Inspector' }, ann);
    const item = await t.item();
    const posted = await t.call<Comment>('comments.add', { itemId: item.id, text: 'Brake wear 2 mm' }, ann);
    expect(posted).toMatchObject({ canEdit: true, editableUntil: null });

    t.clock.advanceMinutes(3);
    const once = await t.call<Comment>('comments.edit', { id: posted.id, text: 'Brake wear 3 mm' }, ann);
    t.clock.advanceMinutes(600);
    const twice = await t.call<Comment>('comments.edit', { id: posted.id, text: ' Brake wear 3.5 mm (re-measured) ' }, ann);
    expect(once.editedAt).toBe('2026-03-01T08:03:00.000Z');
    expect(twice).toMatchObject({
      id: posted.id,
      createdAt: posted.createdAt,
      author: posted.author,
      text: 'Brake wear 3.5 mm (re-measured)',
      editedAt: '2026-03-01T18:03:00.000Z',
      revisions: [
        { revision: 1, text: 'Brake wear 2 mm', writtenAt: '2026-03-01T08:00:00.000Z', replacedAt: '2026-03-01T08:03:00.000Z', replacedBy: { name: 'Ann Inspector' } },
        { revision: 2, text: 'Brake wear 3 mm', writtenAt: '2026-03-01T08:03:00.000Z', replacedAt: '2026-03-01T18:03:00.000Z', replacedBy: { name: 'Ann Inspector' } },
      ],
    });
    expect((await t.call<Comment[]>('comments.list', { itemId: item.id }, ann))[0]).toEqual(twice);
    // Saving the same text again records nothing new.
    await t.call('comments.edit', { id: posted.id, text: 'Brake wear 3.5 mm (re-measured)' }, ann);
    expect(t.rows('comment_revisions')).toHaveLength(2);
  });

  it('refuses anyone but the author', async () => {
    const t = start({ allowEditing: true });
    await t.call('operator.set', { name: 'Ann Inspector' }, ann);
    await t.call('operator.set', { name: 'Bob Engineer' }, bob);
    const item = await t.item();
    const c = await t.call<Comment>('comments.add', { itemId: item.id, text: 'Ann’s note' }, ann);
    expect((await t.call<Comment[]>('comments.list', { itemId: item.id }, bob))[0]?.canEdit).toBe(false);
    expect(await t.fail('comments.edit', { id: c.id, text: 'Bob was here' }, bob)).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only the author (Ann Inspector) can edit this comment.',
    });
    expect(t.rows('comments')).toMatchObject([{ text: 'Ann’s note', edited_at: null }]);
    expect(t.rows('comment_revisions')).toEqual([]);
  });

  it('allows editing only within the configured window after posting', async () => {
    const t = start({ allowEditing: true, editWindowMinutes: 15 });
    expect((await t.call<CommentSettings>('comments.settings')).editWindowMinutes).toBe(15);
    await t.call('operator.set', { name: 'Ann Inspector' }, ann);
    const item = await t.item();
    const c = await t.call<Comment>('comments.add', { itemId: item.id, text: 'v1' }, ann);
    expect(c.editableUntil).toBe('2026-03-01T08:15:00.000Z');

    t.clock.advanceMinutes(10);
    await t.call('comments.edit', { id: c.id, text: 'v2' }, ann);
    t.clock.advanceMinutes(5); // exactly at the end of the window: still allowed
    await t.call('comments.edit', { id: c.id, text: 'v3' }, ann);
    t.clock.advanceMinutes(0.001);
    expect((await t.call<Comment[]>('comments.list', { itemId: item.id }, ann))[0]?.canEdit).toBe(false);
    expect(await t.fail('comments.edit', { id: c.id, text: 'v4' }, ann)).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: 'This comment can no longer be edited: comments can be edited for 15 minutes after posting.',
    });
    expect(t.rows('comments')).toMatchObject([{ text: 'v3' }]);
    expect(t.rows('comment_revisions').map((r) => r['text'])).toEqual(['v1', 'v2']);
  });

  it('checks the edited text like a new comment, changing nothing when it is refused', async () => {
    const t = start({ allowEditing: true, maxLength: 5 });
    const item = await t.item();
    const c = await t.call<Comment>('comments.add', { itemId: item.id, text: 'short' });
    expect((await t.fail('comments.edit', { id: c.id, text: 'too long' })).message).toBe('text: A comment can be at most 5 characters; this one has 8.');
    expect((await t.fail('comments.edit', { id: c.id, text: '  ' })).code).toBe('VALIDATION');
    expect((await t.fail('comments.edit', { id: c.id, text: 'x', itemId: 2 })).code).toBe('VALIDATION');
    expect(await t.fail('comments.edit', { id: 99, text: 'x' })).toMatchObject({ code: 'NOT_FOUND', message: 'Comment #99 does not exist.' });
    expect(t.rows('comments')).toMatchObject([{ text: 'short', edited_at: null }]);
    expect(t.rows('comment_revisions')).toEqual([]);
  });
});

describe('the database keeps what was said', () => {
  it('refuses to delete comments, to change revisions, or to change text without keeping the old', async () => {
    const t = start({ allowEditing: true });
    const item = await t.item();
    const c = await t.call<Comment>('comments.add', { itemId: item.id, text: 'v1' });
    await t.call('comments.edit', { id: c.id, text: 'v2' });
    const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'));
    try {
      expect(() => db.prepare('delete from comments').run()).toThrow(/never deleted/);
      expect(() => db.prepare("update comments set text = 'rewritten', edited_at = 1").run()).toThrow(/must be kept/);
      expect(() => db.prepare("update comments set author_name = 'Someone'").run()).toThrow(/keeps its item, author and time/);
      expect(() => db.prepare("update comment_revisions set text = 'rewritten'").run()).toThrow(/append-only/);
      expect(() => db.prepare('delete from comment_revisions').run()).toThrow(/append-only/);
      expect(() => db.prepare("insert into comments (item_id, author_id, author_name, created_at, text) values (999, 'a', 'a', 1, 'x')").run()).toThrow(
        /FOREIGN KEY/,
      );
    } finally {
      db.close();
    }
    expect(t.rows('comments')).toMatchObject([{ text: 'v2' }]);
    expect(t.rows('comment_revisions')).toMatchObject([{ text: 'v1' }]);
  });

  it('keeps comments across a restart', async () => {
    const t = start();
    const item = await t.item();
    await t.call('comments.add', { itemId: item.id, text: 'Survives' });
    t.app.close();
    const again = createApp({ dataDir: t.dataDir, assetsRoot: projectRoot, log: () => {} });
    try {
      const r = await again.invoke('comments.list', { itemId: item.id });
      expect(r).toMatchObject({ ok: true, value: [{ text: 'Survives' }] });
    } finally {
      again.close();
    }
    started.splice(started.findIndex((s) => s.app === t.app), 1);
    rmSync(t.dataDir, { recursive: true, force: true });
  });
});
