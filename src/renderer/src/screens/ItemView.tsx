import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Stepper, Text, Timeline, Title, type ButtonProps } from '@mantine/core';
import {
  IconArrowBackUp,
  IconCheck,
  IconCircleCheck,
  IconFileTypePdf,
  IconPrinter,
  IconSend,
  IconX,
} from '@tabler/icons-react';
import { useHotkeys } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import type { TransitionHint, WorkItem, WorkItemDetail } from '../../../shared/types';
import { core } from '../api/client';
import { PriorityBadge, StatusBadge } from '../components/Badges';
import { QueryView } from '../components/QueryView';
import { TransitionDialog, type TransitionKind } from '../components/TransitionDialog';
import { dateTime, metadataLabel, STATUS_LABEL } from '../format';
import { useQuery } from '../hooks/useQuery';
import { useEnabledModules } from '../modules';
import { useAppStore } from '../stores/appStore';
import { stepDescription, timeline, useModuleTimeline } from '../itemTimeline';
import { stepViews } from '../workflowView';
import { itemSectionsOf } from '../itemSections';
import { NeedsServer } from '../components/NeedsServer';
import { Loading } from '../components/Loading';
import { KEYS } from '../shortcuts/shortcuts';
import { useReadOnlyReason } from '../stores/terminalStore';

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
      <NeedsServer>
        <Button leftSection={icon} disabled={Boolean(h.blocked)} onClick={() => onAction(action)} {...props}>
          {label}
        </Button>
      </NeedsServer>
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
        <Text key={reason} size="sm" c="orange" role="note">
          {reason}
        </Text>
      ))}
    </Stack>
  );
}

/** Electron prints on paper and saves a PDF itself; in a browser the print view opens and the browser prints it. */
function PrintButtons({ itemId }: { itemId: number }) {
  const canPrintPdf = useAppStore((s) => s.status?.canPrintPdf ?? false);
  const [, navigate] = useLocation();
  const [busy, setBusy] = useState<'paper' | 'pdf' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const run = async (kind: 'paper' | 'pdf') => {
    setBusy(kind);
    setMessage(null);
    try {
      if (kind === 'pdf') {
        const { savedTo } = await core('app.printItem', { id: itemId });
        setMessage(savedTo ? `Saved ${savedTo}` : null);
      } else {
        const { printed } = await core('app.printItemOnPaper', { id: itemId });
        setMessage(printed ? 'Sent to the printer' : null);
      }
    } catch (error) {
      setMessage((error as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Stack gap={2} align="flex-end">
      {canPrintPdf ? (
        <Group gap="xs">
          <Button variant="default" leftSection={<IconPrinter size={18} />} loading={busy === 'paper'} disabled={busy === 'pdf'} onClick={() => void run('paper')}>
            Print…
          </Button>
          <Button variant="default" leftSection={<IconFileTypePdf size={18} />} loading={busy === 'pdf'} disabled={busy === 'paper'} onClick={() => void run('pdf')}>
            Save as PDF
          </Button>
        </Group>
      ) : (
        <Button variant="default" leftSection={<IconPrinter size={18} />} onClick={() => navigate(`/items/${itemId}/print`)}>
          Print record
        </Button>
      )}
      {message && (
        <Text size="xs" c="dimmed" role="status">
          {message}
        </Text>
      )}
    </Stack>
  );
}

function ItemDetail({ detail, reload }: { detail: WorkItemDetail; reload(): void }) {
  const { item, events, hints } = detail;
  const modules = useEnabledModules();
  const extraTimeline = useModuleTimeline(item.id);
  const [dialog, setDialog] = useState<TransitionKind | null>(null);
  const readOnly = useReadOnlyReason();
  // A and R act on this item as its Approve and Reject buttons would, when those are there and on.
  const openIfAllowed = (kind: TransitionKind) => {
    const hint = hints.find((h) => h.action === kind);
    if (!dialog && hint && !hint.blocked && !readOnly) setDialog(kind);
  };
  useHotkeys([
    [KEYS.approve, () => openIfAllowed('approve')],
    [KEYS.reject, () => openIfAllowed('reject')],
  ]);
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
            <Title order={1} size="h2">{item.title}</Title>
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
          <PrintButtons itemId={item.id} />
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

      {itemSectionsOf(modules, 'itemSections').map((section) => (
        <Loading key={section.id}>
          <section.component item={item} />
        </Loading>
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
  const detail = useQuery(() => core('workItems.get', { id }), [id], { items: [id] });
  return <QueryView query={detail} skeletonRows={6}>{(data) => <ItemDetail detail={data} reload={detail.reload} />}</QueryView>;
}
