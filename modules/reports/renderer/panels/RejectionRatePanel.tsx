import { Grid, Table, Text } from '@mantine/core';
import type { RejectionReport } from '../../contract';
import { rejectionTable } from '../csvTables';
import { percent } from '../format';
import { ExportButton, Panel, ReportBody } from '../Panel';
import type { PanelProps } from './types';

export function RejectionRatePanel({ query, blocked, save }: PanelProps<RejectionReport>) {
  return (
    <Panel
      title="Rejection rate"
      busy={!blocked && query.loading}
      scope="Decisions made in the range, per department and per template."
      action={
        <ExportButton
          label="Export rejection rate as CSV"
          disabled={Boolean(blocked) || !query.data?.byTemplate.length}
          onExport={(format) => query.data && save('rejection-rate', rejectionTable(query.data), format)}
        />
      }
    >
      <ReportBody blocked={blocked} query={query} isEmpty={(r) => r.byTemplate.length === 0} emptyText="No approvals or rejections between these dates.">
        {(r) => (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <RateTable label="Rejection rate per department" rows={r.byDepartment.map((d) => ({ key: d.department, ...d }))} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <RateTable label="Rejection rate per template" withTemplate rows={r.byTemplate.map((d) => ({ key: `${d.templateId ?? ''}|${d.department}`, ...d }))} />
            </Grid.Col>
          </Grid>
        )}
      </ReportBody>
      <Text size="xs" c="dimmed" mt="xs">
        Rejections ÷ (approvals + rejections) at a step. A step needing several sign-offs counts one approval, when its last sign-off moves the item on.
      </Text>
    </Panel>
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
            <Table.Td ta="right" fw={600} c={r.rate > 0 ? 'orange' : undefined}>
              {percent(r.rate)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
