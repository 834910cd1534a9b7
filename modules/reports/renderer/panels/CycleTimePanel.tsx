import { BarChart } from '@mantine/charts';
import { Grid, Table, Text } from '@mantine/core';
import type { CycleTimeRow } from '../../contract';
import { cycleTimeTable } from '../csvTables';
import { hours, round } from '../format';
import { ExportButton, Panel, ReportBody } from '../Panel';
import type { PanelProps } from './types';

export function CycleTimePanel({ query, blocked, save }: PanelProps<CycleTimeRow[]>) {
  return (
    <Panel
      title="Time at each department"
      busy={!blocked && query.loading}
      scope="Median and 90th percentile of the stays that ended in the range."
      action={
        <ExportButton
          label="Export cycle time as CSV"
          disabled={Boolean(blocked) || !query.data?.length}
          onExport={(format) => save('cycle-time', cycleTimeTable(query.data ?? []), format)}
        />
      }
    >
      <ReportBody blocked={blocked} query={query} isEmpty={(rows) => rows.length === 0} emptyText="No item finished a step between these dates.">
        {(rows) => (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 7 }}>
              <BarChart
                maxBarWidth={48}
                h={260}
                data={rows.map((r) => ({ department: r.department, median: round(r.medianHours, 1), p90: round(r.p90Hours, 1) }))}
                dataKey="department"
                series={[
                  { name: 'median', label: 'Median', color: 'blue.6' },
                  { name: 'p90', label: '90th percentile', color: 'orange.5' },
                ]}
                withLegend
                tickLine="y"
                unit=" h"
                role="img"
                aria-label="Cycle time chart"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Table aria-label="Cycle time per department" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Department</Table.Th>
                    <Table.Th ta="right">Stays</Table.Th>
                    <Table.Th ta="right">Median</Table.Th>
                    <Table.Th ta="right">90th pct.</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.department}>
                      <Table.Td>{r.department}</Table.Td>
                      <Table.Td ta="right">{r.stays}</Table.Td>
                      <Table.Td ta="right">{hours(r.medianHours)}</Table.Td>
                      <Table.Td ta="right">{hours(r.p90Hours)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="xs" c="dimmed" mt="xs">
                A stay runs from arriving at a step to leaving it (approved on, rejected back or cancelled); counted in the range it ended in. Items
                still at a step are not counted.
              </Text>
            </Grid.Col>
          </Grid>
        )}
      </ReportBody>
    </Panel>
  );
}
