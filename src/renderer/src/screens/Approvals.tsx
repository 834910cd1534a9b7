import { Button, EmptyState, Group, Pagination, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { IconArrowBackUp, IconCheck, IconInbox } from '@tabler/icons-react';
import { useState } from 'react';
import type { Priority, WorkItem } from '../../../shared/types';
import { core } from '../api/client';
import { ItemTable } from '../components/ItemTable';
import { QueryView } from '../components/QueryView';
import { TransitionDialog, type TransitionKind } from '../components/TransitionDialog';
import { useQuery } from '../hooks/useQuery';
import { NeedsServer } from '../components/NeedsServer';

type Sort = 'queue' | 'oldest' | 'recent';
const PAGE_SIZE = 50;

export function Approvals() {
  const [step, setStep] = useState<string | null>(null);
  const [priority, setPriority] = useState<'all' | Priority>('all');
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [sort, setSort] = useState<Sort>('queue');
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<{ item: WorkItem; kind: TransitionKind } | null>(null);
  const counts = useQuery(() => core('workItems.counts', {}), []);
  const workflows = useQuery(() => core('workflows.list', {}), []);
  const queue = useQuery(
    () =>
      core('workItems.list', {
        status: 'active',
        sort,
        ...(step ? { step } : {}),
        ...(priority === 'all' ? {} : { priority }),
        ...(workflowId ? { workflowId } : {}),
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      }),
    [step, priority, workflowId, sort, page],
  );
  const steps = counts.data?.activeByStep ?? [];
  const filter = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1} size="h2">Approvals</Title>
        <Select
          aria-label="Department"
          placeholder="All departments"
          clearable
          data={steps.map((s) => ({ value: s.step, label: `${s.step} (${s.count})` }))}
          value={step}
          onChange={filter(setStep)}
          w={280}
        />
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
                step ? `No items are waiting at ${step}.` : priority !== 'all' || workflowId ? 'Nothing matches these filters.' : 'No items are waiting for approval.'
              }
              py="xl"
            />
          }
        >
          {(data) => (
            <>
              <Text size="sm" c="dimmed" mb="xs">
                {data.total} waiting{step ? ` at ${step}` : ''}
              </Text>
              <ItemTable
                items={data.rows}
                label="Approval queue"
                showStatus={false}
                age="waiting"
                actions={(item) => (
                  <Group gap="xs" wrap="nowrap">
                    <NeedsServer>
                      <Button size="xs" color="teal" leftSection={<IconCheck size={14} />} onClick={() => setDialog({ item, kind: 'approve' })}>
                        Approve
                      </Button>
                    </NeedsServer>
                    <NeedsServer>
                    <Button
                      size="xs"
                      color="orange"
                      variant="light"
                      leftSection={<IconArrowBackUp size={14} />}
                      disabled={(item.currentStep ?? 0) === 0}
                      onClick={() => setDialog({ item, kind: 'reject' })}
                    >
                      Reject
                    </Button>
                    </NeedsServer>
                  </Group>
                )}
              />
              {data.total > PAGE_SIZE && (
                <Group justify="flex-end" mt="sm">
                  <Pagination total={Math.ceil(data.total / PAGE_SIZE)} value={page} onChange={setPage} size="sm" />
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
            counts.reload();
          }}
        />
      )}
    </Stack>
  );
}
