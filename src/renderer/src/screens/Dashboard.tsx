import { Button, EmptyState, Group, Pagination, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconClipboardList, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'wouter';
import type { ItemStatus } from '../../../shared/types';
import { core } from '../api/client';
import { ItemTable } from '../components/ItemTable';
import { QueryView } from '../components/QueryView';
import { StatCard } from '../components/StatCard';
import { useQuery } from '../hooks/useQuery';

const PAGE_SIZE = 25;
type Filter = ItemStatus | 'all';

export function Dashboard() {
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search, 250);
  const [page, setPage] = useState(1);

  const counts = useQuery(() => core('workItems.counts', {}), []);
  const list = useQuery(
    () =>
      core('workItems.list', {
        ...(filter === 'all' ? {} : { status: filter }),
        ...(debouncedSearch.trim() ? { search: debouncedSearch } : {}),
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      }),
    [filter, debouncedSearch, page],
  );

  const by = counts.data?.byStatus;
  const filtered = filter !== 'all' || debouncedSearch.trim() !== '';

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Dashboard</Title>
        <Button component={Link} href="/create" leftSection={<IconPlus size={18} />}>
          New work item
        </Button>
      </Group>

      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <StatCard label="In progress" value={by?.active ?? '–'} color="blue" />
        <StatCard label="Drafts" value={by?.draft ?? '–'} />
        <StatCard label="Completed" value={by?.completed ?? '–'} color="teal" />
        <StatCard label="Cancelled" value={by?.cancelled ?? '–'} color="red" />
      </SimpleGrid>

      {counts.data && counts.data.activeByStep.length > 0 && (
        <Paper withBorder p="md" radius="md">
          <Text size="xs" tt="uppercase" fw={700} c="dimmed" mb="xs">
            Waiting per department
          </Text>
          <Group gap="xl" aria-label="Waiting per department">
            {counts.data.activeByStep.map((s) => (
              <Text key={s.step} size="sm">
                <Text span fw={700}>
                  {s.count}
                </Text>{' '}
                at {s.step}
              </Text>
            ))}
          </Group>
        </Paper>
      )}

      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="sm">
          <SegmentedControl
            value={filter}
            onChange={(v) => {
              setFilter(v as Filter);
              setPage(1);
            }}
            aria-label="Filter by status"
            data={[
              { value: 'all', label: 'All' },
              { value: 'active', label: 'In progress' },
              { value: 'draft', label: 'Drafts' },
              { value: 'completed', label: 'Completed' },
              { value: 'cancelled', label: 'Cancelled' },
            ]}
          />
          <TextInput
            placeholder="Search title, work order, registration…"
            aria-label="Search work items"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            w={320}
          />
        </Group>
        <QueryView
          query={list}
          isEmpty={(d) => d.rows.length === 0}
          empty={
            filtered ? (
              <EmptyState icon={<IconSearch size={32} />} title="Nothing matches" description="Try another search or status." py="xl" />
            ) : (
              <EmptyState
                icon={<IconClipboardList size={32} />}
                withIndicatorBackground
                title="No work items yet"
                description="Create the first engineering order, inspection or task and send it through its departments."
                py="xl"
              >
                <EmptyState.Actions>
                  <Button component={Link} href="/create" leftSection={<IconPlus size={18} />}>
                    New work item
                  </Button>
                </EmptyState.Actions>
              </EmptyState>
            )
          }
        >
          {(data) => (
            <>
              <ItemTable items={data.rows} label="Work items" />
              <Group justify="space-between" mt="sm">
                <Text size="sm" c="dimmed">
                  {data.total} item{data.total === 1 ? '' : 's'}
                </Text>
                {data.total > PAGE_SIZE && (
                  <Pagination total={Math.ceil(data.total / PAGE_SIZE)} value={page} onChange={setPage} size="sm" />
                )}
              </Group>
            </>
          )}
        </QueryView>
      </Paper>
    </Stack>
  );
}
