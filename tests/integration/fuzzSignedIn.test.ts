import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveredModules } from '../../src/core/modules/discovered';
import type { ChannelMap } from '../../src/shared/channel';
import { coreContract } from '../../src/shared/contract';
import { ERROR_CODES } from '../../src/shared/errors';
import { fingerprint, payloadFor, random } from '../support/fuzz';
import { startApp, type TempApp } from '../support/tempApp';

/**
 * The fuzz test again, with sign-in on as the product ships: every channel from a terminal
 * where an administrator is signed in (so the permission checks and the users module's own
 * channels are reached), and from one where nobody is (so the public sign-in channels are).
 * A failed sign-in is the one refused call that rightly writes: its record (lockout, audit).
 */
const ROUNDS = Number(process.env['FUZZ_ROUNDS'] ?? 25);
const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };

let t: TempApp;
let db: Database.Database;
beforeAll(async () => {
  t = startApp({ users: { scryptCost: 14 } });
  await t.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'office');
  await t.call('workItems.create', { title: 'Seed', workflowId: 'template:standard', submit: true }, 'office');
  // Records made shortly after the seed's transitions (audit, reports) are written now, before the fingerprints.
  t.app.settle();
  db = new Database(join(t.dataDir, 'aviation-workflow.sqlite'), { readonly: true });
});
afterAll(() => {
  db?.close();
  t?.cleanup();
});

const channels: ChannelMap = Object.assign({}, coreContract, ...discoveredModules.map((m) => m.definition.contract ?? {}));
// A wrong PIN or recovery code is counted (towards the lockout) although the call fails.
const RECORDS_A_FAILURE = new Set(['users.signIn', 'users.signInWithRecoveryCode', 'users.changeOwnSecret', 'users.newRecoveryCode']);

describe('every channel survives malformed input with sign-in on', () => {
  for (const [session, seed] of [
    ['office', 77],
    ['kiosk', 78],
  ] as const) {
    it(`answers typed errors and changes nothing, from a terminal where ${session === 'office' ? 'an admin is' : 'nobody is'} signed in`, async () => {
      const names = Object.keys(channels).filter((n) => n !== 'app.restart' && n !== 'users.signOut' && n !== 'users.lock');
      const next = random(seed);
      const problems: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const name of names) {
          const input = payloadFor(channels[name]!, next);
          const before = fingerprint(db);
          const result = await t.app.invoke(name, input, session);
          const shown = `${name} ${JSON.stringify(input)?.slice(0, 160)}`;
          if (result.ok) {
            // Some hostile values are valid input (a department named "'; drop table work_items; --");
            // what must never happen is a command accepting what its schema refuses.
            if (channels[name]!.kind === 'command' && !channels[name]!.input.safeParse(input).success) problems.push(`accepted: ${shown}`);
            continue;
          }
          if (!ERROR_CODES.includes(result.error.code)) problems.push(`unknown code ${result.error.code}: ${shown}`);
          if (result.error.code === 'INTERNAL') problems.push(`crashed: ${shown}`);
          if (/\n\s+at /.test(result.error.message)) problems.push(`stack trace: ${shown}`);
          if (fingerprint(db) !== before && !RECORDS_A_FAILURE.has(name)) problems.push(`wrote rows although refused: ${shown}`);
        }
      }
      expect(problems).toEqual([]);
      // The admin is still signed in at the office afterwards (nothing signed them out).
      expect((await t.call('app.status', {}, 'office')).actor?.name).toBe(ADMIN.name);
    }, 120_000);
  }
});
