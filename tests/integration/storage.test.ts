import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, StartupError } from '../../src/core/app';
import { discoveredModules } from '../../src/core/modules/discovered';
import { defineModule, type ModuleContext } from '../../src/core/modules/types';
import type { AppStatus, WorkItem } from '../../src/shared/types';
import { runHarness } from '../support/harness';
import { holdOpen } from '../support/holdOpen';
import { makeDataDir, projectRoot, startApp, type TempApp } from '../support/tempApp';
import { tinyDisk, type TinyDisk } from '../support/tinyDisk';

/**
 * Finding 10: database and disk failures reached people as "Something went wrong" (INTERNAL), a
 * foreign writer froze every call for 5 s, and a start on a full disk or a read-only folder died
 * with a stack trace. Now: DISK_FULL, DATABASE_BUSY, READ_ONLY with what to do, nothing
 * half-written, a short wait for another program's lock, and a clear message at start.
 */
const apps: TempApp[] = [];
const disks: TinyDisk[] = [];
afterEach(() => {
  apps.splice(0).forEach((a) => a.cleanup());
  disks.splice(0).forEach((d) => d.cleanup());
});

/** A fixture module that hands the test the app's own connection, to set SQLite limits on it. */
function withConnection() {
  const probe: { sqlite?: Database.Database } = {};
  const module = {
    folder: 'probe',
    definition: defineModule({
      name: 'probe',
      version: '1.0.0',
      description: 'test access to the connection',
      setup: (ctx: ModuleContext<unknown>) => ((probe.sqlite = ctx.db.$client), {}),
    }),
  };
  const t = startApp({ modules: [...discoveredModules, module] });
  apps.push(t);
  return { t, sqlite: () => probe.sqlite! };
}

/** Every item's events are exactly its versions, and its row is where its last event left it. */
function consistent(dataDir: string) {
  const db = new Database(join(dataDir, 'aviation-workflow.sqlite'), { readonly: true });
  try {
    const items = db.prepare('select id, version, status from work_items').all() as { id: number; version: number; status: string }[];
    for (const item of items) {
      const events = db.prepare('select seq, to_status as status from transition_events where item_id = ? order by seq').all(item.id) as { seq: number; status: string }[];
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.length).toBe(item.version);
      expect(events.at(-1)?.status).toBe(item.status);
    }
    return items.length;
  } finally {
    db.close();
  }
}

const bigItem = (i: number) => ({ title: `Big ${i}`, description: 'd'.repeat(4000), steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true });


