import { defineModule } from '../../src/core/modules/types';
import { reportsContract } from './contract';
import { cycleTime, rejectionRate, throughput } from './queries';

export default defineModule({
  name: 'reports',
  version: '0.1.0',
  description: 'Throughput, cycle time per department and rejection rates, computed in the database from the transition history.',
  contract: reportsContract,
  setup({ background }) {
    const read = background.all;
    return {
      handlers: {
        'reports.throughput': (input) => throughput(read, input),
        'reports.cycleTime': (input) => cycleTime(read, input),
        'reports.rejectionRate': (input) => rejectionRate(read, input),
      },
    };
  },
});
