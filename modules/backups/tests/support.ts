import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoveredModules } from '../../../src/core/modules/discovered';
import { defineModule, type RecordedChange } from '../../../src/core/modules/types';
import type { WorkItem } from '../../../src/shared/types';
import { makeDataDir, projectRoot, startApp, type TempApp } from '../../../tests/support/tempApp';
import type { BackupJob, BackupsStatus } from '../contract';

export const T0 = Date.parse('2026-06-01T08:00:00Z');
export const HOUR = 3_600_000;

/** A test clock: time moves only when the test moves it. */
export function testClock(start = T0) {
  const clock = { now: start, read: () => clock.now, advance: (ms: number) => (clock.now += ms) };
  return clock;
}

/** Sees every change reported with recordChange; first, so it also hears what modules report during setup. */
export function changeSpy() {
  const changes: RecordedChange[] = [];
  const module = {
    folder: 'spy',
    definition: defineModule({ name: 'spy', version: '1.0.0', description: 'test', setup: () => ({ on: { change: (c: RecordedChange) => void changes.push(c) } }) }),
  };
  return { changes, modules: [module, ...discoveredModules] };
}

/** A data folder whose settings file has the defaults with this backups config. */
export function dataDirWith(backups: Record<string, unknown>, dataDir = makeDataDir()): string {
  const defaults = JSON.parse(readFileSync(join(projectRoot, 'resources', 'default-settings.json'), 'utf8'));
  defaults.modules.backups = { enabled: true, config: { ...defaults.modules.backups.config, ...backups } };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(defaults, null, 2));
  return dataDir;
}

export const createItem = (t: TempApp, title: string) =>
  t.call<WorkItem>('workItems.create', { title, description: 'x'.repeat(400), steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true });

export async function waitForJob(t: TempApp, onPoll?: (status: BackupsStatus) => void | Promise<void>, session?: string): Promise<BackupJob> {
  for (;;) {
    const status = await t.call<BackupsStatus>('backups.status', {}, session);
    await onPoll?.(status);
    if (status.job && (status.job.state === 'done' || status.job.state === 'failed')) return status.job;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export { startApp, makeDataDir, type TempApp };
