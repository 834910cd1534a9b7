import { Badge } from '@mantine/core';
import { useMyQueue } from './myQueue';

/** The live count of items waiting at my departments, on the Approvals entry of the navigation. */
export function MyQueueBadge() {
  const { departments, total } = useMyQueue();
  if (!total) return null;
  return (
    <Badge size="sm" circle={total < 10} color="red" aria-label={`${total} waiting at your departments`} title={`${total} waiting at ${departments.map((d) => d.name).join(', ')}`}>
      {total}
    </Badge>
  );
}
