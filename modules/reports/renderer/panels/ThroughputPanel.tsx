import { BarChart } from '@mantine/charts';
import { Grid, ScrollArea, Table } from '@mantine/core';
import type { ThroughputBucket } from '../../contract';
import { throughputTable } from '../csvTables';
import { ExportButton, NotFiltered, Panel, ReportBody } from '../Panel';
import type { PanelProps } from './types';

interface Props extends PanelProps<ThroughputBucket[]> {
  bucket: 'day' | 'week';
  templateLabel: string;
  department: string | null;
}

export function ThroughputPanel({ query, blocked, save, bucket, templateLabel, department }: Props) {
  return (
    <Panel
      title="Throughput"
      busy={!blocked && query.loading}
      scope={
        <>
          Items completed per {bucket}.{department && <NotFiltered>All departments</NotFiltered>}
        </>
      }
      action={
        <ExportButton
          label="Export throughput as CSV"
          disabled={Boolean(blocked) || !query.data}
          onExport={(format) => save(`throughput-per-${bucket}`, throughputTable(query.data ?? [], bucket, templateLabel), format)}
        />
      }
    >
      <ReportBody blocked={blocked} query={query} isEmpty={(rows) => rows.every((r) => r.completed === 0)} emptyText="No items were completed between these dates.">
        {(rows) => (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 8 }}>
              <BarChart
                maxBarWidth={48}
                h={260}
                data={rows}
                dataKey="start"
                series={[{ name: 'completed', label: 'Completed', color: 'teal.6' }]}
                tickLine="y"
                xAxisProps={{ tickFormatter: (v: string) => v.slice(5) }}
                yAxisProps={{ allowDecimals: false }}
                role="img"
                aria-label="Throughput chart"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <ScrollArea.Autosize mah={260} viewportProps={{ tabIndex: 0 }}>
                <Table aria-label="Items completed" stickyHeader striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{bucket === 'week' ? 'Week starting' : 'Date'}</Table.Th>
                      <Table.Th ta="right">Completed</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((r) => (
                      <Table.Tr key={r.start}>
                        <Table.Td>{r.start}</Table.Td>
                        <Table.Td ta="right" fw={r.completed ? 600 : undefined} c={r.completed ? undefined : 'dimmed'}>
                          {r.completed}
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
    </Panel>
  );
}
