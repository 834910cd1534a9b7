import { Alert, Badge, Box, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import type { WorkItemDetail } from '../../../shared/types';
import { core } from '../api/client';
import { dateTime, metadataLabel, STATUS_LABEL } from '../format';
import { useQuery } from '../hooks/useQuery';
import { timeline, useModuleTimeline } from '../itemTimeline';
import { useEnabledModules } from '../modules';
import { stepViews } from '../workflowView';
import { itemSectionsOf } from '../itemSections';

const STEP_STATE = { done: 'Done', current: 'Waiting here', pending: 'Not reached' } as const;

function Record({ detail }: { detail: WorkItemDetail }) {
  const { item, events } = detail;
  const modules = useEnabledModules();
  const extra = useModuleTimeline(item.id);
  const views = stepViews(item, events);
  const entries = timeline(item, events, extra.data ?? []);
  const ready = extra.data !== undefined;

  // Tells whoever prints (Electron's printToPDF, or a test) that everything has loaded.
  useEffect(() => {
    document.body.dataset['printReady'] = ready ? 'true' : 'false';
    document.title = `Work item #${item.id} – ${item.title}`;
  }, [ready, item.id, item.title]);

  return (
    <Stack gap="md" p="xl" maw={900} mx="auto" bg="white" className="print-record">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            Aviation Workflow · work item record
          </Text>
          <Title order={1} size="h2">
            #{item.id} {item.title}
          </Title>
        </div>
        <Text size="xs" c="dimmed" ta="right">
          Printed {dateTime(new Date().toISOString())}
        </Text>
      </Group>
      <Group gap="xs">
        <Badge variant="outline" radius="sm">
          {STATUS_LABEL[item.status]}
        </Badge>
        {item.priority === 'urgent' && (
          <Badge variant="outline" color="orange" radius="sm">
            Urgent
          </Badge>
        )}
        <Text size="sm">
          {item.workflow ? `${item.workflow.label}${item.workflow.version ? ` v${item.workflow.version}` : ''}` : 'Custom workflow'} · created by{' '}
          {item.createdBy.name}, {dateTime(item.createdAt)} · record version {item.version}
        </Text>
      </Group>

      <Table withTableBorder aria-label="Details">
        <Table.Tbody>
          {Object.entries(item.metadata).map(([key, value]) => (
            <Table.Tr key={key}>
              <Table.Th w={220}>{metadataLabel(key)}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th w={220}>Description</Table.Th>
            <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{item.description || '—'}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>

      <Title order={4}>Workflow</Title>
      <Table withTableBorder aria-label="Steps">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>#</Table.Th>
            <Table.Th>Department</Table.Th>
            <Table.Th>Sign-offs needed</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Signed by</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {views.map((v, i) => (
            <Table.Tr key={i}>
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>{v.name}</Table.Td>
              <Table.Td>{v.required}</Table.Td>
              <Table.Td>{STEP_STATE[v.state]}</Table.Td>
              <Table.Td>{v.signedBy.map((e) => `${e.actor.name} (${dateTime(e.at)})`).join('; ') || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={4}>Timeline</Title>
      <Table withTableBorder aria-label="Timeline">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={170}>When</Table.Th>
            <Table.Th w={160}>Who</Table.Th>
            <Table.Th>What</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => (
            <Table.Tr key={e.key}>
              <Table.Td>{dateTime(e.at)}</Table.Td>
              <Table.Td>{e.actor.name}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {e.title}
                </Text>
                {e.body}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      {itemSectionsOf(modules, 'printSections').map((section) => (
        <section.component key={section.id} item={item} />
      ))}
    </Stack>
  );
}

/** The printable record of one item: a page of its own, printed to PDF by Electron or by the browser. */
export function PrintView({ id }: { id: number }) {
  const detail = useQuery(() => core('workItems.get', { id }), [id], { items: [id] });
  if (detail.error) {
    return (
      <Box p="xl">
        <Alert color="red" role="alert" title="Could not load this item">
          {detail.error.message}
        </Alert>
      </Box>
    );
  }
  return detail.data ? <Record detail={detail.data} /> : <Text p="xl">Loading…</Text>;
}
