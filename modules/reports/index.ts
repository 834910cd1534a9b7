import { defineModule } from '../../src/core/modules/types';
import { reportsContract } from './contract';
import { bottlenecks } from './queries/bottlenecks';
import { cycleTime } from './queries/cycleTime';
import { departments } from './queries/departments';
import { overdueOverTime } from './queries/overdueOverTime';
import { rejectionRate } from './queries/rejectionRate';
import { throughput } from './queries/throughput';
import { userActivity } from './queries/userActivity';
import { COUNT_RUN, eventCounts } from './counts';
import { staySync } from './sync';

export default defineModule({
  name: 'reports',
  version: '0.4.0',
  description:
    'Throughput, cycle time, rejection rates, bottlenecks, overdue items over time and per-person activity, computed in the database from the transition history.',
  hasMigrations: true,
  contract: reportsContract,
  setup({ background, clock, db, transaction, soon, log }) {
    const read = background.all;
    const sync = staySync(db);
    const counts = eventCounts(db);
    // Catch up on transitions made while this module was switched off (nothing to do otherwise).
    const missed = sync.pending();
    if (missed > 0) {
      const started = performance.now();
      const written = transaction(() => sync.run());
      log(`Caught up on ${missed} events made while reports was off: ${written} stays in ${Math.round(performance.now() - started)} ms.`);
    }
    // Events are counted a run at a time; a long backlog (the whole history, the first time)
    // goes on between IPC calls until it is done. The reports are exact meanwhile.
    const uncounted = counts.behind();
    let backlog = uncounted > COUNT_RUN ? { events: uncounted, started: performance.now() } : null;
    if (backlog) log(`Counting ${uncounted} events for the throughput, rejection-rate and activity reports, a run at a time.`);
    const countSome = () => {
      if (counts.behind() === 0) return;
      if (transaction(() => counts.run()) > 0) soon(countSome);
      else if (backlog) {
        log(`Counted ${backlog.events} events for the throughput, rejection-rate and activity reports in ${Math.round(performance.now() - backlog.started)} ms.`);
        backlog = null;
      }
    };
    if (uncounted > 0) soon(countSome);
    // Stays and counts are made from committed events shortly after each transition, many at a
    // time, not in its transaction; a report catches up first, so it is exact. Also picks up
    // events another process wrote without this module (normally nothing: indexed look-ups).
    const upToDate = () => {
      if (sync.pending() > 0) transaction(() => sync.run());
      countSome();
    };
    /** A report made after catching up on the events it reads. */
    const caughtUp = <T>(report: () => T): T => {
      upToDate();
      return report();
    };
    return {
      on: {
        transition: () => soon(upToDate),
        created: () => soon(upToDate),
      },
      handlers: {
        'reports.throughput': (input) => caughtUp(() => throughput(read, input)),
        'reports.cycleTime': (input) => caughtUp(() => cycleTime(read, input)),
        'reports.rejectionRate': (input) => caughtUp(() => rejectionRate(read, input)),
        'reports.bottlenecks': (input) => bottlenecks(read, clock(), input),
        'reports.overdueOverTime': (input) => caughtUp(() => overdueOverTime(read, clock(), input)),
        'reports.userActivity': (input) => caughtUp(() => userActivity(read, input)),
        'reports.departments': () => departments(read),
      },
    };
  },
});
