import { EmptyState, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { ITEM_STATUSES } from '../../../shared/types';
import { core } from '../api/client';
import { QueryView } from '../components/QueryView';
import { STATUS_COLOR, STATUS_LABEL } from '../format';
import { useQuery } from '../hooks/useQuery';

/** Where items are now, from the core's counts: the Reports screen without any report module. */
export function ReportsOverview() {
  const counts = useQuery(() => core('workItems.counts', {}), []);
  return (
    <QueryView
      query={counts}
      isEmpty={(c) => Object.values(c.byStatus).every((n) => n === 0)}
      empty={<EmptyState icon={<IconChartBar size={32} />} withIndicatorBackground title="No data yet" description="Reports fill in as work items are created and move through their steps." py="xl" />}
    >
      {(c) => {
        const total = Object.values(c.byStatus).reduce((a, b) => a + b, 0);
        const maxStep = Math.max(1, ...c.activeByStep.map((s) => s.count));
        return (
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Paper withBorder radius="md" p="lg">
              <Title order={4} mb="md">Items by status</Title>
              <Progress.Root size={28} mb="md" role="group" aria-label="Items by status">
                {ITEM_STATUSES.filter((s) => c.byStatus[s] > 0).map((s) => (
                  <Progress.Section key={s} value={(c.byStatus[s] / total) * 100} color={STATUS_COLOR[s]} aria-label={STATUS_LABEL[s]}>
                    <Progress.Label>{c.byStatus[s]}</Progress.Label>
                  </Progress.Section>
                ))}
              </Progress.Root>
              <Table>
                <Table.Tbody>
                  {ITEM_STATUSES.map((s) => (
                    <Table.Tr key={s}>
                      <Table.Td>{STATUS_LABEL[s]}</Table.Td>
                      <Table.Td ta="right" fw={600}>{c.byStatus[s]}</Table.Td>
                      <Table.Td ta="right" c="dimmed">{total ? Math.round((c.byStatus[s] / total) * 100) : 0}%</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
            <Paper withBorder radius="md" p="lg">
              <Title order={4} mb="md">Waiting per department</Title>
              {c.activeByStep.length === 0 ? (
                <Text c="dimmed" size="sm">Nothing is waiting anywhere.</Text>
              ) : (
                <Stack gap="sm" role="group" aria-label="Waiting per department">
                  {c.activeByStep.map((s) => (
                    <div key={s.step}>
                      <Group justify="space-between" mb={2}>
                        <Text size="sm">{s.step}</Text>
                        <Text size="sm" fw={600}>{s.count}</Text>
                      </Group>
                      <Progress value={(s.count / maxStep) * 100} size="lg" aria-label={`Waiting at ${s.step}`} />
                    </div>
                  ))}
                </Stack>
              )}
            </Paper>
          </SimpleGrid>
        );
      }}
    </QueryView>
  );
}
