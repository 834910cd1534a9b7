import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Stepper, Text, Timeline, Title, type ButtonProps } from '@mantine/core';
import {
  IconArrowBackUp,
  IconBan,
  IconCheck,
  IconCircleCheck,
  IconCirclePlus,
  IconSend,
  IconX,
} from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { TransitionAction, TransitionEvent, TransitionHint, WorkItem, WorkItemDetail } from '../../../shared/types';
import { core } from '../api/client';
import { PriorityBadge, StatusBadge } from '../components/Badges';
import { QueryView } from '../components/QueryView';
import { TransitionDialog, type TransitionKind } from '../components/TransitionDialog';
import { ACTION_LABEL, dateTime, metadataLabel, STATUS_LABEL } from '../format';
import { useQuery } from '../hooks/useQuery';
import { useEnabledModules } from '../modules';
import type { TimelineEntry } from '../moduleTypes';
import { stepViews, type StepView } from '../workflowView';

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

/** Approvals that keep the item at its step (a partial sign-off) have from = to. */
const isPartialSignoff = (e: TransitionEvent) => e.action === 'approve' && e.fromStep === e.toStep;

function describeEvent(event: TransitionEvent, item: WorkItem, signoffNumber = 1): string {
  const step = (i: number | null) => (i === null ? '' : (item.steps[i]?.name ?? `step ${i + 1}`));
  switch (event.action) {
    case 'create':
      return event.toStatus === 'active' ? `Created and submitted to ${step(event.toStep)}` : 'Created as a draft';
    case 'submit':
      return `Submitted to ${step(event.toStep)}`;
    case 'approve':
      if (event.fromStep === event.toStep) {
        const needed = item.steps[event.fromStep ?? 0]?.minSignoffs ?? 1;
        return `Signed off at ${step(event.fromStep)} (${signoffNumber} of ${needed}); waits for the next sign-off`;
      }
      return event.toStatus === 'completed'
        ? `Approved at ${step(event.fromStep)} — all steps done`
        : `Approved at ${step(event.fromStep)}, moved to ${step(event.toStep)}`;
    case 'reject':
      return `Rejected at ${step(event.fromStep)}, sent back to ${step(event.toStep)}`;
    case 'cancel':
      return `Cancelled (was ${STATUS_LABEL[event.fromStatus ?? 'draft'].toLowerCase()})`;
  }
}

function stepDescription(v: StepView): string | undefined {
  const names = v.signedBy.map((e) => e.actor.name).join(', ');
  if (v.state === 'current') {
    if (v.required > 1) return `${v.signedBy.length} of ${v.required} sign-offs${names ? `: ${names}` : ''}`;
    return 'Waiting here';
  }
  if (!v.signedBy.length) return undefined;
  const last = v.signedBy[v.signedBy.length - 1]!;
  return `${names}, ${dateTime(last.at)}`;
}

/**
 * Which sign-off at its step event i is: partial sign-offs at a step follow each other with
 * nothing between (anything else moves the item), so count the run, and the final approval ends it.
 */
function signoffNumber(events: TransitionEvent[], i: number): number {
  let n = 1;
  for (let j = i - 1; j >= 0 && isPartialSignoff(events[j]!) && events[j]!.fromStep === events[i]!.fromStep; j--) n++;
  return n;
}

/** The transitions and what modules add (comments…), in time order. */
function timeline(item: WorkItem, events: TransitionEvent[], extra: TimelineEntry[]): TimelineEntry[] {
  const fromEvents = events.map(
    (event, i): TimelineEntry => ({
      key: `event-${event.id}`,
      at: event.at,
      actor: event.actor,
      title: ACTION_LABEL[event.action],
      color: ACTION_COLOR[event.action],
      icon: ACTION_ICON[event.action],
      body: (
        <>
          <Text size="sm">{describeEvent(event, item, signoffNumber(events, i))}</Text>
          {event.comment && (
            <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap' }} fs="italic">
              “{event.comment}”
            </Text>
          )}
        </>
      ),
    }),
  );
  return [...fromEvents, ...extra].sort((a, b) => a.at.localeCompare(b.at));
}

function Actions({ item, hints, onAction }: { item: WorkItem; hints: TransitionHint[]; onAction(kind: TransitionKind): void }) {
  if (item.status === 'completed' || item.status === 'cancelled') {
    return <Text c="dimmed" size="sm">No further actions: this item is {STATUS_LABEL[item.status].toLowerCase()}.</Text>;
  }
  const hint = (action: TransitionKind) => hints.find((h) => h.action === action);
  const reasons = [...new Set(hints.flatMap((h) => (h.blocked ? [h.blocked] : [])))];
  const button = (action: TransitionKind, label: string, icon: ReactNode, props: ButtonProps) => {
    const h = hint(action);
    if (!h) return null;
    return (
      <Button leftSection={icon} disabled={Boolean(h.blocked)} onClick={() => onAction(action)} {...props}>
        {label}
      </Button>
    );
  };
  return (
    <Stack gap="xs">
      <Group>
        {button('submit', 'Submit', <IconSend size={18} />, {})}
        {button('approve', 'Approve', <IconCheck size={18} />, { color: 'teal' })}
        {button('reject', 'Reject', <IconArrowBackUp size={18} />, { color: 'orange', variant: 'light' })}
        {button('cancel', 'Cancel item', <IconX size={18} />, { color: 'red', variant: 'subtle' })}
      </Group>
      {reasons.map((reason) => (
        <Text key={reason} size="sm" c="orange.8" role="note">
          {reason}
        </Text>
      ))}
    </Stack>
  );
}

function ItemDetail({ detail, reload }: { detail: WorkItemDetail; reload(): void }) {
  const { item, events, hints } = detail;
  const modules = useEnabledModules();
  const extraTimeline = useQuery(
    () => Promise.all(modules.flatMap((m) => (m.timeline ? [m.timeline(item.id)] : []))).then((lists) => lists.flat()),
    [item.id, modules.length],
  );
  const [dialog, setDialog] = useState<TransitionKind | null>(null);
  const views = stepViews(item, events);
  const entries = timeline(item, events, extraTimeline.data ?? []);
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
              description={stepDescription(v)}
              completedIcon={<IconCircleCheck size={18} />}
            />
          ))}
        </Stepper>
        <Group mt="lg">
          <Actions item={item} hints={hints} onAction={setDialog} />
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
          <Timeline bulletSize={26} lineWidth={2} active={entries.length - 1} aria-label="History">
            {entries.map((entry) => (
              <Timeline.Item
                key={entry.key}
                bullet={<entry.icon size={14} />}
                color={entry.color}
                title={<Text size="sm" fw={600}>{entry.title}</Text>}
              >
                {entry.body}
                <Text size="xs" c="dimmed" mt={2}>
                  {entry.actor.name} · {dateTime(entry.at)}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Paper>
      </SimpleGrid>

      {modules.flatMap((m) => m.itemSections ?? []).map((section) => (
        <section.component key={section.id} item={item} />
      ))}

      <TransitionDialog
        item={item}
        kind={dialog}
        onClose={() => setDialog(null)} onDone={() => {
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
