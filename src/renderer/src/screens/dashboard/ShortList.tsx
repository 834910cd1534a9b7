import { Anchor, Group, Paper, Text, Title } from '@mantine/core';
import type { ComponentType, ReactNode } from 'react';
import type { Page, WorkItem } from '../../../../shared/types';
import { ItemTable } from '../../components/ItemTable';
import { QueryView } from '../../components/QueryView';
import type { QueryState } from '../../hooks/useQuery';

interface Props {
  title: string;
  query: QueryState<Page<WorkItem>>;
  empty: ReactNode;
  /** Controls beside the title (e.g. choosing departments). */
  action?: ReactNode;
  /** "Show all" when there are more than fit. */
  onShowAll?: () => void;
}

/** A few items that need attention, with how many more there are. */
export function ShortList({ title, query, empty, action, onShowAll }: Props) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={4} style={{ whiteSpace: 'nowrap' }}>
          {title}
        </Title>
        {action}
      </Group>
      <QueryView query={query} isEmpty={(d) => d.rows.length === 0} empty={empty}>
        {(data) => (
          <>
            <ItemTable items={data.rows} label={title} age="waiting" compact />
            {data.total > data.rows.length && (
              <Text size="sm" c="dimmed" mt="xs">
                {data.rows.length} of {data.total}.{' '}
                {onShowAll && (
                  <Anchor component="button" size="sm" onClick={onShowAll}>
                    Show all
                  </Anchor>
                )}
              </Text>
            )}
          </>
        )}
      </QueryView>
    </Paper>
  );
}

/** A short list's empty state on one line, so what comes after it stays in view. */
export function EmptyLine({ icon: Icon, title, description }: { icon: ComponentType<{ size?: number }>; title: string; description: string }) {
  return (
    <Group gap="xs" wrap="nowrap" py={4}>
      <Text c="dimmed" component="span" display="flex" aria-hidden>
        <Icon size={20} />
      </Text>
      <Text size="sm">
        <Text span fw={600}>
          {title}
        </Text>{' '}
        <Text span c="dimmed" size="sm">
          {description}
        </Text>
      </Text>
    </Group>
  );
}
