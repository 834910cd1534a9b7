import { Button, EmptyState, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { IconArrowBackUp, IconCheck, IconInbox } from '@tabler/icons-react';
import { useState } from 'react';
import type { WorkItem } from '../../../shared/types';
import { core } from '../api/client';
import { ItemTable } from '../components/ItemTable';
import { QueryView } from '../components/QueryView';
import { TransitionDialog, type TransitionKind } from '../components/TransitionDialog';
import { useQuery } from '../hooks/useQuery';

export function Approvals() {
  const [step, setStep] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ item: WorkItem; kind: TransitionKind } | null>(null);
  const counts = useQuery(() => core('workItems.counts', {}), []);
  const queue = useQuery(
    () => core('workItems.list', { status: 'active', sort: 'queue', ...(step ? { step } : {}), limit: 100 }),
    [step],
  );
  const steps = counts.data?.activeByStep ?? [];

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Approvals</Title>
        <Select
          aria-label="Department"
          placeholder="All departments"
          clearable
          data={steps.map((s) => ({ value: s.step, label: `${s.step} (${s.count})` }))}
          value={step}
          onChange={setStep}
          w={280}
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
              description={step ? `No items are waiting at ${step}.` : 'No items are waiting for approval.'}
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
                actions={(item) => (
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" color="teal" leftSection={<IconCheck size={14} />} onClick={() => setDialog({ item, kind: 'approve' })}>
                      Approve
                    </Button>
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
                  </Group>
                )}
              />
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
