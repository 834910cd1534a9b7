/**
 * Calls taking turns on SQLite's one connection (src/core/storage/connectionLock.ts), attacked
 * through a real app (app.invoke, a real database): no call may wait forever for one that waits
 * for it, no work may land in another call's open transaction, and every call is answered.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoveredModules } from '../../src/core/modules/discovered';
import { defineModule, type ModuleContext } from '../../src/core/modules/types';
import type { Result } from '../../src/shared/errors';
import type { WorkItem } from '../../src/shared/types';
import { startApp, type StartOptions, type TempApp } from '../support/tempApp';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));
const start = (options: StartOptions = {}) => {
  const t = startApp({ clock: () => Date.parse('2026-03-02T08:00:00Z'), ...options });
  apps.push(t);
  return t;
};

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

/** What a promise settles to, or 'still waiting' if it has not after ms (a frozen connection never settles). */
const within = <T>(promise: Promise<T>, ms = 3_000): Promise<T | 'still waiting'> =>
  Promise.race([promise, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms).unref())]);

const value = <T>(r: Result<unknown> | 'still waiting'): T => {
  if (r === 'still waiting') throw new Error('the call was never answered');
  if (!r.ok) throw new Error(`refused: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};

const steps = [{ name: 'Engineering' }, { name: 'Quality Control' }];

describe('calls that wait for each other', () => {
  it('two checks of the audit trail at once (two administrators) both finish: the second waits for the first without holding the connection', async () => {
    const t = start();
    for (let i = 0; i < 3; i++) await t.call('workItems.create', { title: `Item ${i}`, steps, submit: true });
    const [first, second] = await Promise.all([within(t.app.invoke('audit.verify', {})), within(t.app.invoke('audit.verify', {}))]);
    expect(value(first)).toMatchObject({ ok: true });
    expect(value(second)).toMatchObject({ ok: true });
    // And the hangar goes on.
    expect(value(await within(t.app.invoke('workItems.list', {})))).toBeTruthy();
  });
});
