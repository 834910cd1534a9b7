import { defineModule } from '../../src/core/modules/types';
import { reportsContract } from './contract';
import { bottlenecks } from './queries/bottlenecks';
import { cycleTime } from './queries/cycleTime';
import { departments } from './queries/departments';
import { overdueOverTime } from './queries/overdueOverTime';
import { rejectionRate } from './queries/rejectionRate';
import { throughput } from './queries/throughput';
import { userActivity } from './queries/userActivity';

export default defineModule({
  name: 'reports',
  version: '0.2.0',
  description:
    'Throughput, cycle time, rejection rates, bottlenecks, overdue items over time and per-person activity, computed in the database from the transition history.',
  contract: reportsContract,
  setup({ background, clock }) {
    const read = background.all;
    return {
      handlers: {
        'reports.throughput': (input) => throughput(read, input),
        'reports.cycleTime': (input) => cycleTime(read, input),
        'reports.rejectionRate': (input) => rejectionRate(read, input),
        'reports.bottlenecks': (input) => bottlenecks(read, clock(), input),
        'reports.overdueOverTime': (input) => overdueOverTime(read, clock(), input),
        'reports.userActivity': (input) => userActivity(read, input),
        'reports.departments': () => departments(read),
      },
    };
  },
});
