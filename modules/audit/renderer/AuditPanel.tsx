import { Badge, Button, EmptyState, Group, Pagination, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconFilterOff, IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import { ExportButtons, ExportNotes, useTableExport } from '../../../src/renderer/src/components/TableExport';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { AuditEntry, VerifyReport } from '../contract';
import { auditApi } from './api';
import { entityLabel, localDayStart } from './changes';
import { actionLabel } from '../readable';
import { EntryWhen, EntryWho } from './EntryCells';
import { EntryChanges } from './EntryChanges';
import { VerifyCard } from './VerifyCard';

const PAGE_SIZE = 25;

/**
 * The listed rows a check found wrong: an entry of the chain that fails itself, and a work item's
 * event named by its block's check (not the whole block). Rows of other tables are named in the check's list.
 */
const failingKeys = (report: VerifyReport | null): Set<string> =>
  new Set(
    report && !report.ok
      ? report.problems.flatMap((p) =>
          p.eventId !== undefined ? [`event:${p.eventId}`] : p.seq !== null && !p.table && p.kind !== 'missing' ? [`entry:${p.seq}`] : [],
        )
      : [],
  );

/** What the # column means for a row: its own entry, or the block entry that seals a work item's event. */
const chainPlace = (e: AuditEntry): string => {
  if (e.eventId === undefined) return `Entry #${e.seq} of the chain`;
  if (e.seq === null) return `Event #${e.eventId}: not sealed into the chain yet (it is within minutes)`;
  return `Event #${e.eventId}, sealed in entry #${e.seq} of the chain`;
};

interface Filters {
  actorId: string | null;
  entity: string | null;
  action: string | null;
  /** Local calendar days, YYYY-MM-DD, both included. */
  fromDay: string;
  toDay: string;
}

const NO_FILTERS: Filters = { actorId: null, entity: null, action: null, fromDay: '', toDay: '' };

/** The filters as the audit channels take them: instants, the end day included. */
const toQuery = (f: Filters) => ({
  ...(f.actorId ? { actorId: f.actorId } : {}),
  ...(f.entity ? { entity: f.entity } : {}),
  ...(f.action ? { action: f.action } : {}),
  ...(f.fromDay ? { from: localDayStart(f.fromDay) } : {}),
  ...(f.toDay ? { to: localDayStart(f.toDay, 1) } : {}),
});

/** Administrators' view of the audit trail: filter, page, verify, export. */
export function AuditPanel() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const [failing, setFailing] = useState<Set<string>>(new Set());
  const facets = useQuery(() => auditApi('audit.facets', {}), []);
  const query = toQuery(filters);
  const key = JSON.stringify(query);
  const list = useQuery(() => auditApi('audit.list', { ...query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), [key, page]);
  const badRange = filters.fromDay !== '' && filters.toDay !== '' && filters.fromDay > filters.toDay;

  const change = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  const exporter = useTableExport(() => auditApi('audit.exportTable', query));

  const filtered = key !== '{}';
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1} size="h2">Audit trail</Title>
        <Text c="dimmed" size="sm">
          Every change — transitions, new items, comments, departments, templates, modules, sign-ins — with who made it,
          at which terminal, when, and the values before and after. Entries are never changed or deleted.
        </Text>
      </div>

      <VerifyCard
        onResult={(report) => {
          setFailing(failingKeys(report));
          // Show the rows as the file holds them now, so the entry that fails is seen as it is.
          list.reload();
        }}
      />

      <Paper withBorder radius="md" p="md" component="section" aria-label="Entries">
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={4}>Entries</Title>
            <ExportButtons exporter={exporter} what="the audit trail" />
          </Group>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              label="Person"
              placeholder="Anyone"
              clearable
              searchable
              w={200}
              data={(facets.data?.actors ?? []).map((a) => ({ value: a.id, label: a.name }))}
              value={filters.actorId}
              onChange={(actorId) => change({ actorId })}
            />
            <Select
              label="What"
              placeholder="Everything"
              clearable
              w={170}
              data={(facets.data?.entities ?? []).map((e) => ({ value: e, label: entityLabel(e) }))}
              value={filters.entity}
              onChange={(entity) => change({ entity })}
            />
            <Select
              label="Action"
              placeholder="Any action"
              clearable
              searchable
              w={170}
              data={(facets.data?.actions ?? []).map((a) => ({ value: a, label: actionLabel(a) }))}
              value={filters.action}
              onChange={(action) => change({ action })}
            />
            <TextInput label="From" type="date" w={160} value={filters.fromDay} onChange={(e) => change({ fromDay: e.currentTarget.value })} />
            <TextInput
              label="To"
              type="date"
              w={160}
              value={filters.toDay}
              onChange={(e) => change({ toDay: e.currentTarget.value })}
              error={badRange ? 'Before “From”' : undefined}
            />
            <Button variant="subtle" leftSection={<IconFilterOff size={16} />} disabled={!filtered} onClick={() => change(NO_FILTERS)}>
              Clear
            </Button>
          </Group>
          <ExportNotes exporter={exporter} />

          <QueryView
            query={list}
            isEmpty={(d) => d.total === 0}
            empty={
              <EmptyState
                icon={<IconHistory size={32} />}
                title={filtered ? 'No entries match these filters' : 'Nothing recorded yet'}
                description={filtered ? 'Clear a filter or widen the dates.' : 'Changes appear here as soon as anyone makes one.'}
              />
            }
          >
            {(data) => (
              <Stack gap="sm">
                <Table.ScrollContainer minWidth={840}>
                <Table aria-label="Audit entries" verticalSpacing="xs" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={50}>#</Table.Th>
                      <Table.Th w={130}>When</Table.Th>
                      <Table.Th w={130}>Who</Table.Th>
                      <Table.Th w={150}>What</Table.Th>
                      <Table.Th w={110}>Action</Table.Th>
                      <Table.Th miw={280}>Changes</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.rows.map((e) => (
                      <Table.Tr
                        key={e.key}
                        style={{ verticalAlign: 'top' }}
                        bg={failing.has(e.key) ? 'var(--mantine-color-red-0)' : undefined}
                        aria-invalid={failing.has(e.key) || undefined}
                      >
                        <Table.Td c="dimmed" title={chainPlace(e)}>
                          {e.seq ?? '…'}
                          {failing.has(e.key) && (
                            <Badge color="red" size="xs" mt={4} display="block">
                              Fails check
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <EntryWhen entry={e} />
                        </Table.Td>
                        <Table.Td>
                          <EntryWho entry={e} />
                        </Table.Td>
                        <Table.Td>{e.readable.subject}</Table.Td>
                        <Table.Td>
                          <Text size="sm" fw={600}>
                            {e.readable.action}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <EntryChanges changes={e.readable.changes} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                </Table.ScrollContainer>
                <Group justify="space-between">
                  <Text size="sm" c="dimmed">
                    {data.total.toLocaleString()}
                    {data.totalIsLowerBound ? '+' : ''} {data.total === 1 ? 'entry' : 'entries'}
                    {filtered ? ' match' : ''}, newest first
                  </Text>
                  {data.total > PAGE_SIZE && (
                    <Pagination total={Math.ceil(data.total / PAGE_SIZE)} value={page} onChange={setPage} size="sm" aria-label="Pages" />
                  )}
                </Group>
              </Stack>
            )}
          </QueryView>
        </Stack>
      </Paper>
    </Stack>
  );
}
