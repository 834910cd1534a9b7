import { Badge } from '@mantine/core';
import type { ItemStatus, Priority } from '../../../shared/types';
import { STATUS_COLOR, STATUS_LABEL } from '../format';

export function StatusBadge({ status }: { status: ItemStatus }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" radius="sm" style={{ flexShrink: 0, overflow: 'visible' }}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  return priority === 'urgent' ? (
    <Badge color="orange" variant="filled" radius="sm" style={{ flexShrink: 0, overflow: 'visible' }}>
      Urgent
    </Badge>
  ) : null;
}

/** Past the current step's target hours. */
export function OverdueBadge({ dueAt }: { dueAt: string | null }) {
  return (
    <Badge
      color="red"
      variant="light"
      radius="sm"
      style={{ flexShrink: 0, overflow: 'visible' }}
      title={dueAt ? `Was due ${new Date(dueAt).toLocaleString()}` : undefined}
    >
      Overdue
    </Badge>
  );
}
