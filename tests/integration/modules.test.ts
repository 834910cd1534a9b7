import Database from 'better-sqlite3';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { query } from '../../src/shared/channel';
import { discoveredModules } from '../../src/core/modules/discovered';
import { SETTINGS_HISTORY_KEPT } from '../../src/core/settings/settingsFile';
import { defineModule } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { AppStatus } from '../../src/shared/types';
import { makeDataDir, startApp, type TempApp } from '../support/tempApp';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

function withSettings(modules: Record<string, unknown>, extra: Parameters<typeof startApp>[0] = {}) {
  const dataDir = makeDataDir();
  const defaults = JSON.parse(readFileSync(join(import.meta.dirname, '../../resources/default-settings.json'), 'utf8'));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ ...defaults, modules: { ...defaults.modules, ...modules } }));
  const t = startApp(extra, dataDir);
  apps.push(t);
  return t;
}

const stateOf = (status: AppStatus, name: string) => status.modules.find((m) => m.name === name);

async function coreFlowWorks(t: TempApp) {
  const item = await t.call('workItems.create', { title: 'Core flow', steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true });
  const next = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
  const done = await t.call('workItems.approve', { id: item.id, expectedVersion: next.version });
  expect(done.status).toBe('completed');
}

describe('module discovery', () => {
  it('finds every folder in modules/ without the core naming any', () => {
    expect(discoveredModules.map((m) => m.folder)).toEqual(expect.arrayContaining(['departments', 'templates']));
    for (const m of discoveredModules) expect(m.definition.name).toBe(m.folder);
  });
});

