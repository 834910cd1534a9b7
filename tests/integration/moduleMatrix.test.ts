import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoveredModules } from '../../src/core/modules/discovered';
import type { AppStatus, WorkItem } from '../../src/shared/types';
import { makeDataDir, projectRoot, startApp, type TempApp } from '../support/tempApp';

/** Each module switched off in turn: the app starts and the core flow works without it. */
const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

describe.each(discoveredModules.map((m) => m.folder))('with module "%s" switched off', (name) => {
  it('starts, says what else is affected, and runs an item through submit, approve, reject and cancel', async () => {
    const dataDir = makeDataDir();
    const settings = JSON.parse(readFileSync(join(projectRoot, 'resources/default-settings.json'), 'utf8'));
    settings.modules[name] = { ...settings.modules[name], enabled: false };
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
    const t = startApp({}, dataDir);
    apps.push(t);

    const status = await t.call<AppStatus>('app.status');
    expect(status.modules.find((m) => m.name === name)?.state).toBe('disabled');
    for (const m of status.modules.filter((m) => m.state === 'failed')) {
      expect(m.problem).toMatch(new RegExp(`needs module "${name}"|needs module "[a-z]+", which could not be started`));
    }
    const channel = Object.keys(discoveredModules.find((m) => m.folder === name)?.definition.contract ?? {})[0];
    if (channel) expect((await t.fail(channel, {})).code).toBe('MODULE_DISABLED');

    const steps = [{ name: 'Engineering' }, { name: 'Quality Control' }, { name: 'Operations' }];
    let item = await t.call<WorkItem>('workItems.create', { title: 'Matrix', steps });
    item = await t.call('workItems.submit', { id: item.id, expectedVersion: item.version });
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'ok' });
    item = await t.call('workItems.reject', { id: item.id, expectedVersion: item.version, toStep: 0, comment: 'redo' });
    expect(item.currentStep).toBe(0);
    item = await t.call('workItems.cancel', { id: item.id, expectedVersion: item.version, comment: 'done' });
    expect(item.status).toBe('cancelled');
    const list = await t.call('workItems.list', {});
    expect(list.total).toBe(1);
  });
});
