import { Button, Checkbox, EmptyState, Group, Pagination, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { IconChecklist, IconInbox } from '@tabler/icons-react';
import { useState } from 'react';
import { useLocation } from 'wouter';
import type { Priority, WorkItem } from '../../../shared/types';
import { core } from '../api/client';
import { ItemTable } from '../components/ItemTable';
import { NeedsServer } from '../components/NeedsServer';
import { QueryView } from '../components/QueryView';
import { TransitionDialog, type TransitionKind } from '../components/TransitionDialog';
import { useQuery } from '../hooks/useQuery';
import { useDepartmentsToNotify } from '../notifications/myDepartments';
import { readCounts } from '../notifications/myQueue';
import { BulkSignOffDialog, type ToSign } from './approvals/BulkSignOffDialog';
import { allowed, QueueRowActions } from './approvals/QueueRowActions';
import { pathOfPicked, pickerValueOf, scopeOf, stepFilterOf, whereText, type QueueScope } from './approvals/queueScope';
import { useQueueHints } from './approvals/useQueueHints';

type Sort = 'queue' | 'oldest' | 'recent';
const PAGE_SIZE = 50;

/** The department picker: my departments, all, or one (with how many wait at each). */
function DepartmentPicker({ scope, mine }: { scope: QueueScope; mine: string[] }) {
  const [, navigate] = useLocation();
  const counts = useQuery(readCounts, []);
  const waiting = new Map((counts.data?.activeByStep ?? []).map((s) => [s.step, s.count]));
  const names = [...new Set([...mine, ...waiting.keys()])];
  const mineCount = mine.reduce((sum, d) => sum + (waiting.get(d) ?? 0), 0);
  const data = [
    ...(mine.length ? [{ value: 'mine', label: `My departments: ${mine.join(', ')} (${mineCount})` }] : []),
    { value: 'all', label: 'All departments' },
    ...names.map((name) => ({ value: `department:${name}`, label: `${name} (${waiting.get(name) ?? 0})` })),
  ];
  return (
    <Select
      aria-label="Department"
      data={data}
      value={pickerValueOf(scope)}
      onChange={(v) => v && navigate(pathOfPicked(v))}
      allowDeselect={false}
      w={320}
    />
  );
}

/** The approvals queue: my departments' first, with bulk sign-off of the items I may approve. */
export function Approvals(params: { scope?: string | undefined; department?: string | undefined }) {
  const mine = useDepartmentsToNotify();
  const scope = scopeOf(params, mine);
  const stepFilter = stepFilterOf(scope);
  const [priority, setPriority] = useState<'all' | Priority>('all');
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [sort, setSort] = useState<Sort>('queue');
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<{ item: WorkItem; kind: TransitionKind } | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [review, setReview] = useState<ToSign[] | null>(null);
  // Another department (the picker, the navigation): its first page, nothing selected.
  const scopeKey = JSON.stringify(stepFilter);
  const [shownScope, setShownScope] = useState(scopeKey);
  if (shownScope !== scopeKey) {
    setShownScope(scopeKey);
    setPage(1);
    setSelected(new Set());
  }
  const workflows = useQuery(() => core('workflows.list', {}), []);
  const filterKey = JSON.stringify([stepFilter, priority, workflowId, sort, page]);
  const queue = useQuery(
    () =>
      core('workItems.list', {
        status: 'active',
        sort,
        ...stepFilter,
        ...(priority === 'all' ? {} : { priority }),
        ...(workflowId ? { workflowId } : {}),
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      }),
    [filterKey],
  );
  const rows = queue.data?.rows ?? [];
  const hintOf = useQueueHints(rows);
  // What may be signed off in bulk: the rows shown now that the core lets this person approve.
  const signable = rows.flatMap((item): ToSign[] => {
    const hint = hintOf(item, 'approve');
    return hint && allowed(hint) ? [{ item, hint }] : [];
  });
  const chosen = signable.filter((s) => selected.has(s.item.id));
  const filter = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
    setSelected(new Set());
  };
  const select = (id: number, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const where = whereText(scope);

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1} size="h2">Approvals</Title>
        <DepartmentPicker scope={scope} mine={mine} />
      </Group>
      <Group gap="md">
        <SegmentedControl
          aria-label="Priority"
          value={priority}
          onChange={(v) => filter(setPriority)(v as 'all' | Priority)}
          data={[
            { value: 'all', label: 'All priorities' },
            { value: 'urgent', label: 'Urgent' },
            { value: 'normal', label: 'Normal' },
          ]}
        />
        {(workflows.data?.length ?? 0) > 0 && (
          <Select
            aria-label="Template"
            placeholder="All templates"
            clearable
            data={(workflows.data ?? []).map((w) => ({ value: w.id, label: w.label }))}
            value={workflowId}
            onChange={filter(setWorkflowId)}
            w={220}
          />
        )}
        <Select
          aria-label="Sort"
          data={[
            { value: 'queue', label: 'Urgent first, then longest waiting' },
            { value: 'oldest', label: 'Longest waiting first' },
            { value: 'recent', label: 'Most recently changed first' },
          ]}
          value={sort}
          onChange={(v) => v && filter(setSort)(v as Sort)}
          allowDeselect={false}
          w={290}
        />
      </Group>
      <Paper withBorder radius="md" p="md">
        <QueryView
          query={queue}
          isEmpty={(d) => d.rows.length === 0}
          empty={
            <EmptyState
              icon={<IconInbox size={32} />}
              withIndicatorBackground
              title="Nothing waiting"
              description={
                priority !== 'all' || workflowId
                  ? 'Nothing matches these filters.'
                  : where
                    ? `No items are waiting ${where}.`
                    : 'No items are waiting for approval.'
              }
              py="xl"
            />
          }
        >
          {(data) => (
            <>
              <Group justify="space-between" mb="xs" gap="sm">
                <Text size="sm" c="dimmed">
                  {data.total} waiting{where ? ` ${where}` : ''}
                </Text>
                {signable.length > 0 && (
                  <Group gap="md">
                    <Checkbox
                      label={`Select all I can sign off on this page (${signable.length})`}
                      checked={chosen.length === signable.length}
                      indeterminate={chosen.length > 0 && chosen.length < signable.length}
                      onChange={(e) => setSelected(new Set(e.currentTarget.checked ? signable.map((s) => s.item.id) : []))}
                    />
                    <NeedsServer>
                      <Button size="xs" leftSection={<IconChecklist size={14} />} disabled={chosen.length === 0} onClick={() => setReview(chosen)}>
                        Review and sign off ({chosen.length})…
                      </Button>
                    </NeedsServer>
                  </Group>
                )}
              </Group>
              <ItemTable
                items={data.rows}
                label="Approval queue"
                showStatus={false}
                age="waiting"
                actions={(item) => (
                  <QueueRowActions
                    item={item}
                    approve={hintOf(item, 'approve')}
                    reject={hintOf(item, 'reject')}
                    selected={selected.has(item.id)}
                    onSelect={(on) => select(item.id, on)}
                    onOpen={(kind) => setDialog({ item, kind })}
                  />
                )}
              />
              {data.total > PAGE_SIZE && (
                <Group justify="flex-end" mt="sm">
                  <Pagination
                    total={Math.ceil(data.total / PAGE_SIZE)}
                    value={page}
                    onChange={(p) => {
                      setPage(p);
                      setSelected(new Set());
                    }}
                    size="sm"
                  />
                </Group>
              )}
            </>
          )}
        </QueryView>
      </Paper>
      {dialog && (
        <TransitionDialog
          item={dialog.item}
          kind={dialog.kind}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            queue.reload();
          }}
        />
      )}
      {review && (
        <BulkSignOffDialog
          items={review}
          onClose={() => setReview(null)}
          onSigned={() => {
            setSelected(new Set());
            queue.reload();
          }}
        />
      )}
    </Stack>
  );
}
