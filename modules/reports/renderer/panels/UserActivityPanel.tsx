import { BarChart } from '@mantine/charts';
import { Grid, ScrollArea, Table, Text } from '@mantine/core';
import type { UserActivityRow } from '../../contract';
import { activityTable } from '../csvTables';
import { ExportButton, NotFiltered, Panel, ReportBody } from '../Panel';
import type { PanelProps } from './types';

const CHART_PEOPLE = 10;

const COLUMNS = [
  { key: 'created', label: 'Created', color: 'gray.5' },
  { key: 'submits', label: 'Submitted', color: 'cyan.5' },
  { key: 'approvals', label: 'Approved', color: 'teal.6' },
  { key: 'signoffs', label: 'Sign-offs', color: 'lime.6' },
  { key: 'rejections', label: 'Rejected', color: 'orange.6' },
  { key: 'cancels', label: 'Cancelled', color: 'red.6' },
] as const;

export function UserActivityPanel({ query, blocked, save, department }: PanelProps<UserActivityRow[]> & { department: string | null }) {
  return (
    <Panel
      title="Activity per person"
      busy={!blocked && query.loading}
      scope={
        <>
          Every transition in the range, by who made it; most active first.
          {department && <NotFiltered>All departments</NotFiltered>}
        </>
      }
      action={
        <ExportButton
          label="Export activity per person as CSV"
          disabled={Boolean(blocked) || !query.data?.length}
          onExport={(format) => save('activity-per-person', activityTable(query.data ?? []), format)}
        />
      }
    >
      <ReportBody blocked={blocked} query={query} isEmpty={(rows) => rows.length === 0} emptyText="Nobody created, submitted, approved, rejected or cancelled an item between these dates.">
        {(rows) => {
          const charted = rows.slice(0, CHART_PEOPLE);
          return (
            <Grid gap="lg">
              <Grid.Col span={{ base: 12, lg: 4 }}>
                <BarChart
                  maxBarWidth={48}
                  h={Math.max(180, charted.length * 44 + 70)}
                  data={charted}
                  dataKey="actorName"
                  type="stacked"
                  orientation="vertical"
                  series={COLUMNS.map((c) => ({ name: c.key, label: c.label, color: c.color }))}
                  withLegend
                  legendProps={{ itemSorter: null }}
                  gridAxis="y"
                  xAxisProps={{ allowDecimals: false }}
                  yAxisProps={{ width: 120 }}
                  role="img"
                aria-label="Activity chart"
                />
                {rows.length > CHART_PEOPLE && (
                  <Text size="xs" c="dimmed">
                    The chart shows the {CHART_PEOPLE} most active of {rows.length} people; the table lists everyone.
                  </Text>
                )}
              </Grid.Col>
              <Grid.Col span={{ base: 12, lg: 8 }}>
                <ScrollArea.Autosize mah={360} viewportProps={{ tabIndex: 0 }}>
                  <Table aria-label="Activity per person" stickyHeader striped horizontalSpacing="xs" style={{ whiteSpace: 'nowrap' }}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Person</Table.Th>
                        {COLUMNS.map((c) => (
                          <Table.Th key={c.key} ta="right">
                            {c.label}
                          </Table.Th>
                        ))}
                        <Table.Th ta="right">Total</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {rows.map((r) => (
                        <Table.Tr key={r.actorId}>
                          <Table.Td>{r.actorName}</Table.Td>
                          {COLUMNS.map((c) => (
                            <Table.Td key={c.key} ta="right" c={r[c.key] ? undefined : 'dimmed'}>
                              {r[c.key]}
                            </Table.Td>
                          ))}
                          <Table.Td ta="right" fw={600}>
                            {r.total}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea.Autosize>
                <Text size="xs" c="dimmed" mt="xs">
                  Approved = an approval that moved the item on; Sign-offs = approvals of a step that needs more than one, before the last.
                </Text>
              </Grid.Col>
            </Grid>
          );
        }}
      </ReportBody>
    </Panel>
  );
}
