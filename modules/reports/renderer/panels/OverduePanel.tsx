import { LineChart } from '@mantine/charts';
import { Grid, ScrollArea, Table, Text } from '@mantine/core';
import type { OverduePoint } from '../../contract';
import { overdueTable } from '../csvTables';
import { ExportButton, Panel, ReportBody } from '../Panel';
import type { PanelProps } from './types';

export function OverduePanel({ query, blocked, save, bucket }: PanelProps<OverduePoint[]> & { bucket: 'day' | 'week' }) {
  return (
    <Panel
      title="Overdue items over time"
      busy={!blocked && query.loading}
      scope={`Items past their step's target hours at the end of each ${bucket}; the current ${bucket} is counted now.`}
      action={
        <ExportButton
          label="Export overdue items as CSV"
          disabled={Boolean(blocked) || !query.data?.length}
          onExport={(format) => save(`overdue-per-${bucket}`, overdueTable(query.data ?? [], bucket), format)}
        />
      }
    >
      <ReportBody
        blocked={blocked}
        query={query}
        isEmpty={(rows) => rows.every((r) => r.overdue === 0)}
        emptyTitle="Nothing was overdue"
        emptyText="No item was past its step's target hours at the end of any day in this range."
      >
        {(rows) => (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 8 }}>
              <LineChart
                h={260}
                data={rows}
                dataKey="start"
                series={[{ name: 'overdue', label: 'Overdue', color: 'red.6' }]}
                curveType="linear"
                tickLine="y"
                withDots={rows.length <= 62}
                xAxisProps={{ tickFormatter: (v: string) => v.slice(5) }}
                yAxisProps={{ allowDecimals: false }}
                role="img"
                aria-label="Overdue items chart"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <ScrollArea.Autosize mah={260} viewportProps={{ tabIndex: 0 }}>
                <Table aria-label={`Overdue items per ${bucket}`} stickyHeader striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{bucket === 'week' ? 'Week starting' : 'Date'}</Table.Th>
                      <Table.Th ta="right">Overdue</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((r) => (
                      <Table.Tr key={r.start}>
                        <Table.Td>{r.start}</Table.Td>
                        <Table.Td ta="right" fw={r.overdue ? 600 : undefined} c={r.overdue ? 'red' : 'dimmed'}>
                          {r.overdue}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            </Grid.Col>
          </Grid>
        )}
      </ReportBody>
      <Text size="xs" c="dimmed" mt="xs">
        Counted from the transition history: an item is overdue at a moment if it had been at a step with target hours for longer than the target and had not
        yet left it.
      </Text>
    </Panel>
  );
}
