import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkItem, WorkItemDetail } from '../../src/shared/types';
import { startApp, type TempApp } from '../support/tempApp';

let t: TempApp;
beforeEach(() => {
  t = startApp();
});
afterEach(() => t.cleanup());

const ann = 'terminal-ann';
const bob = 'terminal-bob';

describe('who is working at a terminal', () => {
  it('is the settings operator until someone says their name, per terminal', async () => {
    expect((await t.call('app.status', {}, ann)).actor.name).toBe('Hangar operator');
    await t.call('operator.set', { name: '  Ann Inspector ' }, ann);
    expect((await t.call('app.status', {}, ann)).actor).toEqual({ id: 'operator:ann inspector', name: 'Ann Inspector' });
    expect((await t.call('app.status', {}, bob)).actor.name).toBe('Hangar operator');
    expect((await t.fail('operator.set', { name: '   ' }, ann)).code).toBe('VALIDATION');
  });

  it('records the person at the terminal on each transition', async () => {
    await t.call('operator.set', { name: 'Ann Inspector' }, ann);
    const item = await t.call<WorkItem>('workItems.create', { title: 'x', steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true }, ann);
    expect(item.createdBy.name).toBe('Ann Inspector');
  });
});

describe('minimum sign-offs at a step', () => {
  const steps = [{ name: 'Engineering' }, { name: 'Quality Control', minSignoffs: 2 }, { name: 'Operations' }];
  async function atQc() {
    await t.call('operator.set', { name: 'Ann Inspector' }, ann);
    await t.call('operator.set', { name: 'Bob Engineer' }, bob);
    const item = await t.call<WorkItem>('workItems.create', { title: 'Flap track inspection', steps, submit: true }, bob);
    return t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version }, bob);
  }

  it('needs two different people before the step moves on', async () => {
    let item = await atQc();
    expect(item.currentStep).toBe(1);
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'first' }, ann);
    expect(item).toMatchObject({ currentStep: 1, currentSignoffs: [{ name: 'Ann Inspector' }] });

    const again = await t.fail('workItems.approve', { id: item.id, expectedVersion: item.version }, ann);
    expect(again).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringMatching(/already signed off/) });

    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version }, bob);
    expect(item).toMatchObject({ currentStep: 2, currentSignoffs: [] });
    const { events } = await t.call<WorkItemDetail>('workItems.get', { id: item.id });
    expect(events.slice(-2).map((e) => [e.actor.name, e.fromStep, e.toStep])).toEqual([
      ['Ann Inspector', 1, 1],
      ['Bob Engineer', 1, 2],
    ]);
  });

  it('tells the screen that this person has already signed', async () => {
    let item = await atQc();
    item = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version }, ann);
    const forAnn = await t.call<WorkItemDetail>('workItems.get', { id: item.id }, ann);
    expect(forAnn.hints.find((h) => h.action === 'approve')?.blocked).toMatch(/already signed off/);
    const forBob = await t.call<WorkItemDetail>('workItems.get', { id: item.id }, bob);
    expect(forBob.hints.find((h) => h.action === 'approve')?.blocked).toBeUndefined();
    expect(forBob.hints.map((h) => h.action)).toEqual(['approve', 'reject', 'cancel']);
  });

  it('stores the sign-off rule with the item, so the item keeps it', async () => {
    const item = await atQc();
    expect(item.steps[1]).toEqual({ name: 'Quality Control', ref: 'QC', minSignoffs: 2 });
  });
});

describe('switching modules', () => {
  it('writes the settings file atomically and says a restart is needed', async () => {
    const status = await t.call('app.status');
    expect(await t.call('modules.setEnabled', { name: 'templates', enabled: false })).toEqual({ restartRequired: true });
    const saved = JSON.parse(readFileSync(status.settingsPath, 'utf8'));
    expect(saved.modules.templates.enabled).toBe(false);
    expect(saved.modules.templates.config.defaults[0].key).toBe('standard');
    expect((await t.call('app.status')).restartRequired).toBe(true);
    t = t.reopen();
    expect((await t.call('app.status')).modules.find((m: { name: string }) => m.name === 'templates').state).toBe('disabled');
  });

  it('refuses an unknown module and a broken settings file, changing nothing', async () => {
    expect((await t.fail('modules.setEnabled', { name: 'nope', enabled: true })).code).toBe('NOT_FOUND');
    const { settingsPath } = await t.call('app.status');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(settingsPath, '{ broken');
    const error = await t.fail('modules.setEnabled', { name: 'templates', enabled: false });
    expect(error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/cannot be changed here because it is not valid JSON/) });
    expect(readFileSync(settingsPath, 'utf8')).toBe('{ broken');
  });

  it('cannot restart without a host that knows how', async () => {
    expect((await t.fail('app.restart')).code).toBe('INVALID_TRANSITION');
  });
});
