import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import {
  Button,
  EmptyState,
  Grid,
  Group,
  Paper,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconChartHistogram, IconDownload } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { apiFor, core } from '../../../src/renderer/src/api/client';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { MAX_RANGE_DAYS, type reportsContract } from '../contract';
import type { CsvValue } from '../csv';
import { downloadCsv } from './download';

const reports = apiFor<typeof reportsContract>();

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const validDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** "12 min" under an hour, else "3.5 h" — short stays still read as something. */
const hours = (h: number) => (h < 1 ? (h * 60 < 1 ? '< 1 min' : `${Math.round(h * 60)} min`) : `${h.toFixed(1)} h`);
const percent = (r: number) => `${(r * 100).toFixed(1)}%`;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function ExportButton({ label, onClick, disabled }: { label: string; onClick: () => void; disabled?: boolean }) {
  return (
    <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={onClick} disabled={disabled} aria-label={label}>
      Export CSV
    </Button>
  );
}

function Panel({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={title}>
      <Group justify="space-between" mb="md">
        <Title order={4}>{title}</Title>
        {action}
      </Group>
      {children}
    </Paper>
  );
}

const Empty = ({ text }: { text: string }) => (
  <EmptyState icon={<IconChartHistogram size={28} />} withIndicatorBackground title="Nothing in this range" description={text} py="lg" />
);