/** What a start on this data folder throws (undefined if it starts; the app is then closed again). */
function startFailure(dataDir: string): unknown {
  try {
    createApp({ dataDir, assetsRoot: projectRoot, log: () => {} }).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a full disk', () => {
  it('answers DISK_FULL with what to do, saves nothing half-way, and works again once there is room', async () => {
    const { t, sqlite } = withConnection();
    const items: WorkItem[] = [];
    for (let i = 0; i < 30; i++) items.push(await t.call<WorkItem>('workItems.create', { title: `Before ${i}`, steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true }));
    // SQLite's own limit on the file's size stands in for the disk: a write that needs a new page fails as on a full disk.
    sqlite().pragma(`max_page_count = ${sqlite().pragma('page_count', { simple: true })}`);

    // A transition that does not fit is refused whole: the item stays as it was.
    let refusedItem: WorkItem | undefined;
    for (const item of items) {
      const r = await t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'c'.repeat(2000) });
      if (r.ok) continue;
      expect(r.error).toEqual({
        code: 'DISK_FULL',
        message: `The disk holding the app's data (${t.dataDir}) is full, so nothing was saved. Free some space on it (or ask IT to), then try again.`,
        details: { cause: 'database or disk is full' },
      });
      refusedItem = item;
      break;
    }
    expect(refusedItem).toBeDefined();
    expect((await t.call<{ item: WorkItem }>('workItems.get', { id: refusedItem!.id })).item.version).toBe(refusedItem!.version);
    expect(await t.app.invoke('workItems.create', bigItem(1))).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
    expect(consistent(t.dataDir)).toBe(30);

    sqlite().pragma('max_page_count = 1073741823');
    expect(await t.app.invoke('workItems.approve', { id: refusedItem!.id, expectedVersion: refusedItem!.version, comment: 'c'.repeat(2000) })).toMatchObject({ ok: true });
    expect(t.logs.filter((l) => l.startsWith('Unexpected error'))).toEqual([]);
  });

  const disk = tinyDisk('16m');
  if (typeof disk !== 'string') disk.cleanup();
  const skip = typeof disk === 'string' ? `; skipped: ${disk}` : '';

  /** A data folder on a small filesystem of its own (the mount point itself cannot be removed, so a folder inside). */
  const onTinyDisk = () => {
    const d = tinyDisk('16m') as TinyDisk;
    disks.push(d);
    const dataDir = join(d.dir, 'data');
    mkdirSync(dataDir);
    return { d, dataDir };
  };

  it.skipIf(typeof disk === 'string')(`(a real one, filled while the app runs${skip}) refuses changes, settings too, keeps reading; the next start says so first`, async () => {
    const { d, dataDir } = onTinyDisk();
    const t = startApp({}, dataDir);
    apps.push(t);
    const item = await t.call<WorkItem>('workItems.create', { title: 'Before', steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true });
    const settingsBefore = readFileSync(join(dataDir, 'settings.json'), 'utf8');
    d.fill();
    expect(await t.app.invoke('workItems.create', bigItem(1))).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
    expect(await t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version })).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
    const settings = await t.app.invoke('modules.setEnabled', { name: 'comments', enabled: false });
    expect(settings).toMatchObject({ ok: false, error: { code: 'DISK_FULL', details: { cause: expect.stringMatching(/^ENOSPC/) } } });
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe(settingsBefore);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await t.app.invoke('workItems.list', {})).toMatchObject({ ok: true, value: { total: 1 } });
    t.app.close();
    expect(consistent(dataDir)).toBe(1);

    const again = startApp({}, dataDir);
    apps.push(again);
    expect(again.app.status().problems[0]).toMatch(
      new RegExp(`^The disk holding the data folder ${dataDir} is full \\(\\d+ KB free\\): changes are refused until there is room, and parts of the app may not have started\\. Free some space on it, then restart the app\\.$`),
    );
    expect(await again.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version })).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
    expect(await again.app.invoke('workItems.list', {})).toMatchObject({ ok: true, value: { total: 1 } });
    again.app.close();

    for (const f of readdirSync(d.dir)) if (/^(filler|crumb)-/.test(f)) rmSync(join(d.dir, f));
    const roomy = startApp({}, dataDir);
    apps.push(roomy);
    expect(roomy.app.status().problems.join('\n')).not.toMatch(/is full/);
    expect(await roomy.call('workItems.approve', { id: item.id, expectedVersion: item.version })).toMatchObject({ currentStep: 1 });
  });

  it.skipIf(typeof disk === 'string')(`(a real one, filled while the app was closed${skip}) a start says so plainly instead of a stack trace`, async () => {
    const { d, dataDir } = onTinyDisk();
    const t = startApp({}, dataDir);
    await t.call<WorkItem>('workItems.create', { title: 'Before', steps: [{ name: 'Engineering' }], submit: true });
    t.app.close();
    d.fill();
    const error = startFailure(dataDir);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).code).toBe('DISK_FULL');
    expect((error as Error).message).toMatch(new RegExp(`^The disk holding the app's data folder ${dataDir} is full \\(.*\\)\\. Free some space on it, then start the app again\\.$`));
  });
});

