import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreContract } from '../../src/shared/contract';
import { ERROR_CODES } from '../../src/shared/errors';
import { discoveredModules } from '../../src/core/modules/discovered';
import type { ChannelMap } from '../../src/shared/channel';
import { fingerprint as fingerprintOf, payloadFor, random } from '../support/fuzz';
import { startApp, type TempApp } from '../support/tempApp';

/**
 * Bad input, thousands of times: every channel of the core and of every installed module gets
 * random and malformed payloads (wrong types, huge strings, unknown fields, SQL and HTML in
 * text, negative/NaN/huge numbers, unknown ids). Every answer must be a typed result (never a
 * throw), no invalid call may change a single row, and the app must still work afterwards.
 */
const ROUNDS = Number(process.env['FUZZ_ROUNDS'] ?? 40);

let t: TempApp;
let db: Database.Database;
beforeAll(async () => {
  t = startApp();
  await t.call('workItems.create', { title: 'Seed', workflowId: 'template:standard', submit: true });
  await t.call('comments.add', { itemId: 1, text: 'Seed comment' }).catch(() => undefined);
  // Records made shortly after the seed's transitions (audit, reports) are written now, before the fingerprints.
  t.app.settle();
  db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
});
afterAll(() => {
  db?.close();
  t?.cleanup();
});

const fingerprint = () => fingerprintOf(db);

describe('every channel survives malformed input', () => {
  const channels: ChannelMap = Object.assign({}, coreContract, ...discoveredModules.map((m) => m.definition.contract ?? {}));

  it('answers thousands of bad payloads with typed errors and changes nothing', async () => {
    const names = Object.keys(channels).filter((n) => n !== 'app.restart');
    expect(names.length).toBeGreaterThan(20);
    const next = random(4242);
    const before = fingerprint();
    let calls = 0;
    const accepted: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) {
        const input = payloadFor(channels[name]!, next);
        const result = await t.app.invoke(name, input);
        calls++;
        expect(typeof result.ok, `${name} did not answer with a result`).toBe('boolean');
        if (!result.ok) {
          expect(ERROR_CODES, `${name}: unknown error code ${result.error.code}`).toContain(result.error.code);
          expect(result.error.code, `${name} crashed on ${JSON.stringify(input)?.slice(0, 200)}: ${result.error.message}`).not.toBe('INTERNAL');
          expect(typeof result.error.message).toBe('string');
          expect(result.error.message).not.toMatch(/\n\s+at /); // no stack traces cross
        } else if (channels[name]!.kind === 'command') {
          accepted.push(`${name} ${JSON.stringify(input)?.slice(0, 200)}`);
        }
      }
    }
    // Every command payload here is invalid, so none may have been accepted — except a terminal's
    // operator name, where any clean text is a name ("'; drop table…" is stored as just text).
    expect(accepted.filter((a) => !a.startsWith('operator.set '))).toEqual([]);
    expect(fingerprint()).toBe(before);
    expect(calls).toBeGreaterThan(1000);
  }, 120_000);

  it('refuses unknown ids on every command that takes one, writing nothing', async () => {
    const before = fingerprint();
    for (const [name, channel] of Object.entries(channels)) {
      if (channel.kind !== 'command') continue;
      const shape = (channel.input as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      const idField = ['id', 'itemId'].find((k) => k in shape);
      if (!idField) continue;
      const result = await t.app.invoke(name, { [idField]: 987_654, expectedVersion: 1, toStep: 0, text: 'x', name: 'x', active: true });
      expect(result.ok, name).toBe(false);
      // MODULE_DISABLED: a channel of a module these tests run without (users: sign-in is off here).
      if (!result.ok) expect(['NOT_FOUND', 'VALIDATION', 'MODULE_DISABLED'], `${name}: ${result.error.code} ${result.error.message}`).toContain(result.error.code);
    }
    expect(fingerprint()).toBe(before);
  });

  it('still works afterwards', async () => {
    const item = await t.call('workItems.create', { title: "Fuzz survivor <b>'quoted'</b>", workflowId: 'template:standard', submit: true });
    const approved = await t.call('workItems.approve', { id: item.id, expectedVersion: item.version });
    expect(approved.currentStep).toBe(1);
    expect((await t.call('workItems.list', { search: "<b>'quoted'</b>" })).total).toBe(1);
  });
});