describe('bad settings never stop the app', () => {
  it('ignores an unknown module and says so', async () => {
    const t = withSettings({ 'spare-parts': { enabled: true } });
    const status = await t.call<AppStatus>('app.status');
    expect(status.problems).toEqual([expect.stringContaining('module "spare-parts", which is not installed')]);
    await coreFlowWorks(t);
  });

  it('disables a module whose config is invalid and that has no last good config, naming the field', async () => {
    const t = withSettings({ departments: { enabled: true, config: { defaults: [{ name: 'Engineering', code: 'eng lower' }] } } });
    const status = await t.call<AppStatus>('app.status');
    expect(stateOf(status, 'departments')).toMatchObject({ state: 'failed' });
    expect(status.problems[0]).toMatch(/Module "departments" is disabled: its config .* invalid at "defaults.0.code"/);
    // templates depends on departments, so it is disabled too, with its own reason.
    expect(stateOf(status, 'templates')?.problem).toMatch(/needs module "departments", which could not be started/);
    expect((await t.fail('departments.list')).code).toBe('MODULE_DISABLED');
    await coreFlowWorks(t);
  });

  it('runs a module whose config turns invalid with the config it last ran with, and keeps that as the last good one', async () => {
    const t = withSettings({ comments: { enabled: true, config: { maxLength: 300 } } });
    const settingsPath = join(t.dataDir, 'settings.json');
    const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
    settings.modules.comments.config.maxLength = 0;
    settings.operator = { name: 'Line office' };
    writeFileSync(settingsPath, JSON.stringify(settings));
    for (let i = 0; i < 2; i++) {
      const again = t.reopen();
      apps.push(again);
      const status = await again.call<AppStatus>('app.status');
      expect(stateOf(status, 'comments')?.state).toBe('enabled');
      expect(status.problems).toEqual([expect.stringMatching(/^Module "comments" runs with its last good config \(kept in .*settings\.json\.last-good\): its config in .* is invalid at "maxLength"/)]);
      expect(await again.call('comments.settings')).toMatchObject({ maxLength: 300 });
      // The rest of the file is used, and becomes the last good settings; the invalid value does not.
      expect(status.actor?.name).toBe('Line office');
      const lastGood = JSON.parse(readFileSync(`${settingsPath}.last-good`, 'utf8'));
      expect(lastGood).toMatchObject({ operator: { name: 'Line office' }, modules: { comments: { enabled: true, config: { maxLength: 300 } } } });
      again.app.close();
    }
  });

  it('disables a module whose dependency is switched off', async () => {
    const t = withSettings({ departments: { enabled: false } });
    const status = await t.call<AppStatus>('app.status');
    expect(stateOf(status, 'departments')?.state).toBe('disabled');
    expect(stateOf(status, 'templates')).toMatchObject({
      state: 'failed',
      problem: expect.stringContaining('needs module "departments", which is switched off in the settings file'),
    });
    expect(await t.call('workflows.list')).toEqual([]);
    const error = await t.fail('workItems.create', { title: 'x', workflowId: 'template:standard' });
    expect(error.message).toMatch(/No module offering workflows is enabled/);
    await coreFlowWorks(t);
  });

  it('uses the last good settings when the file is hand-broken, and does not overwrite it', async () => {
    const first = startApp();
    apps.push(first);
    const settingsPath = join(first.dataDir, 'settings.json');
    first.app.close();
    writeFileSync(settingsPath, '{ "modules": { "departments": { "enabled": tru');
    const t = startApp({}, first.dataDir);
    apps.push(t);
    const status = await t.call<AppStatus>('app.status');
    expect(status.problems[0]).toMatch(/settings file .* was not used because it is not valid JSON.*last good settings/);
    expect(stateOf(status, 'departments')?.state).toBe('enabled');
    expect(readFileSync(settingsPath, 'utf8')).toBe('{ "modules": { "departments": { "enabled": tru');
  });

  it('keeps a copy of the file as it was before the app changes it, and only the newest copies', async () => {
    const t = withSettings({});
    const settingsPath = join(t.dataDir, 'settings.json');
    const handWritten = readFileSync(settingsPath, 'utf8').replace('{', '{\n  "$comment": "QC bench 3 — ask Sam before changing",');
    writeFileSync(settingsPath, handWritten);
    await t.call('modules.setEnabled', { name: 'comments', enabled: false });
    const history = join(t.dataDir, 'settings-history');
    const copies = readdirSync(history);
    expect(copies).toHaveLength(1);
    expect(readFileSync(join(history, copies[0]!), 'utf8')).toBe(handWritten);
    expect(JSON.parse(readFileSync(settingsPath, 'utf8')).modules.comments.enabled).toBe(false);

    for (let i = 0; i < SETTINGS_HISTORY_KEPT + 5; i++) await t.call('modules.setEnabled', { name: 'comments', enabled: i % 2 === 0 });
    expect(readdirSync(history)).toHaveLength(SETTINGS_HISTORY_KEPT);
  });

  it('reports a settings file of the wrong shape with the path of the bad value', async () => {
    const t = withSettings({ departments: { enabled: 'yes' } });
    const status = await t.call<AppStatus>('app.status');
    expect(status.problems[0]).toMatch(/does not match the expected shape at "modules.departments.enabled"/);
  });
});

describe('disabling a module keeps its data', () => {
  it('leaves its tables alone and brings the data back when switched on again', async () => {
    const t = withSettings({});
    expect(await t.call('departments.list')).toHaveLength(3);
    const settingsPath = join(t.dataDir, 'settings.json');
    const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
    settings.modules.templates.enabled = false;
    settings.modules.departments.enabled = false;
    writeFileSync(settingsPath, JSON.stringify(settings));
    let reopened = t.reopen();
    apps.push(reopened);
    expect((await reopened.fail('departments.list')).code).toBe('MODULE_DISABLED');
    const db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
    expect((db.prepare('select count(*) n from departments').get() as { n: number }).n).toBe(3);
    db.close();

    settings.modules.templates.enabled = true;
    settings.modules.departments.enabled = true;
    writeFileSync(settingsPath, JSON.stringify(settings));
    reopened = reopened.reopen();
    apps.push(reopened);
    expect(await reopened.call('departments.list')).toHaveLength(3);
    expect(await reopened.call('workflows.list')).toHaveLength(1);
  });
});

