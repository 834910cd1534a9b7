import { Text } from '@mantine/core';
import {
  IconArrowBackUp,
  IconBan,
  IconCheck,
  IconCirclePlus,
  IconSend,
} from '@tabler/icons-react';
import { terminalLabel } from '../../shared/terminals';
import type { TransitionAction, TransitionEvent, WorkItem } from '../../shared/types';
import { ACTION_LABEL, dateTime, STATUS_LABEL } from './format';
import { useQuery } from './hooks/useQuery';
import { useEnabledModules } from './modules';
import type { TimelineEntry } from './moduleTypes';
import type { StepView } from './workflowView';

/** How an item's history reads: shared by the item view and its print view. */
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

/**
 * Where an event was done, when that says something: a site terminal (or the browser harness). The
 * desktop app's own events ('local') are all this computer's, so they are not labelled.
 */
const terminalOf = (e: TransitionEvent): string | null => (e.terminal === 'local' ? null : terminalLabel(e.terminal, e.terminalName));

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

export function stepDescription(v: StepView): string | undefined {
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
export function timeline(item: WorkItem, events: TransitionEvent[], extra: TimelineEntry[]): TimelineEntry[] {
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
          {terminalOf(event) && (
            <Text size="xs" c="dimmed" mt={2} title={`Terminal: ${event.terminal}`}>
              at {terminalOf(event)}
            </Text>
          )}
        </>
      ),
    }),
  );
  return [...fromEvents, ...extra].sort((a, b) => a.at.localeCompare(b.at));
}


/** The entries modules add to an item's timeline (comments…), refreshed with the item. */
export function useModuleTimeline(itemId: number) {
  const modules = useEnabledModules();
  return useQuery(
    () => Promise.all(modules.flatMap((m) => (m.timeline ? [m.timeline(itemId)] : []))).then((lists) => lists.flat()),
    [itemId, modules.length],
    { items: [itemId] },
  );
}
