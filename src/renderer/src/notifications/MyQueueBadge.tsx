import { Badge } from '@mantine/core';
import { core } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useDepartmentsToNotify } from './myDepartments';

/** The live count of items waiting at my departments, on the Approvals entry of the navigation. */
export function MyQueueBadge() {
  const departments = useDepartmentsToNotify();
  const counts = useQuery(() => core('workItems.counts', {}), []);
  const waiting = (counts.data?.activeByStep ?? []).filter((s) => departments.includes(s.step)).reduce((sum, s) => sum + s.count, 0);
  if (!waiting) return null;
  return (
    <Badge size="sm" circle={waiting < 10} color="red" aria-label={`${waiting} waiting at your departments`} title={`${waiting} waiting at ${departments.join(', ')}`}>
      {waiting}
    </Badge>
  );
}
