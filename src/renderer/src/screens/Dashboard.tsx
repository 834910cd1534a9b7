import {
  Button,
  Checkbox,
  Collapse,
  EmptyState,
  Group,
  Pagination,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAdjustmentsHorizontal, IconClipboardList, IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ItemStatus } from '../../../shared/types';
import { core } from '../api/client';
import { ItemTable } from '../components/ItemTable';
import { QueryView } from '../components/QueryView';
import { ExportButtons, ExportNotes, useTableExport } from '../components/TableExport';
import { StatCard } from '../components/StatCard';
import { useQuery } from '../hooks/useQuery';
import { MyDepartmentsList } from './dashboard/MyDepartmentsList';
import { OverdueList } from './dashboard/OverdueList';
import { NewItemButton } from '../components/NewItemButton';
import { useSearchRequest } from '../shortcuts/shortcuts';

const PAGE_SIZE = 25;
type Filter = ItemStatus | 'all';

/** Monday 00:00 of this week, local time: what "completed this week" counts from. */
function startOfWeek(now = new Date()): string {
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7));
  return monday.toISOString();
}

/** A yyyy-mm-dd from a date input as the start (or end) of that local day, in ISO 8601. */
const dayBound = (day: string, end: boolean) => (day ? new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined);

export function Dashboard() {
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search, 250);
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const weekStart = useMemo(() => startOfWeek(), []);
  const searchInput = useRef<HTMLInputElement>(null);
  const { pending: searchRequested, taken: searchTaken } = useSearchRequest();
  useEffect(() => {
    if (!searchRequested) return;
    searchInput.current?.focus();
    searchTaken();
  }, [searchRequested, searchTaken]);

  const counts = useQuery(() => core('workItems.counts', { completedSince: weekStart }), [weekStart]);
  const workflows = useQuery(() => core('workflows.list', {}), []);
  const filters = () => {
    const changedFrom = dayBound(from, false);
    const changedTo = dayBound(to, true);
    return {
      ...(filter === 'all' ? {} : { status: filter }),
      ...(debouncedSearch.trim() ? { search: debouncedSearch } : {}),
      ...(workflowId ? { workflowId } : {}),
      ...(step ? { step } : {}),
      ...(overdueOnly ? { overdue: true } : {}),
      ...(changedFrom ? { changedFrom } : {}),
      ...(changedTo ? { changedTo } : {}),
    };
  };
  const list = useQuery(
    () => core('workItems.list', { ...filters(), offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
    [filter, debouncedSearch, workflowId, step, overdueOnly, from, to, page],
  );
  const exporter = useTableExport(() => core('workItems.exportTable', filters()));

  const c = counts.data;
  const departments = useMemo(
    () => [...new Set([...(workflows.data ?? []).flatMap((w) => w.steps.map((s) => s.name)), ...(c?.activeByStep ?? []).map((s) => s.step)])],
    [workflows.data, c],
  );
  const allItems = useRef<HTMLDivElement>(null);
  const showAllOverdue = () => {
    change(setOverdueOnly)(true);
    allItems.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  // The filters beyond status and search stay folded away until asked for (or one is set, e.g. from a card).
  const moreFilters = [workflowId, step, overdueOnly, from, to].filter(Boolean).length;
  const showFilters = filtersOpen || moreFilters > 0;
  const clearMoreFilters = () => {
    setWorkflowId(null);
    setStep(null);
    setOverdueOnly(false);
    setFrom('');
    setTo('');
    setPage(1);
    setFiltersOpen(true);
  };
  const filtered = filter !== 'all' || debouncedSearch.trim() !== '' || workflowId || step || overdueOnly || from || to;
  const change = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1} size="h2">Dashboard</Title>
        <NewItemButton />
      </Group>

      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <StatCard label="In progress" value={c?.byStatus.active ?? '–'} color="blue" />
        <UnstyledButton onClick={() => change(setOverdueOnly)(!overdueOnly)} aria-pressed={overdueOnly} title="Show only overdue items">
          <StatCard label="Overdue" value={c?.overdue ?? '–'} color={c?.overdue ? 'red' : undefined} hint="Past target hours" />
        </UnstyledButton>
        <StatCard label="Urgent" value={c?.urgent ?? '–'} color={c?.urgent ? 'orange' : undefined} hint="In progress" />
        <StatCard label="Completed this week" value={c?.completedSince ?? '–'} color="teal" />
        <StatCard label="Drafts" value={c?.byStatus.draft ?? '–'} />
      </SimpleGrid>

      {c && c.activeByStep.length > 0 && (
        <Paper withBorder p="md" radius="md">
          <Text size="xs" tt="uppercase" fw={700} c="dimmed" mb="xs">
            Waiting per department
          </Text>
          <Group gap="xl" aria-label="Waiting per department">
            {c.activeByStep.map((s) => (
              <UnstyledButton key={s.step} onClick={() => change(setStep)(step === s.step ? null : s.step)} aria-pressed={step === s.step}>
                <Text size="sm" td={step === s.step ? 'underline' : undefined}>
                  <Text span fw={700}>
                    {s.count}
                  </Text>{' '}
                  at {s.step}
                </Text>
              </UnstyledButton>
            ))}
          </Group>
        </Paper>
      )}

      {/* Side by side from a small laptop's width on, so items show without scrolling. */}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <MyDepartmentsList departments={departments} />
        <OverdueList onShowAll={showAllOverdue} />
      </SimpleGrid>

      <Paper withBorder radius="md" p="md" ref={allItems} component="section" aria-label="All work items">
        <Group justify="space-between" mb="xs">
          <Title order={4}>All work items</Title>
          <Group gap="md">
            <Text size="sm" c="dimmed">
              {list.data?.sortedBy === 'item-number' ? 'Newest items first (very many match)' : 'Most recently changed first'}
            </Text>
            <ExportButtons exporter={exporter} what="the item list" size="xs" />
          </Group>
        </Group>
        <Group justify="space-between" mb="sm">
          <SegmentedControl
            value={filter}
            onChange={(v) => change(setFilter)(v as Filter)}
            aria-label="Filter by status"
            data={[
              { value: 'all', label: 'All' },
              { value: 'active', label: 'In progress' },
              { value: 'draft', label: 'Drafts' },
              { value: 'completed', label: 'Completed' },
              { value: 'cancelled', label: 'Cancelled' },
            ]}
          />
          <Group gap="xs" wrap="nowrap" style={{ flex: 1 }} justify="flex-end">
            <TextInput
              placeholder="Search title, work order, registration…"
              aria-label="Search work items"
              ref={searchInput}
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => change(setSearch)(e.currentTarget.value)}
              style={{ flex: 1, maxWidth: 320, minWidth: 200 }}
            />
            {moreFilters > 0 ? (
              // A filter that is set keeps the row open: the button then clears them.
              <Button variant="light" leftSection={<IconFilterOff size={16} />} onClick={clearMoreFilters}>
                Clear filters ({moreFilters})
              </Button>
            ) : (
              <Button
                variant={filtersOpen ? 'light' : 'default'}
                leftSection={<IconAdjustmentsHorizontal size={16} />}
                aria-expanded={filtersOpen}
                aria-controls="dashboard-filters"
                onClick={() => setFiltersOpen((open) => !open)}
              >
                Filters
              </Button>
            )}
          </Group>
        </Group>
        <Collapse expanded={showFilters} id="dashboard-filters">
          <Group gap="sm" mb="sm" align="flex-end">
            {(workflows.data?.length ?? 0) > 0 && (
              <Select
                label="Template"
                placeholder="Any"
                clearable
                data={(workflows.data ?? []).map((w) => ({ value: w.id, label: w.label }))}
                value={workflowId}
                onChange={change(setWorkflowId)}
                w={170}
                size="xs"
              />
            )}
            <Select
              label="Waiting at"
              placeholder="Any department"
              clearable
              data={(c?.activeByStep ?? []).map((s) => s.step)}
              value={step}
              onChange={change(setStep)}
              w={170}
              size="xs"
            />
            <TextInput label="Changed from" type="date" size="xs" value={from} onChange={(e) => change(setFrom)(e.currentTarget.value)} w={140} />
            <TextInput label="Changed to" type="date" size="xs" value={to} onChange={(e) => change(setTo)(e.currentTarget.value)} w={140} />
            <Checkbox label="Overdue only" checked={overdueOnly} onChange={(e) => change(setOverdueOnly)(e.currentTarget.checked)} mb={6} />
          </Group>
        </Collapse>
        <ExportNotes exporter={exporter} />
        <QueryView
          query={list}
          isEmpty={(d) => d.rows.length === 0}
          empty={
            filtered ? (
              <EmptyState icon={<IconSearch size={32} />} title="Nothing matches" description="Try another search or filter." py="xl" />
            ) : (
              <EmptyState
                icon={<IconClipboardList size={32} />}
                withIndicatorBackground
                title="No work items yet"
                description="Create the first engineering order, inspection or task and send it through its departments."
                py="xl"
              >
                <EmptyState.Actions>
                  <NewItemButton />
                </EmptyState.Actions>
              </EmptyState>
            )
          }
        >
          {(data) => (
            <>
              <ItemTable items={data.rows} label="Work items" />
              <Group justify="space-between" mt="sm">
                <Text size="sm" c="dimmed">
                  {data.totalIsLowerBound
                    ? // A common word: counted only this far, and listed by item number, newest first.
                      `${data.total.toLocaleString('en')}+ items match, newest first. Narrow the search to list them by last change.`
                    : `${data.total.toLocaleString('en')} item${data.total === 1 ? '' : 's'}`}
                </Text>
                {data.total > PAGE_SIZE && (
                  <Pagination total={Math.ceil(data.total / PAGE_SIZE)} value={page} onChange={setPage} size="sm" />
                )}
              </Group>
            </>
          )}
        </QueryView>
      </Paper>
    </Stack>
  );
}
