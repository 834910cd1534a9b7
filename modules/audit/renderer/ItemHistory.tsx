import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import { ExportButtons, ExportNotes, useTableExport } from '../../../src/renderer/src/components/TableExport';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { ItemSectionProps } from '../../../src/renderer/src/moduleTypes';
import { auditTable } from '../auditTable';
import type { AuditEntry } from '../contract';
import { auditApi } from './api';
import { EntryWhen, EntryWho } from './EntryCells';
import { EntryChanges } from './EntryChanges';

const historyTable = (itemId: number, entries: AuditEntry[]) =>
  auditTable(entries, `Item ${itemId} audit history`, `work-item-${itemId}-audit-history`);

/** The item's entries, oldest first: when, who (and where), what was done and what changed. */
function HistoryTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table verticalSpacing="xs" aria-label="Audit history" withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={170}>When</Table.Th>
          <Table.Th w={170}>Who</Table.Th>
          <Table.Th w={200}>What</Table.Th>
          <Table.Th>Changes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((e) => (
          <Table.Tr key={e.key} style={{ verticalAlign: 'top' }}>
            <Table.Td>
              <EntryWhen entry={e} />
            </Table.Td>
            <Table.Td>
              <EntryWho entry={e} />
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={600}>
                {e.readable.action}
              </Text>
              <Text size="xs" c="dimmed">
                {e.readable.subject}
              </Text>
            </Table.Td>
            <Table.Td>
              <EntryChanges changes={e.readable.changes} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function LoadedHistory({ itemId }: { itemId: number }) {
  const history = useQuery(() => auditApi('audit.itemHistory', { itemId }), [itemId], { items: [itemId] });
  const exporter = useTableExport(() => historyTable(itemId, history.data ?? []));
  return (
    <Stack gap="sm">
      <QueryView query={history} isEmpty={(d) => d.length === 0} empty={<Text size="sm" c="dimmed">Nothing recorded for this item yet.</Text>}>
        {(entries) => (
          <>
            <Group justify="flex-end">
              <ExportButtons exporter={exporter} what="this item's audit history" size="xs" />
            </Group>
            <ExportNotes exporter={exporter} />
            <HistoryTable entries={entries} />
          </>
        )}
      </QueryView>
    </Stack>
  );
}

/** In the item view: the item's own audit history, opened on request (it reads the trail). */
export function ItemHistorySection({ item }: ItemSectionProps) {
  const [open, setOpen] = useState(false);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label="Audit history">
      <Group justify="space-between">
        <div>
          <Title order={4}>Audit history</Title>
          <Text size="sm" c="dimmed">
            Every recorded change to this item and its comments, with the values before and after.
          </Text>
        </div>
        <Button variant="default" leftSection={<IconHistory size={16} />} onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {open ? 'Hide audit history' : 'Show audit history'}
        </Button>
      </Group>
      {open && (
        <Stack mt="md">
          <LoadedHistory itemId={item.id} />
        </Stack>
      )}
    </Paper>
  );
}

/** In the printed record: the same history, in full. Marked pending until loaded, so the print waits for it. */
export function ItemHistoryPrint({ item }: ItemSectionProps) {
  const history = useQuery(() => auditApi('audit.itemHistory', { itemId: item.id }), [item.id]);
  const pending = history.data === undefined && !history.error;
  return (
    <section className="print-section" aria-label="Audit history" data-print-pending={pending || undefined}>
      <Title order={4} mb="xs">
        Audit history
      </Title>
      {history.error ? (
        <Text size="sm" c="red">
          The audit history could not be read: {history.error.message}
        </Text>
      ) : history.data?.length === 0 ? (
        <Text size="sm">Nothing recorded.</Text>
      ) : (
        history.data && <HistoryTable entries={history.data} />
      )}
    </section>
  );
}