describe('module contract', () => {
  const fixture = (overrides: Record<string, unknown>) => ({
    folder: String(overrides['name'] ?? 'fixture'),
    definition: defineModule({
      name: 'fixture',
      version: '1.0.0',
      description: 'A test module',
      configSchema: z.strictObject({ greeting: z.string().default('hello') }),
      contract: { 'fixture.greet': query<string>()(z.strictObject({ name: z.string().min(1) })) },
      setup: ({ config }: { config: { greeting: string } }) => ({ handlers: { 'fixture.greet': ({ name }: { name: string }) => `${config.greeting}, ${name}` } }),
      ...overrides,
    } as never),
  });

  it('validates module input with its own schema and answers through the same table', async () => {
    const t = startApp({ modules: [...discoveredModules, fixture({})] });
    apps.push(t);
    expect(await t.call('fixture.greet', { name: 'QC' })).toBe('hello, QC');
    expect((await t.fail('fixture.greet', { name: '' })).code).toBe('VALIDATION');
  });

  it('refuses a module whose folder and name differ, or whose channels leave its namespace', async () => {
    const renamed = fixture({});
    renamed.folder = 'other';
    const escaping = fixture({ contract: { 'workItems.steal': query<string>()(z.strictObject({})) } });
    escaping.folder = 'fixture';
    const t = startApp({ modules: [renamed] });
    apps.push(t);
    expect((await t.call<AppStatus>('app.status')).problems).toContainEqual(
      expect.stringMatching(/folder "other" declares the name "fixture"/),
    );
    const u = startApp({ modules: [escaping] });
    apps.push(u);
    expect((await u.call<AppStatus>('app.status')).problems).toContainEqual(
      expect.stringMatching(/channel "workItems.steal" outside its "fixture." namespace/),
    );
  });

  it('disables a module whose setup throws, and the app still answers', async () => {
    const t = startApp({
      modules: [
        fixture({
          setup: () => {
            throw new Error('boom');
          },
        }),
      ],
    });
    apps.push(t);
    const status = await t.call<AppStatus>('app.status');
    expect(status.problems).toContainEqual('Module "fixture" could not be started: boom');
    expect(status.modules).toEqual([expect.objectContaining({ name: 'fixture', state: 'failed' })]);
    await coreFlowWorks(t);
  });

  it('starts a module after an optional dependency that is on, and without one that is off or missing', async () => {
    const provider = {
      folder: 'provider',
      definition: defineModule({ name: 'provider', version: '1.0.0', description: 'Offers a word', setup: () => ({ exports: { word: 'hangar' } }) }),
    };
    const user = fixture({
      optionalDependsOn: ['provider'],
      setup: ({ use }: { use: <T>(name: string) => T }) => {
        const word = use<{ word: string } | undefined>('provider')?.word ?? 'alone';
        return { handlers: { 'fixture.greet': ({ name }: { name: string }) => `${word}, ${name}` } };
      },
    });
    // The user is listed first, yet the provider starts before it.
    const both = startApp({ modules: [user, provider] });
    apps.push(both);
    expect(await both.call('fixture.greet', { name: 'Ada' })).toBe('hangar, Ada');

    const settingsOff = makeDataDir();
    writeFileSync(join(settingsOff, 'settings.json'), JSON.stringify({ modules: { provider: { enabled: false } } }));
    const off = startApp({ modules: [user, provider] }, settingsOff);
    apps.push(off);
    expect(await off.call('fixture.greet', { name: 'Ada' })).toBe('alone, Ada');
    expect(stateOf(await off.call<AppStatus>('app.status'), 'fixture')?.state).toBe('enabled');

    const missing = startApp({ modules: [user] });
    apps.push(missing);
    expect(await missing.call('fixture.greet', { name: 'Ada' })).toBe('alone, Ada');
  });

  it('lets a module refuse a transition inside the transaction, writing nothing', async () => {
    const t = startApp({
      modules: [
        fixture({
          setup: () => ({
            handlers: { 'fixture.greet': () => 'hi' },
            guards: [
              (ctx: { command: { type: string } }) => {
                if (ctx.command.type === 'approve') {
                  throw new AppError('FORBIDDEN', 'Not today');
                }
              },
            ],
          }),
        }),
      ],
    });
    apps.push(t);
    const item = await t.call('workItems.create', { title: 'x', steps: [{ name: 'Engineering' }], submit: true });
    expect(await t.fail('workItems.approve', { id: item.id, expectedVersion: 1 })).toMatchObject({ code: 'FORBIDDEN', message: 'Not today' });
    expect((await t.call('workItems.get', { id: item.id })).events).toHaveLength(1);
  });
});
