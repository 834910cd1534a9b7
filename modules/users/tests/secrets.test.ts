import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startUsersApp, type UsersApp } from './usersApp';

const apps: UsersApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.cleanup()));

describe('secrets', () => {
  it('never reach the database file, its journal or the logs', async () => {
    const app = await startUsersApp({ maxFailedAttempts: 3 });
    apps.push(app);
    const secrets = ['Kx9-unique-first', 'Zq7-unique-reset', '860241', '907731'];
    const pat = await app.addUser('Pat', 'P1', 'staff', ['QC'], secrets[0]!);
    await app.t.call('users.resetSecret', { id: pat.id, secret: secrets[1] }, 'office');
    await app.t.fail('users.signIn', { number: 'P1', secret: secrets[2] }, 'bench');
    await app.signIn('bench', 'P1', secrets[1]!);
    const item = await app.item('at QC');
    await app.t.fail('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: secrets[3] } }, 'bench');
    await app.t.call('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: secrets[1] } }, 'bench');
    // Something that goes wrong is logged; the input with its secret never is.
    await app.t.fail('users.signIn', { number: 'P1', secret: secrets[2], extra: secrets[2] }, 'bench');

    const files = ['aviation-workflow.sqlite', 'aviation-workflow.sqlite-wal'].map((f) => join(app.t.dataDir, f)).filter(existsSync);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(bytes.includes(Buffer.from('$scrypt$ln=14'))).toBe(true); // the hashes are there, so the search reads real content
    const logs = app.t.logs.join('\n');
    const changes = JSON.stringify(app.changes);
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret)), `${secret} in the database`).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${secret} in the database (UTF-16)`).toBe(false);
      expect(logs).not.toContain(secret);
      expect(changes).not.toContain(secret);
    }
  });
});
