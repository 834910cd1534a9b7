import { BarChart } from '@mantine/charts';
import { Badge, Grid, Table, Text } from '@mantine/core';
import type { BottleneckReport } from '../../contract';
import { bottleneckTable } from '../csvTables';
import { clockTime, hours, round } from '../format';
import { ExportButton, Panel, ReportBody } from '../Panel';
import type { PanelProps } from './types';

/** Where active items wait longest now. Not limited by the date range. */
export function BottleneckPanel({ query, save }: Omit<PanelProps<BottleneckReport>, 'blocked'>) {
  const asOf = query.data?.asOf;
  return (
    <Panel
      title="Bottleneck steps"
      busy={query.loading}
      scope={`Active items by the step they wait at now${asOf ? ` (as of ${clockTime(asOf)})` : ''}, longest wait first. The date range does not apply.`}
      action={
        <ExportButton
          label="Export bottleneck steps as CSV"
          disabled={!query.data?.steps.length}
          onExport={(format) => query.data && save('bottlenecks', bottleneckTable(query.data), format)}
        />
      }
    >
      <ReportBody blocked={null} query={query} isEmpty={(r) => r.steps.length === 0} emptyTitle="Nothing is waiting" emptyText="No active item is at a step right now.">
        {({ steps }) => (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <BarChart
                maxBarWidth={48}
                h={Math.max(160, steps.length * 56 + 60)}
                data={steps.map((s) => ({ department: s.department, median: round(s.medianHours, 1), longest: round(s.maxHours, 1) }))}
                dataKey="department"
                orientation="vertical"
                series={[
                  { name: 'median', label: 'Median wait', color: 'blue.6' },
                  { name: 'longest', label: 'Longest wait', color: 'red.5' },
                ]}
                withLegend
                legendProps={{ itemSorter: null }}
                // not unit=" h": in a vertical chart Mantine puts it on the department names
                valueFormatter={(v) => `${v} h`}
                gridAxis="y"
                yAxisProps={{ width: 120 }}
                role="img"
                aria-label="Bottleneck chart"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Table aria-label="Bottleneck steps" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Department</Table.Th>
                    <Table.Th ta="right">Waiting</Table.Th>
                    <Table.Th ta="right">Median wait</Table.Th>
                    <Table.Th ta="right">Longest wait</Table.Th>
                    <Table.Th ta="right">Overdue</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {steps.map((s) => (
                    <Table.Tr key={s.department}>
                      <Table.Td>{s.department}</Table.Td>
                      <Table.Td ta="right">{s.waiting}</Table.Td>
                      <Table.Td ta="right">{hours(s.medianHours)}</Table.Td>
                      <Table.Td ta="right" fw={600}>
                        {hours(s.maxHours)}
                      </Table.Td>
                      <Table.Td ta="right">
                        {s.withTarget === 0 ? (
                          <Text span size="sm" c="dimmed">
                            no target
                          </Text>
                        ) : s.overdue > 0 ? (
                          <Badge color="red" variant="light">
                            {s.overdue}
                          </Badge>
                        ) : (
                          0
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="xs" c="dimmed" mt="xs">
                Wait = time since the item arrived at its step (sign-offs that leave it there do not reset it). Overdue = past the step's target hours,
                as on the dashboard.
              </Text>
            </Grid.Col>
          </Grid>
        )}
      </ReportBody>
    </Panel>
  );
}
