import { Group, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useLocation } from 'wouter';
import type { WorkItem } from '../../../shared/types';
import { age, whereNow } from '../format';
import { OverdueBadge, PriorityBadge, StatusBadge } from './Badges';

interface Props {
  items: WorkItem[];
  /** Extra cell at the end of each row (e.g. approve/reject buttons). */
  actions?: (item: WorkItem) => ReactNode;
  label: string;
  /** Hide the status column where every row has the same status (a queue). */
  showStatus?: boolean;
  /** Heading of the age column: "Changed" in lists, "Waiting" in a queue. */
  ageLabel?: string;
}

/** Work items as a table; a row opens the item. */
export function ItemTable({ items, actions, label, showStatus = true, ageLabel = 'Changed' }: Props) {
  const [, navigate] = useLocation();
  return (
    <Table highlightOnHover verticalSpacing="sm" aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={70}>No.</Table.Th>
          <Table.Th>Title</Table.Th>
          <Table.Th>Aircraft</Table.Th>
          <Table.Th>Where</Table.Th>
          {showStatus && <Table.Th w={130}>Status</Table.Th>}
          <Table.Th w={90}>{ageLabel}</Table.Th>
          {actions && <Table.Th w={220}>Actions</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((item) => (
          <Table.Tr key={item.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/items/${item.id}`)}>
            <Table.Td>
              <Text c="dimmed" size="sm">
                #{item.id}
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Text fw={600} size="sm" lineClamp={1}>
                  {item.title}
                </Text>
                <PriorityBadge priority={item.priority} />
                {item.overdue && <OverdueBadge dueAt={item.dueAt} />}
              </Group>
              {item.metadata['workOrder'] && (
                <Text size="xs" c="dimmed">
                  {item.metadata['workOrder']}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm">{item.metadata['aircraftRegistration'] ?? '—'}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{whereNow(item)}</Text>
            </Table.Td>
            {showStatus && (
              <Table.Td>
                <StatusBadge status={item.status} />
              </Table.Td>
            )}
            <Table.Td>
              <Text size="sm" c="dimmed" title={item.updatedAt}>
                {age(item.updatedAt)}
              </Text>
            </Table.Td>
            {actions && <Table.Td onClick={(e) => e.stopPropagation()}>{actions(item)}</Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
