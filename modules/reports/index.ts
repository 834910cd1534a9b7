import { defineModule } from '../../src/core/modules/types';
import { reportsContract } from './contract';
import { bottlenecks } from './queries/bottlenecks';
import { cycleTime } from './queries/cycleTime';
import { departments } from './queries/departments';
import { overdueOverTime } from './queries/overdueOverTime';
import { rejectionRate } from './queries/rejectionRate';
import { throughput } from './queries/throughput';
import { userActivity } from './queries/userActivity';
import { staySync } from './sync';

export default defineModule({
  name: 'reports',
  version: '0.3.0',
  description:
    'Throughput, cycle time, rejection rates, bottlenecks, overdue items over time and per-person activity, computed in the database from the transition history.',
  hasMigrations: true,
  contract: reportsContract,
  setup({ background, clock, db, transaction, soon, log }) {
    const read = background.all;
    const sync = staySync(db);
    // Catch up on transitions made while this module was switched off (nothing to do otherwise).
    const missed = sync.pending();
    if (missed > 0) {
      const started = performance.now();
      const written = transaction(() => sync.run());
      log(`Caught up on ${missed} events made while reports was off: ${written} stays in ${Math.round(performance.now() - started)} ms.`);
    }
    // Stays are made from committed events shortly after each transition, many at a time, not in
    // its transaction; a report catches up first, so it is exact. Also picks up events another
    // process wrote without this module (normally nothing: one indexed look-up).
    const upToDate = () => {
      if (sync.pending() > 0) transaction(() => sync.run());
    };
    return {
      on: {
        transition: () => soon(upToDate),
        created: () => soon(upToDate),
      },
      handlers: {
        'reports.throughput': (input) => throughput(read, input),
        'reports.cycleTime': (input) => {
          upToDate();
          return cycleTime(read, input);
        },
        'reports.rejectionRate': (input) => rejectionRate(read, input),
        'reports.bottlenecks': (input) => bottlenecks(read, clock(), input),
        'reports.overdueOverTime': (input) => {
          upToDate();
          return overdueOverTime(read, clock(), input);
        },
        'reports.userActivity': (input) => userActivity(read, input),
        'reports.departments': () => departments(read),
      },
    };
  },
});