describe('a read-only data folder', () => {
  it('answers READ_ONLY for a change the database refuses, changing nothing', async () => {
    const { t, sqlite } = withConnection();
    sqlite().pragma('query_only = 1');
    const r = await t.app.invoke('workItems.create', bigItem(1));
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'READ_ONLY',
        message: `The app cannot write to its data folder (${t.dataDir}): it is read-only or this user may not change it, so nothing was changed. Ask IT to give this user write access to it, then try again.`,
      },
    });
    expect(await t.call('workItems.list', {})).toMatchObject({ total: 0 });
  });

  /** A folder the app used, then made read-only: a read-only filesystem as root (chmod does not stop root), chmod otherwise. */
  async function readOnlyFolder(): Promise<string> {
    const disk = tinyDisk('16m');
    const dataDir = typeof disk === 'string' ? makeDataDir() : join(disk.dir, 'data');
    if (typeof disk !== 'string') {
      disks.push(disk);
      mkdirSync(dataDir);
    }
    const t = startApp({}, dataDir);
    await t.call('workItems.create', { title: 'Before', steps: [{ name: 'Engineering' }], submit: true });
    t.app.close();
    if (typeof disk !== 'string') disk.readOnly();
    else for (const f of [...readdirSync(dataDir).map((f) => join(dataDir, f)), dataDir]) chmodSync(f, 0o555);
    return dataDir;
  }

  it('a start says so plainly, in the core and from the browser harness (no stack trace)', async () => {
    const dataDir = await readOnlyFolder();
    const error = startFailure(dataDir);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).code).toBe('READ_ONLY');
    expect((error as Error).message).toMatch(
      new RegExp(`^The app cannot write to its data folder ${dataDir} \\(.+\\): the folder is read-only or this user may not change it\\. Give this user write access`),
    );

    const refused = await runHarness(projectRoot, ['--data-dir', dataDir]).then(
      async (h) => (await h.stop(), 'started'),
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/exited with 1/);
    expect(refused).toContain(`Aviation Workflow could not start: The app cannot write to its data folder ${dataDir} (`);
    expect(refused).not.toMatch(/\n\s+at /);
  }, 60_000);
});


describe('another program holding the write lock', () => {
  it('cannot freeze the app: reads answer at once, a change answers DATABASE_BUSY within a moment, nothing changes', async () => {
    const t = startApp();
    apps.push(t);
    const item = await t.call<WorkItem>('workItems.create', { title: 'Mine', steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true });
    const other = await holdOpen(join(t.dataDir, 'aviation-workflow.sqlite'), { writeLock: true });
    try {
      const started = Date.now();
      const timed = <T>(p: Promise<T>) => p.then((value) => ({ value, ms: Date.now() - started }));
      const [write, read] = await Promise.all([
        timed(t.app.invoke('workItems.approve', { id: item.id, expectedVersion: item.version })),
        timed(t.app.invoke('workItems.list', {})),
      ]);
      expect(write.value).toEqual({
        ok: false,
        error: {
          code: 'DATABASE_BUSY',
          message: 'The database is busy: another program is writing to it, so nothing was changed. Try again in a moment; if it keeps happening, close any other program that has the database open.',
          details: { cause: 'database is locked' },
        },
      });
      expect(write.ms).toBeLessThan(1000);
      expect(read.value).toMatchObject({ ok: true, value: { total: 1, rows: [{ title: 'Mine' }] } });
      expect(read.ms).toBeLessThan(1000);
      expect((await t.call<AppStatus>('app.status')).problems).toEqual([]);
    } finally {
      await other.release();
    }
    expect(await t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version })).toMatchObject({ currentStep: 1 });
    expect(consistent(t.dataDir)).toBe(1);
  });
});

describe('the settings files', () => {
  it('both broken: the app starts on the built-in defaults and says so, leaving both files as they were', async () => {
    const dataDir = makeDataDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'settings.json'), '{ "modules": ');
    writeFileSync(join(dataDir, 'settings.json.last-good'), 'not json either');
    const app = createApp({ dataDir, assetsRoot: projectRoot, log: () => {} });
    try {
      const status = app.status();
      expect(status.problems[0]).toBe(
        `The settings file ${join(dataDir, 'settings.json')} was not used because it is not valid JSON (Unexpected end of JSON input), and its last good copy ${join(dataDir, 'settings.json.last-good')} cannot be used either (it is not valid JSON (Unexpected token 'o', "not json either" is not valid JSON)). Using the built-in defaults until it is fixed.`,
      );
      expect(status.modules.find((m) => m.name === 'departments')?.state).toBe('enabled');
      expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe('{ "modules": ');
      expect(readFileSync(join(dataDir, 'settings.json.last-good'), 'utf8')).toBe('not json either');
    } finally {
      app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a last good copy that cannot be written does not stop the start; it is said', async () => {
    const dataDir = makeDataDir();
    mkdirSync(join(dataDir, 'settings.json.last-good'), { recursive: true }); // in the way: not a file
    const t = startApp({}, dataDir);
    apps.push(t);
    expect((await t.call<AppStatus>('app.status')).problems).toEqual([
      expect.stringMatching(/^The last good copy of the settings \(.*settings\.json\.last-good\) could not be written \(.*\); a broken settings file would start with older settings\.$/),
    ]);
    expect(await t.call('workItems.list', {})).toMatchObject({ total: 0 });
  });
});
