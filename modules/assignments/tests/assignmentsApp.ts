import Database from 'better-sqlite3';
import { join } from 'node:path';
import { discoveredModules } from '../../../src/core/modules/discovered';
import { defineModule, type RecordedChange } from '../../../src/core/modules/types';
import type { WorkItem } from '../../../src/shared/types';
import { fingerprint } from '../../../tests/support/fuzz';
import { startApp, type TempApp } from '../../../tests/support/tempApp';

/**
 * An app with sign-in on (users module, quick scrypt), a clock the test moves, every reported
 * change captured as an audit module sees them, and the first administrator signed in at 'office'.
 * People are added through the users module's own channels, as an administrator would.
 */
export interface AssignmentsApp {
  t: TempApp;
  changes: RecordedChange[];
  advance(minutes: number): void;
  /** Adds a person and signs them in at a session named after their number; returns their user id. */
  person(name: string, number: string, role: 'staff' | 'lead' | 'admin', departments: string[]): Promise<number>;
  /** A Standard-template item (Engineering → Quality Control → Operations) made by the admin, waiting at QC. */
  itemAtQc(title?: string): Promise<WorkItem>;
  /** Approves as the admin (the e-signature is the admin's PIN). */
  approve(item: WorkItem): Promise<WorkItem>;
  /** A fingerprint of every row of every table (equal: nothing changed). */
  rows(): string;
  /** Runs SQL on the database file directly, around the app. */
  sql(statement: string): void;
  cleanup(): void;
}

export const ADMIN = { name: 'Ada Admin', number: 'A100', secret: '424242' };
export const SECRET = '135790';

export async function startAssignmentsApp(): Promise<AssignmentsApp> {
  let now = Date.parse('2026-06-01T08:00:00Z');
  const changes: RecordedChange[] = [];
  const recorder = defineModule({
    name: 'recorder',
    version: '1.0.0',
    description: 'Captures the change feed',
    setup: () => ({ on: { change: (c: RecordedChange) => void changes.push(c) } }),
  });
  const t = startApp({ users: { scryptCost: 14 }, clock: () => now, modules: [...discoveredModules, { folder: 'recorder', definition: recorder }] });
  await t.call('users.setupFirstAdmin', { ...ADMIN, confirm: ADMIN.secret }, 'office');
  const open = () => new Database(join(t.dataDir, 'aviation-workflow.sqlite'));
  const approve = (item: WorkItem) => t.call<WorkItem>('workItems.approve', { id: item.id, expectedVersion: item.version, signature: { secret: ADMIN.secret } }, 'office');
  return {
    t,
    changes,
    advance: (minutes) => void (now += minutes * 60_000),
    async person(name, number, role, departments) {
      const user = await t.call<{ id: number }>('users.create', { name, number, role, departments, secret: SECRET }, 'office');
      await t.call('users.signIn', { number, secret: SECRET }, number);
      return user.id;
    },
    async itemAtQc(title = 'Replace pitot probe') {
      const item = await t.call<WorkItem>('workItems.create', { title, workflowId: 'template:standard', submit: true }, 'office');
      now += 1000;
      return approve(item);
    },
    approve,
    rows() {
      const db = open();
      try {
        return fingerprint(db);
      } finally {
        db.close();
      }
    },
    sql(statement) {
      const db = open();
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    },
    cleanup: () => t.cleanup(),
  };
}
