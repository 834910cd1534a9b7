import { Anchor, Group, Table, Text } from '@mantine/core';
import type { MouseEvent, ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
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
  /** The age column: time since the last change (lists), or time at the current step (queues). */
  age?: 'changed' | 'waiting';
  /** Only title, where and age: for short lists beside each other. */
  compact?: boolean;
}

/**
 * An item's title on up to two lines with its priority and overdue badges, as list rows show it.
 * The title is a link to the item: Enter opens it, a middle-click opens it in a new window, and the
 * whole title shows on hover where the lines cut it.
 */
export function ItemTitle({ item }: { item: WorkItem }) {
  return (
    // The badges go below the title where the column is narrow, rather than squeeze it.
    <Group gap="xs" style={{ rowGap: 4 }} wrap="wrap" align="flex-start">
      <Anchor component={Link} href={`/items/${item.id}`} fw={600} size="sm" c="inherit" lineClamp={2} title={item.title}>
        {item.title}
      </Anchor>
      <PriorityBadge priority={item.priority} />
      {item.overdue && <OverdueBadge dueAt={item.dueAt} />}
    </Group>
  );
}

/**
 * A click anywhere in an item's row opens it (for the mouse), unless it is on a control in the
 * row; keyboards and screen readers use the title link.
 */
export function useItemRowClick() {
  const [, navigate] = useLocation();
  return (id: number) => ({
    style: { cursor: 'pointer' },
    onClick: (event: MouseEvent) => {
      if (!(event.target as Element).closest('a, button, input, label')) navigate(`/items/${id}`);
    },
  });
}

/** Work items as a table; a row opens the item. */
export function ItemTable({ items, actions, label, showStatus = true, age: ageOf = 'changed', compact = false }: Props) {
  const rowClick = useItemRowClick();
  const since = (item: WorkItem) => (ageOf === 'waiting' ? item.stepEnteredAt : item.updatedAt);
  return (
    <Table highlightOnHover verticalSpacing="sm" aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {!compact && <Table.Th w={70}>No.</Table.Th>}
          <Table.Th>Title</Table.Th>
          {!compact && <Table.Th>Aircraft</Table.Th>}
          <Table.Th>Where</Table.Th>
          {showStatus && !compact && <Table.Th w={130}>Status</Table.Th>}
          <Table.Th w={90}>{ageOf === 'waiting' ? 'Waiting' : 'Changed'}</Table.Th>
          {actions && <Table.Th w={220}>Actions</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((item) => (
          <Table.Tr key={item.id} {...rowClick(item.id)}>
            {!compact && (
              <Table.Td>
                <Text c="dimmed" size="sm">
                  #{item.id}
                </Text>
              </Table.Td>
            )}
            <Table.Td>
              <ItemTitle item={item} />
              {(item.metadata['workOrder'] || compact) && (
                <Text size="xs" c="dimmed">
                  {[compact ? `#${item.id}` : null, item.metadata['workOrder'], compact ? item.metadata['aircraftRegistration'] : null].filter(Boolean).join(' · ')}
                </Text>
              )}
            </Table.Td>
            {!compact && (
              <Table.Td>
                {/* A registration is one word: never broken at its hyphen. */}
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {item.metadata['aircraftRegistration'] ?? '—'}
                </Text>
              </Table.Td>
            )}
            <Table.Td>
              <Text size="sm">{compact && item.status === 'active' ? item.steps[item.currentStep ?? 0]?.name : whereNow(item)}</Text>
            </Table.Td>
            {showStatus && !compact && (
              <Table.Td>
                <StatusBadge status={item.status} />
              </Table.Td>
            )}
            <Table.Td>
              <Text size="sm" c="dimmed" title={since(item)}>
                {age(since(item))}
              </Text>
            </Table.Td>
            {actions && <Table.Td onClick={(e) => e.stopPropagation()}>{actions(item)}</Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
