import { Alert, Anchor, Badge, Box, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPrinter } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import type { WorkItem, WorkItemDetail } from '../../../shared/types';
import { core } from '../api/client';
import { Loading } from '../components/Loading';
import { dateTimeWithZone, metadataLabel, STATUS_LABEL } from '../format';
import { useQuery } from '../hooks/useQuery';
import { itemSectionsOf } from '../itemSections';
import { timeline, useModuleTimeline } from '../itemTimeline';
import { useEnabledModules } from '../modules';
import { stepViews } from '../workflowView';
import './print.css';

const STEP_STATE = { done: 'Done', current: 'Waiting here', pending: 'Not reached' } as const;

/** Text as a CSS string literal, for the page's margin boxes. */
const cssString = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ')}"`;

/**
 * Every printed page carries the item's number and title (top) and "Page X of Y" and when it was
 * printed (bottom), in CSS paged-media margin boxes, which Chromium (so Electron and the browser)
 * prints; the browser test reads them back from a real PDF.
 */
function PageFrame({ item, printedAt }: { item: WorkItem; printedAt: string }) {
  const title = `Work item #${item.id} – ${item.title}`;
  const css = `
@page {
  size: A4;
  margin: 20mm 14mm 18mm 14mm;
  @top-left { content: ${cssString(title.length > 90 ? `${title.slice(0, 89)}…` : title)}; font: 600 9pt sans-serif; color: #222; }
  @top-right { content: "Aviation Workflow · work item record"; font: 9pt sans-serif; color: #444; }
  @bottom-left { content: ${cssString(`Printed ${printedAt} · record version ${item.version}`)}; font: 8pt sans-serif; color: #444; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; color: #222; }
}`;
  return <style>{css}</style>;
}

/** Only on screen: back to the item, and the browser's print (paper or PDF). */
function Toolbar({ itemId }: { itemId: number }) {
  return (
    <Group justify="space-between" className="print-toolbar" p="sm" maw={900} mx="auto">
      <Anchor component={Link} href={`/items/${itemId}`} size="sm">
        <Group gap={4}>
          <IconArrowLeft size={16} /> Back to the item
        </Group>
      </Anchor>
      <Button leftSection={<IconPrinter size={18} />} onClick={() => window.print()}>
        Print…
      </Button>
    </Group>
  );
}

function Record({ detail }: { detail: WorkItemDetail }) {
  const { item, events } = detail;
  const modules = useEnabledModules();
  const extra = useModuleTimeline(item.id);
  const views = stepViews(item, events);
  const entries = timeline(item, events, extra.data ?? []);
  const [printedAt] = useState(() => dateTimeWithZone(new Date().toISOString()));
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timelineReady = extra.data !== undefined;

  // Tells whoever prints (Electron, or a test) that everything has loaded: the timeline, and every
  // section that marks itself pending while it reads (data-print-pending), lazily loaded ones included.
  useEffect(() => {
    document.title = `Work item #${item.id} – ${item.title}`;
    const check = () => {
      const ready = timelineReady && document.querySelector('[data-print-pending], .print-record .mantine-Loader-root') === null;
      document.body.dataset['printReady'] = ready ? 'true' : 'false';
    };
    check();
    const timer = setInterval(check, 100);
    return () => clearInterval(timer);
  }, [timelineReady, item.id, item.title]);

  return (
    <>
      <PageFrame item={item} printedAt={printedAt} />
      <Toolbar itemId={item.id} />
      <Stack gap="md" p="xl" maw={900} mx="auto" bg="white" className="print-record">
        <Group justify="space-between" align="flex-start">
          <div>
            <Text size="xs" c="dark.6" tt="uppercase" fw={700}>
              Aviation Workflow · work item record
            </Text>
            <Title order={1} size="h2">
              #{item.id} {item.title}
            </Title>
          </div>
          <Text size="xs" c="dark.6" ta="right">
            Printed {printedAt}
            <br />
            Times in {zone}
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
            {item.createdBy.name}, {dateTimeWithZone(item.createdAt)} · record version {item.version}
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

        <section className="print-section" aria-label="Workflow">
          <Title order={4} mb="xs">
            Workflow
          </Title>
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
                  <Table.Td>{v.signedBy.map((e) => `${e.actor.name} (${dateTimeWithZone(e.at)})`).join('; ') || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>

        <section className="print-section" aria-label="Timeline">
          <Title order={4} mb="xs">
            Timeline
          </Title>
          <Table withTableBorder aria-label="Timeline">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={190}>When</Table.Th>
                <Table.Th w={160}>Who</Table.Th>
                <Table.Th>What</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr key={e.key}>
                  <Table.Td>{dateTimeWithZone(e.at)}</Table.Td>
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
        </section>

        {itemSectionsOf(modules, 'printSections').map((section) => (
          <div key={section.id} className="print-section">
            <Loading>
              <section.component item={item} />
            </Loading>
          </div>
        ))}
      </Stack>
    </>
  );
}

/** The printable record of one item: a page of its own, printed by Electron (PDF or paper) or by the browser. */
export function PrintView({ id }: { id: number }) {
  const detail = useQuery(() => core('workItems.get', { id }), [id], { items: [id] });
  if (detail.error) {
    return (
      <Box p="xl">
        <Alert color="red" role="alert" title="Could not load this item">
          {detail.error.message}
        </Alert>
        <Anchor component={Link} href={`/items/${id}`} size="sm" mt="md" display="inline-block">
          ← Back to the item
        </Anchor>
      </Box>
    );
  }
  return detail.data ? <Record detail={detail.data} /> : <Text p="xl">Loading…</Text>;
}
