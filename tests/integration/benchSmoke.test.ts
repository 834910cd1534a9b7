import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchDatabase } from '../../bench/buildDatabase';
import { measureReads, measureReport, measureViews, measureWrites, measureYearReports } from '../../bench/measure';
import { signedInCaller, signedInDataDir } from '../../bench/signedIn';
import { createApp } from '../../src/core/app';
import { cycleTimeFromEvents, storedStays, staysFromEvents } from '../../modules/reports/tests/staysReference';
import { makeDataDir, projectRoot } from '../support/tempApp';

/** The benchmark's building blocks at a tiny size, so `npm run bench` cannot rot unnoticed. */
const cacheRoot = makeDataDir();
afterAll(() => rmSync(cacheRoot, { recursive: true, force: true }));

describe('npm run bench at 2,000 items', () => {
  it('builds a database through the app, then measures reads, the report and writes', { timeout: 60_000 }, async () => {
    const db = await benchDatabase({ items: 2000, assetsRoot: projectRoot, cacheRoot, log: () => {} });
    expect(db.built).toBe(true);
    const sqlite = new Database(db.databasePath, { readonly: true });
    const one = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
    expect(one('select count(*) n from work_items')).toBe(2000);
    expect(one('select count(*) n from transition_events') / 2000).toBeGreaterThan(4);
    expect(one(`select count(*) n from work_items where status = 'active'`)).toBeGreaterThan(40);
    // The stays the builder filled are the ones the event history gives, and the sign-off
    // records name their events: one per approval or rejection, with that event's id.
    const stays = storedStays(sqlite);
    expect(stays.length / 2000).toBeGreaterThan(2);
    expect(stays).toEqual(staysFromEvents(sqlite));
    expect(one(`select count(*) n from approval_records`)).toBe(one(`select count(*) n from transition_events where action in ('approve', 'reject')`));
    expect(one(`select count(*) n from approval_records r join transition_events e on e.item_id = r.item_id and e.seq = r.event_seq and e.id = r.id`)).toBe(
      one(`select count(*) n from approval_records`),
    );
    // The synthetic history stands for one made before the audit trail was on: none of it waits to be sealed.
    expect(one(`select last_event_id n from audit_event_mark`)).toBe(one(`select max(id) n from transition_events`));
    // The bench's report: six years back to today.
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 6 * 365 * 86_400_000).toISOString().slice(0, 10);
    const everything = cycleTimeFromEvents(sqlite, Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + 86_400_000);
    sqlite.close();

    const again = await benchDatabase({ items: 2000, assetsRoot: projectRoot, cacheRoot, log: () => {} });
    expect(again.built).toBe(false);

    // Measured as the app ships: sign-in on, on a copy of the database with the bench's people.
    const signedDir = await signedInDataDir(db.dataDir, projectRoot, () => {});
    const databasePath = join(signedDir, basename(db.databasePath));
    const app = createApp({ dataDir: signedDir, assetsRoot: projectRoot, log: () => {} });
    try {
      expect((await app.invoke('workItems.list', { offset: 0, limit: 1 }, 'nobody')).ok).toBe(false); // signed out: refused
      const admin = await signedInCaller(app, 'admin');
      const inspector = await signedInCaller(app, 'inspector');
      const reads = await measureReads(inspector, databasePath, 3);
      expect(reads.queueList.runs).toBe(3);
      expect(Object.keys(reads.searchByKind)).toEqual(['work order', 'registration', 'title words', 'item number']);
      const views = await measureViews(inspector, 3);
      expect(Object.keys(views)).toEqual(['approvalsMine', 'approvalsMineHints', 'approvalsAll', 'templateFilter', 'overdueList']);
      expect(Object.values(views).map((t) => t.runs)).toEqual([3, 3, 3, 3, 3]);
      expect(await admin('reports.cycleTime', { from, to })).toEqual(everything);
      const report = await measureReport(admin, 1);
      expect(report.report.runs).toBe(1);
      expect(report.maxStallMs).toBeGreaterThanOrEqual(0);
      // Every other report answers (call() throws on an error), each timed.
      const year = await measureYearReports(admin);
      expect(Object.keys(year.yearReportsMs)).toEqual(['throughput', 'rejection rate', 'overdue over time', 'activity per person', 'bottlenecks (now)']);
      const sealedEvents = () => {
        const file = new Database(databasePath, { readonly: true });
        try {
          return file.prepare(`select coalesce(sum(last_event_id - first_event_id + 1), 0) from audit_log where entity = 'work-item-events'`).pluck().get() as number;
        } finally {
          file.close();
        }
      };
      const sealedBefore = sealedEvents();
      const writes = await measureWrites(app, admin, databasePath, 10);
      expect(writes.transition.runs).toBe(10);
      expect(writes.rawFloor.runs).toBe(10);
      // The app's deferred records were made, for its own transitions and for the floor's events.
      const audited = new Database(databasePath, { readonly: true });
      try {
        expect(audited.prepare('select last_event_id from audit_event_mark').pluck().get()).toBe(audited.prepare('select max(id) from transition_events').pluck().get());
        expect(sealedEvents() - sealedBefore).toBe(20);
        // Each of the app's transitions was an e-signature of the signed-in administrator.
        expect(audited.prepare(`select count(*) from user_signatures where signer_number = 'ADM1'`).pluck().get()).toBe(10);
      } finally {
        audited.close();
      }
    } finally {
      app.close();
    }
  });
});
