import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backup, BackupsStatus } from '../contract';
import { changeSpy, createItem, dataDirWith, HOUR, startApp, testClock, waitForJob, type TempApp } from './support';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

function start(config: Record<string, unknown> = {}, clock = testClock()) {
  const spy = changeSpy();
  const t = startApp({ clock: clock.read, modules: spy.modules }, dataDirWith(config));
  apps.push(t);
  return { t, clock, changes: spy.changes };
}

const openBackup = (t: TempApp, backup: Backup) => new Database(join(t.dataDir, 'backups', backup.name), { readonly: true, fileMustExist: true });

describe('online backups', () => {
  it('copies the database while items are written, reports progress up to 100 % and verifies the copy', async () => {
    // One page per step: the copy takes many turns of the event loop, and the writes below land between them.
    const { t, changes } = start({ pagesPerStep: 1 });
    for (let i = 0; i < 150; i++) await createItem(t, `Before ${i}`);

    const job = await t.call('backups.start');
    expect(job).toMatchObject({ state: 'copying', progress: 0 });
    const progress: number[] = [];
    let writtenDuring = 0;
    const finished = await waitForJob(t, async (status) => {
      if (status.job?.state === 'copying') {
        progress.push(status.job.progress);
        await createItem(t, `During ${writtenDuring++}`);
      }
    });
    progress.push(finished.progress);

    expect(finished.state).toBe('done');
    expect(writtenDuring).toBeGreaterThan(3);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress).size).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(100);

    const backup = finished.backup!;
    expect(backup.name).toMatch(/^backup-2026-06-01T08-00-00\.000Z\.sqlite$/);
    expect(backup.verification.state).toBe('ok');
    const copy = openBackup(t, backup);
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const titles = (copy.prepare(`select title from work_items`).all() as { title: string }[]).map((r) => r.title);
      for (let i = 0; i < 150; i++) expect(titles).toContain(`Before ${i}`);
      expect(backup.rows!.workItems).toBe(titles.length);
    } finally {
      copy.close();
    }

    const list = await t.call<Backup[]>('backups.list');
    expect(list.map((b) => b.name)).toEqual([backup.name]);
    expect(list[0]!.sizeBytes).toBeGreaterThan(100_000);
    expect(changes.filter((c) => c.entity === 'backup').map((c) => c.action)).toEqual(['created', 'verified']);
  });

  it('refuses a second backup while one runs', async () => {
    const { t } = start({ pagesPerStep: 1 });
    for (let i = 0; i < 20; i++) await createItem(t, `Item ${i}`);
    await t.call('backups.start');
    expect(await t.fail('backups.start')).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringMatching(/already running/) });
    expect((await waitForJob(t)).state).toBe('done');
  });
});

describe('the schedule', () => {
  it('makes a backup due once intervalHours have passed since the newest one, not before', async () => {
    const { t, clock } = start({ intervalHours: 24 });
    const first = await t.call<{ backup: Backup | null }>('backups.runDue');
    expect(first.backup?.kind).toBe('scheduled');
    expect((await t.call<BackupsStatus>('backups.status')).nextDueAt).toBe('2026-06-02T08:00:00.000Z');

    clock.advance(24 * HOUR - 1);
    expect(await t.call('backups.runDue')).toEqual({ backup: null });
    clock.advance(1);
    const second = await t.call<{ backup: Backup | null }>('backups.runDue');
    expect(second.backup?.createdAt).toBe('2026-06-02T08:00:00.000Z');
    expect((await t.call<Backup[]>('backups.list')).length).toBe(2);
  });

  it('is off with intervalHours null', async () => {
    const { t, clock } = start({ intervalHours: null });
    clock.advance(1000 * HOUR);
    expect(await t.call('backups.runDue')).toEqual({ backup: null });
    expect((await t.call<BackupsStatus>('backups.status')).nextDueAt).toBeNull();
  });
});

describe('retention', () => {
  it('keeps the newest of the last N days and M weeks and deletes exactly the rest', async () => {
    // 2026-06-01 is a Monday. Backups at these times, with daily 3 and weekly 2:
    const times = ['06-01T08', '06-01T20', '06-03T08', '06-08T08', '06-09T08', '06-09T20', '06-10T08'];
    const { t, clock, changes } = start({ intervalHours: 1, keep: { daily: 3, weekly: 2 } });
    for (const time of times) {
      clock.now = Date.parse(`2026-${time}:00:00Z`);
      expect((await t.call<{ backup: Backup | null }>('backups.runDue')).backup).not.toBeNull();
    }
    const kept = (await t.call<Backup[]>('backups.list')).map((b) => b.createdAt.slice(5, 13));
    // Days: 10th, 9th (its 20:00 one), 8th. Weeks: this one (the 10th), the one before (the 3rd, its newest).
    expect(kept).toEqual(['06-10T08', '06-09T20', '06-08T08', '06-03T08']);
    const deleted = changes.filter((c) => c.action === 'deleted-by-retention').map((c) => c.entityId.slice(12, 20));
    expect(deleted.sort()).toEqual(['06-01T08', '06-01T20', '06-09T08']);
    expect(existsSync(join(t.dataDir, 'backups', 'backup-2026-06-01T08-00-00.000Z.sqlite'))).toBe(false);
    expect(existsSync(join(t.dataDir, 'backups', 'backup-2026-06-01T08-00-00.000Z.sqlite.json'))).toBe(false);
  });

  it('a backup made with Back up now keeps the same day\'s scheduled one, and the panel is told the rule', async () => {
    const { t, clock, changes } = start({ intervalHours: 24, keep: { daily: 1, weekly: 1 } });
    clock.now = Date.parse('2026-06-01T02:00:00Z');
    const scheduled = (await t.call<{ backup: Backup | null }>('backups.runDue')).backup!;
    expect(scheduled.kind).toBe('scheduled');
    clock.now = Date.parse('2026-06-01T15:00:00Z');
    await t.call('backups.start');
    await waitForJob(t);
    const kept = await t.call<Backup[]>('backups.list');
    expect(kept.map((b) => [b.kind, b.createdAt])).toEqual([
      ['manual', '2026-06-01T15:00:00.000Z'],
      ['scheduled', '2026-06-01T02:00:00.000Z'],
    ]);
    expect(changes.filter((c) => c.action === 'deleted-by-retention')).toEqual([]);
    expect(existsSync(join(t.dataDir, 'backups', scheduled.name))).toBe(true);

    // A second one by hand that day replaces the first made by hand, never the scheduled one.
    clock.now = Date.parse('2026-06-01T18:00:00Z');
    await t.call('backups.start');
    expect((await waitForJob(t)).startedAt).toBe('2026-06-01T18:00:00.000Z');
    expect((await t.call<Backup[]>('backups.list')).map((b) => [b.kind, b.createdAt.slice(11, 16)])).toEqual([
      ['manual', '18:00'],
      ['scheduled', '02:00'],
    ]);
    expect((await t.call<BackupsStatus>('backups.status')).retention).toMatch(/newest verified backup of each of the last 1 day and 1 week, counted separately for scheduled backups and for those made with Back up now/);
  });
});
