import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Stepper, Text, Timeline, Title } from '@mantine/core';
import {
  IconArrowBackUp,
  IconBan,
  IconCheck,
  IconCircleCheck,
  IconCirclePlus,
  IconSend,
  IconX,
} from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'wouter';
import type { TransitionAction, TransitionEvent, WorkItem, WorkItemDetail } from '../../../shared/types';
import { core } from '../api/client';
import { PriorityBadge, StatusBadge } from '../components/Badges';
import { QueryView } from '../components/QueryView';
import { TransitionDialog, type TransitionKind } from '../components/TransitionDialog';
import { ACTION_LABEL, dateTime, metadataLabel, STATUS_LABEL } from '../format';
import { useQuery } from '../hooks/useQuery';
import { stepViews } from '../workflowView';

const ACTION_ICON: Record<TransitionAction, typeof IconCheck> = {
  create: IconCirclePlus,
  submit: IconSend,
  approve: IconCheck,
  reject: IconArrowBackUp,
  cancel: IconBan,
};
const ACTION_COLOR: Record<TransitionAction, string> = {
  create: 'gray',
  submit: 'blue',
  approve: 'teal',
  reject: 'orange',
  cancel: 'red',
};

function describeEvent(event: TransitionEvent, item: WorkItem): string {
  const step = (i: number | null) => (i === null ? '' : (item.steps[i]?.name ?? `step ${i + 1}`));
  switch (event.action) {
    case 'create':
      return event.toStatus === 'active' ? `Created and submitted to ${step(event.toStep)}` : 'Created as a draft';
    case 'submit':
      return `Submitted to ${step(event.toStep)}`;
    case 'approve':
      return event.toStatus === 'completed'
        ? `Approved at ${step(event.fromStep)} — all steps done`
        : `Approved at ${step(event.fromStep)}, moved to ${step(event.toStep)}`;
    case 'reject':
      return `Rejected at ${step(event.fromStep)}, sent back to ${step(event.toStep)}`;
    case 'cancel':
      return `Cancelled (was ${STATUS_LABEL[event.fromStatus ?? 'draft'].toLowerCase()})`;
  }
}

function Actions({ item, onAction }: { item: WorkItem; onAction(kind: TransitionKind): void }) {
  if (item.status === 'completed' || item.status === 'cancelled') {
    return <Text c="dimmed" size="sm">No further actions: this item is {STATUS_LABEL[item.status].toLowerCase()}.</Text>;
  }
  return (
    <Group>
      {item.status === 'draft' && (
        <Button leftSection={<IconSend size={18} />} onClick={() => onAction('submit')}>
          Submit
        </Button>
      )}
      {item.status === 'active' && (
        <>
          <Button color="teal" leftSection={<IconCheck size={18} />} onClick={() => onAction('approve')}>
            Approve
          </Button>
          <Button
            color="orange"
            variant="light"
            leftSection={<IconArrowBackUp size={18} />}
            disabled={(item.currentStep ?? 0) === 0}
            title={(item.currentStep ?? 0) === 0 ? 'There is no earlier step to reject to' : undefined}
            onClick={() => onAction('reject')}
          >
            Reject
          </Button>
        </>
      )}
      <Button color="red" variant="subtle" leftSection={<IconX size={18} />} onClick={() => onAction('cancel')}>
        Cancel item
      </Button>
    </Group>
  );
}

function ItemDetail({ detail, reload }: { detail: WorkItemDetail; reload(): void }) {
  const { item, events } = detail;
  const [dialog, setDialog] = useState<TransitionKind | null>(null);
  const views = stepViews(item, events);
  const active = item.status === 'completed' ? item.steps.length : (item.currentStep ?? 0);
  const metadata = Object.entries(item.metadata);

  return (
    <Stack gap="lg">
      <div>
        <Anchor component={Link} href="/" size="sm">
          ← Dashboard
        </Anchor>
        <Group justify="space-between" align="flex-start" mt={4}>
          <div>
            <Title order={2}>{item.title}</Title>
            <Group gap="xs" mt={4}>
              <Text c="dimmed" size="sm">
                #{item.id}
              </Text>
              <StatusBadge status={item.status} />
              <PriorityBadge priority={item.priority} />
              <Text c="dimmed" size="sm">
                {item.workflow ? `${item.workflow.label}${item.workflow.version ? ` v${item.workflow.version}` : ''}` : 'Custom workflow'} · created by {item.createdBy.name},{' '}
                {dateTime(item.createdAt)}
              </Text>
            </Group>
          </div>
        </Group>
      </div>

      <Paper withBorder radius="md" p="lg" aria-label="Workflow">
        <Stepper active={active} size="sm" allowNextStepsSelect={false} color={item.status === 'cancelled' ? 'gray' : 'teal'}>
          {views.map((v, i) => (
            <Stepper.Step
              key={i}
              label={v.name}
              description={
                v.signedBy ? `${v.signedBy.actor.name}, ${dateTime(v.signedBy.at)}` : v.state === 'current' ? 'Waiting here' : undefined
              }
              completedIcon={<IconCircleCheck size={18} />}
            />
          ))}
        </Stepper>
        <Group mt="lg">
          <Actions item={item} onAction={setDialog} />
        </Group>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Paper withBorder radius="md" p="lg">
          <Title order={4} mb="sm">
            Details
          </Title>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={item.description ? undefined : 'dimmed'}>
            {item.description || 'No description.'}
          </Text>
          {metadata.length > 0 && (
            <Stack gap={4} mt="md">
              {metadata.map(([key, value]) => (
                <Group key={key} gap="xs">
                  <Text size="sm" c="dimmed" w={170}>
                    {metadataLabel(key)}
                  </Text>
                  <Text size="sm" fw={500}>
                    {value}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
        </Paper>

        <Paper withBorder radius="md" p="lg">
          <Title order={4} mb="sm">
            History
          </Title>
          <Timeline bulletSize={26} lineWidth={2} active={events.length - 1} aria-label="History">
            {events.map((event) => {
              const Icon = ACTION_ICON[event.action];
              return (
                <Timeline.Item
                  key={event.id}
                  bullet={<Icon size={14} />}
                  color={ACTION_COLOR[event.action]}
                  title={<Text size="sm" fw={600}>{ACTION_LABEL[event.action]}</Text>}
                >
                  <Text size="sm">{describeEvent(event, item)}</Text>
                  {event.comment && (
                    <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap' }} fs="italic">
                      “{event.comment}”
                    </Text>
                  )}
                  <Text size="xs" c="dimmed" mt={2}>
                    {event.actor.name} · {dateTime(event.at)}
                  </Text>
                </Timeline.Item>
              );
            })}
          </Timeline>
        </Paper>
      </SimpleGrid>

      <TransitionDialog item={item} kind={dialog} onClose={() => setDialog(null)} onDone={() => {
          setDialog(null);
          reload();
        }}
      />
    </Stack>
  );
}

export function ItemView({ id }: { id: number }) {
  const detail = useQuery(() => core('workItems.get', { id }), [id]);
  return <QueryView query={detail} skeletonRows={6}>{(data) => <ItemDetail detail={data} reload={detail.reload} />}</QueryView>;
}