function Analytics() {
  const today = isoDay(Date.now());
  const [from, setFrom] = useState(isoDay(Date.now() - 29 * DAY));
  const [to, setTo] = useState(today);
  const [bucket, setBucket] = useState<'day' | 'week'>('day');
  const [workflowId, setWorkflowId] = useState<string | null>(null);

  const workflows = useQuery(() => core('workflows.list', {}), []);
  const templateOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const w of workflows.data ?? []) if (!seen.has(w.id)) seen.set(w.id, w.label);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [workflows.data]);
  const templateLabel = templateOptions.find((o) => o.value === workflowId)?.label;

  const rangeError = !validDay(from)
    ? 'Choose a start date'
    : !validDay(to)
      ? 'Choose an end date'
      : from > to
        ? 'The start date is after the end date'
        : (Date.parse(to) - Date.parse(from)) / DAY >= MAX_RANGE_DAYS
          ? `Choose at most ${MAX_RANGE_DAYS} days`
          : null;
  const range = { from, to, ...(workflowId ? { workflowId } : {}) };
  const suffix = `${from}-to-${to}${workflowId ? `-${workflowId.replace(/[^a-z0-9_-]+/gi, '-')}` : ''}`;

  const skip = () => new Promise<never>(() => {});
  const throughput = useQuery(() => (rangeError ? skip() : reports('reports.throughput', { ...range, bucket })), [from, to, bucket, workflowId, rangeError]);
  const cycle = useQuery(() => (rangeError ? skip() : reports('reports.cycleTime', range)), [from, to, workflowId, rangeError]);
  const rejections = useQuery(() => (rangeError ? skip() : reports('reports.rejectionRate', range)), [from, to, workflowId, rangeError]);

  const exportRows = (name: string, header: string[], rows: CsvValue[][]) => downloadCsv(`${name}-${suffix}.csv`, header, rows);

  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        Throughput, time at each department and rejections, from the transition history. Dates are UTC days, both ends included.
      </Text>

      <Paper withBorder radius="md" p="md" aria-label="Report filters">
        <Group align="flex-end" gap="md">
          <TextInput type="date" label="From" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} error={Boolean(rangeError) && rangeError !== 'Choose an end date'} w={170} />
          <TextInput type="date" label="To" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} error={rangeError === 'Choose an end date'} w={170} />
          <Select
            label="Template"
            placeholder="All templates"
            data={templateOptions}
            value={workflowId}
            onChange={setWorkflowId}
            clearable
            w={220}
            disabled={workflows.data === undefined}
          />
        </Group>
        {rangeError && (
          <Text c="red" size="sm" mt="xs" role="alert">
            {rangeError}
          </Text>
        )}
      </Paper>

      <Panel
        title="Throughput"
        action={
          <Group gap="sm">
            <SegmentedControl
              size="xs"
              value={bucket}
              onChange={(v) => setBucket(v as 'day' | 'week')}
              data={[
                { value: 'day', label: 'Per day' },
                { value: 'week', label: 'Per week' },
              ]}
              aria-label="Group by"
            />
            <ExportButton
              label="Export throughput as CSV"
              disabled={Boolean(rangeError) || !throughput.data}
              onClick={() =>
                exportRows(
                  `throughput-per-${bucket}`,
                  [bucket === 'week' ? 'week_starting' : 'date', 'completed', 'template'],
                  (throughput.data ?? []).map((b) => [b.start, b.completed, templateLabel ?? 'All templates']),
                )
              }
            />
          </Group>
        }
      >
        {rangeError ? (
          <Text size="sm" c="dimmed">
            Choose a valid date range above.
          </Text>
        ) : (
          <QueryView query={throughput} isEmpty={(rows) => rows.every((r) => r.completed === 0)} empty={<Empty text="No items were completed between these dates." />}>
            {(rows) => (
              <Grid gap="lg">
                <Grid.Col span={{ base: 12, md: 8 }}>
                  <BarChart
                    h={260}
                    data={rows}
                    dataKey="start"
                    series={[{ name: 'completed', label: 'Completed', color: 'teal.6' }]}
                    tickLine="y"
                    xAxisProps={{ tickFormatter: (v: string) => v.slice(5) }}
                    yAxisProps={{ allowDecimals: false }}
                    aria-label="Throughput chart"
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 4 }}>
                  <ScrollArea.Autosize mah={260}>
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
          </QueryView>
        )}
      </Panel>

      <Panel
        title="Time at each department"
        action={
          <ExportButton
            label="Export cycle time as CSV"
            disabled={Boolean(rangeError) || !cycle.data?.length}
            onClick={() =>
              exportRows(
                'cycle-time',
                ['department', 'stays', 'median_hours', 'p90_hours'],
                (cycle.data ?? []).map((r) => [r.department, r.stays, round(r.medianHours), round(r.p90Hours)]),
              )
            }
          />
        }
      >
        {rangeError ? (
          <Text size="sm" c="dimmed">
            Choose a valid date range above.
          </Text>
        ) : (
          <QueryView query={cycle} isEmpty={(rows) => rows.length === 0} empty={<Empty text="No item finished a step between these dates." />}>
            {(rows) => (
              <Grid gap="lg">
                <Grid.Col span={{ base: 12, md: 7 }}>
                  <BarChart
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
                    A stay runs from arriving at a step to leaving it (approved on, rejected back or cancelled); counted in the range it ended in.
                    Items still at a step are not counted.
                  </Text>
                </Grid.Col>
              </Grid>
            )}
          </QueryView>
        )}
      </Panel>

      <Panel
        title="Rejection rate"
        action={
          <ExportButton
            label="Export rejection rate as CSV"
            disabled={Boolean(rangeError) || !rejections.data?.byTemplate.length}
            onClick={() =>
              exportRows(
                'rejection-rate',
                ['template', 'department', 'approvals', 'rejections', 'rejection_rate'],
                [
                  ...(rejections.data?.byDepartment ?? []).map((r): CsvValue[] => ['All templates', r.department, r.approvals, r.rejections, round(r.rate, 4)]),
                  ...(rejections.data?.byTemplate ?? []).map((r): CsvValue[] => [r.templateLabel, r.department, r.approvals, r.rejections, round(r.rate, 4)]),
                ],
              )
            }
          />
        }
      >
        {rangeError ? (
          <Text size="sm" c="dimmed">
            Choose a valid date range above.
          </Text>
        ) : (
          <QueryView query={rejections} isEmpty={(r) => r.byTemplate.length === 0} empty={<Empty text="No approvals or rejections between these dates." />}>
            {(r) => (
              <Grid gap="lg">
                <Grid.Col span={{ base: 12, md: 5 }}>
                  <RateTable label="Rejection rate per department" rows={r.byDepartment.map((d) => ({ key: d.department, ...d }))} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 7 }}>
                  <RateTable
                    label="Rejection rate per template"
                    withTemplate
                    rows={r.byTemplate.map((d) => ({ key: `${d.templateId ?? ''}|${d.department}`, ...d }))}
                  />
                </Grid.Col>
              </Grid>
            )}
          </QueryView>
        )}
        <Text size="xs" c="dimmed" mt="xs">
          Rejections ÷ (approvals + rejections) at a step. A step needing several sign-offs counts one approval, when its last sign-off moves the item on.
        </Text>
      </Panel>
    </Stack>
  );
}

interface RateRow {
  key: string;
  department: string;
  templateLabel?: string;
  approvals: number;
  rejections: number;
  rate: number;
}

function RateTable({ label, rows, withTemplate }: { label: string; rows: RateRow[]; withTemplate?: boolean }) {
  return (
    <Table aria-label={label} striped>
      <Table.Thead>
        <Table.Tr>
          {withTemplate && <Table.Th>Template</Table.Th>}
          <Table.Th>Department</Table.Th>
          <Table.Th ta="right">Approved</Table.Th>
          <Table.Th ta="right">Rejected</Table.Th>
          <Table.Th ta="right">Rejection rate</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            {withTemplate && <Table.Td>{r.templateLabel}</Table.Td>}
            <Table.Td>{r.department}</Table.Td>
            <Table.Td ta="right">{r.approvals}</Table.Td>
            <Table.Td ta="right">{r.rejections}</Table.Td>
            <Table.Td ta="right" fw={600} c={r.rate > 0 ? 'orange.8' : undefined}>
              {percent(r.rate)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const reportsRenderer: RendererModule = {
  name: 'reports',
  reports: [{ id: 'analytics', label: 'Analytics', component: Analytics }],
};

export default reportsRenderer;
