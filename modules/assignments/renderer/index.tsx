import { Alert, Avatar, Badge, Button, EmptyState, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import {
  IconHandGrab,
  IconHandOff,
  IconUserCheck,
  IconUserMinus,
  IconUserPlus,
  IconUserShare,
  IconUserX,
  IconUserOff,
} from '@tabler/icons-react';
import { useId, useState } from 'react';
import { apiFor } from '../../../src/renderer/src/api/client';
import { ItemTitle, useItemRowClick } from '../../../src/renderer/src/components/ItemTable';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import { RecordTable } from '../../../src/renderer/src/components/RecordTable';
import { age, dateTime, whereNow } from '../../../src/renderer/src/format';
import { overLimit } from '../../../src/renderer/src/components/LimitedText';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { ItemSectionProps, RendererModule, TimelineEntry } from '../../../src/renderer/src/moduleTypes';
import type { assignmentsContract, HistoryAction, HistoryEntry, ItemAssignment } from '../contract';
import { REASON_MAX } from '../limits';

const assignmentsApi = apiFor<typeof assignmentsContract>();
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

const ROLE_LABEL = { staff: 'Staff', lead: 'Lead', admin: 'Administrator' } as const;

/** "Assigned to:" with who, since when, by whom and why; warns when the holder left the department or was deactivated. */
function Holder({ view }: { view: ItemAssignment }) {
  const a = view.assignee;
  if (!a) {
    return (
      <Group gap="sm">
        <Avatar radius="xl" size="md" color="gray">
          <IconUserOff size={18} />
        </Avatar>
        <div>
          <Text size="sm" fw={600} data-testid="assignee">
            Not assigned
          </Text>
          <Text size="xs" c="dimmed">
            Nobody holds this item at {view.step?.name}.
          </Text>
        </div>
      </Group>
    );
  }
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      <Avatar name={a.name} color="initials" radius="xl" size="md" />
      <div>
        <Group gap="xs">
          <Text size="sm" fw={600} data-testid="assignee">
            Assigned to: {a.name}
          </Text>
          <Text size="xs" c="dimmed">
            {a.number}
          </Text>
          {!a.active && (
            <Badge size="sm" color="red" variant="light" radius="sm">
              inactive
            </Badge>
          )}
          {a.active && !a.member && (
            <Badge size="sm" color="orange" variant="light" radius="sm" title={`No longer a member of ${view.step?.name}`}>
              left {view.step?.name}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          At {view.step?.name} since {dateTime(a.assignedAt)}
          {a.assignedBy.name !== a.name ? `, assigned by ${a.assignedBy.name}` : ', took it'}
        </Text>
        {a.reason && (
          <Text size="sm" fs="italic" mt={2}>
            “{a.reason}”
          </Text>
        )}
      </div>
    </Group>
  );
}

function Controls({ view, onDone }: { view: ItemAssignment; onDone(): void }) {
  const [picked, setPicked] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const reasonTooLong = overLimit('The reason', reason, REASON_MAX);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const me = view.callerId;

  const send = async (what: string, userId: number | null) => {
    setBusy(what);
    setError(null);
    try {
      await assignmentsApi('assignments.assign', {
        itemId: view.itemId,
        userId,
        expectedVersion: view.itemVersion,
        expectedAssigneeId: view.assignee?.userId ?? null,
        ...(reason.trim() ? { reason } : {}),
      });
      setPicked(null);
      setReason('');
      onDone();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };

  const choices = view.candidates.filter((c) => c.userId !== view.assignee?.userId);
  const holderIsMe = view.assignee !== null && view.assignee.userId === me;
  return (
    <Stack gap="sm">
      {(view.may.take || view.may.release || (view.may.unassign && !holderIsMe)) && (
        <Group gap="sm">
          {view.may.take && (
            <Button leftSection={<IconHandGrab size={18} />} loading={busy === 'take'} disabled={busy !== null} onClick={() => me !== null && send('take', me)}>
              Take
            </Button>
          )}
          {view.may.release && (
            <Button variant="light" color="gray" leftSection={<IconHandOff size={18} />} loading={busy === 'release'} disabled={busy !== null} onClick={() => send('release', null)}>
              Release
            </Button>
          )}
          {view.may.unassign && !holderIsMe && (
            <Button variant="subtle" color="red" leftSection={<IconUserMinus size={18} />} loading={busy === 'unassign'} disabled={busy !== null} onClick={() => send('unassign', null)}>
              Unassign
            </Button>
          )}
        </Group>
      )}
      {view.may.assign && (
        <Group gap="sm" align="flex-end">
          <Select
            label={view.assignee ? 'Reassign to' : 'Assign to'}
            placeholder={choices.length ? `A member of ${view.step?.name}` : `Nobody else in ${view.step?.name}`}
            data={choices.map((c) => ({ value: String(c.userId), label: `${c.name} · ${c.number} · ${ROLE_LABEL[c.role]}` }))}
            value={picked}
            onChange={setPicked}
            searchable
            nothingFoundMessage="Nobody by that name or number"
            disabled={!choices.length || busy !== null}
            w={320}
          />
          <TextInput
            label="Reason (optional)"
            placeholder="e.g. licence for this type"
            value={reason}
            error={reasonTooLong}
            onChange={(e) => setReason(e.currentTarget.value)}
            disabled={busy !== null}
            w={260}
          />
          <Button
            leftSection={view.assignee ? <IconUserShare size={18} /> : <IconUserPlus size={18} />}
            disabled={picked === null || busy !== null || reasonTooLong !== null}
            loading={busy === 'assign'}
            onClick={() => picked !== null && send('assign', Number(picked))}
          >
            {view.assignee ? 'Reassign' : 'Assign'}
          </Button>
        </Group>
      )}
      {view.note && (
        <Text size="sm" c="dimmed" role="note">
          {view.note}
        </Text>
      )}
      {error && (
        <Alert color="red" variant="light" role="alert" title="Nothing was changed">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

function AssignmentSection({ item }: ItemSectionProps) {
  const titleId = useId();
  const view = useQuery(() => assignmentsApi('assignments.forItem', { itemId: item.id }), [item.id, item.version], { items: [item.id] });
  return (
    <Paper component="section" withBorder radius="md" p="lg" aria-labelledby={titleId}>
      <Group gap="xs" mb="sm">
        <IconUserCheck size={20} />
        <Title order={4} id={titleId}>
          Assignment
        </Title>
        {view.data?.step && (
          <Badge variant="light" color="gray" radius="sm" tt="none">
            {view.data.step.name}
          </Badge>
        )}
      </Group>
      <QueryView query={view} skeletonRows={1}>
        {(v) =>
          v.notAssignable ? (
            <Text size="sm" c="dimmed">
              {v.notAssignable}
            </Text>
          ) : (
            <Stack gap="md">
              <Holder view={v} />
              <Controls view={v} onDone={view.reload} />
            </Stack>
          )
        }
      </QueryView>
    </Paper>
  );
}

const ENTRY: Record<HistoryAction, { title: string; color: string; icon: TimelineEntry['icon'] }> = {
  assigned: { title: 'Assigned', color: 'violet', icon: IconUserPlus },
  reassigned: { title: 'Reassigned', color: 'violet', icon: IconUserShare },
  unassigned: { title: 'Unassigned', color: 'gray', icon: IconUserMinus },
  taken: { title: 'Taken', color: 'violet', icon: IconHandGrab },
  released: { title: 'Released', color: 'gray', icon: IconHandOff },
  ended: { title: 'Assignment ended', color: 'gray', icon: IconUserX },
};

function describe(h: HistoryEntry): string {
  const at = h.step.name;
  switch (h.action) {
    case 'assigned':
      return `${h.to?.name} at ${at}`;
    case 'reassigned':
      return `From ${h.from?.name} to ${h.to?.name} at ${at}`;
    case 'taken':
      return `${h.to?.name} took it at ${at}`;
    case 'released':
      return `${h.from?.name} gave it up at ${at}`;
    case 'unassigned':
      return `${h.from?.name} no longer holds it at ${at}`;
    case 'ended':
      return `${h.from?.name} held it at ${at}; the item moved on`;
  }
}

async function timeline(itemId: number): Promise<TimelineEntry[]> {
  const entries = await assignmentsApi('assignments.history', { itemId });
  return entries.map((h) => ({
    key: `assignment-${h.id}`,
    at: h.at,
    actor: h.by,
    ...ENTRY[h.action],
    body: (
      <>
        <Text size="sm">{describe(h)}</Text>
        {h.reason && (
          <Text size="sm" mt={2} fs={h.action === 'ended' ? undefined : 'italic'} c={h.action === 'ended' ? 'dimmed' : undefined}>
            {h.action === 'ended' ? h.reason : `“${h.reason}”`}
          </Text>
        )}
      </>
    ),
  }));
}

function AssignedToMe() {
  const rowClick = useItemRowClick();
  const mine = useQuery(() => assignmentsApi('assignments.mine', {}), []);
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">Assigned to me</Title>
      <Paper withBorder radius="md" p="lg">
        <QueryView
          query={mine}
          isEmpty={(d) => d.length === 0}
          empty={
            <EmptyState
              icon={<IconUserCheck size={28} />}
              title="Nothing is assigned to you"
              description="Items you take, or that a lead assigns to you, wait here until they move on from your department."
              py="xl"
            />
          }
        >
          {(rows) => (
            <Table highlightOnHover verticalSpacing="sm" aria-label="Assigned to me">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={70}>No.</Table.Th>
                  <Table.Th>Title</Table.Th>
                  <Table.Th>Where</Table.Th>
                  <Table.Th>Assigned by</Table.Th>
                  <Table.Th w={110}>Held for</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map(({ item, assignedAt, assignedBy, reason }) => (
                  <Table.Tr key={item.id} {...rowClick(item.id)}>
                    <Table.Td>
                      <Text c="dimmed" size="sm">
                        #{item.id}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ItemTitle item={item} />
                      {reason && (
                        <Text size="xs" c="dimmed" fs="italic" lineClamp={1} title={reason}>
                          “{reason}”
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{whereNow(item)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{assignedBy.name}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" title={dateTime(assignedAt)}>
                        {age(assignedAt)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryView>
      </Paper>
    </Stack>
  );
}

/** The assignment record in the item's printed record: every change, oldest first. */
function AssignmentRecord({ item }: ItemSectionProps) {
  const entries = useQuery(() => assignmentsApi('assignments.history', { itemId: item.id }), [item.id, item.version], { items: [item.id] });
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label="Assignment record">
      <Title order={4} mb="sm">
        Assignment record
      </Title>
      <QueryView query={entries} skeletonRows={1} isEmpty={(d) => d.length === 0} empty={<Text size="sm" c="dimmed">Never assigned.</Text>}>
        {(rows) => (
          <RecordTable
            rows={rows}
            rowKey={(h) => h.id}
            columns={[
              { header: 'When', cell: (h) => dateTime(h.at) },
              { header: 'Change', cell: (h) => `${ENTRY[h.action].title}: ${h.from ? h.from.name : '—'} → ${h.to ? h.to.name : '—'}` },
              { header: 'Step', cell: (h) => h.step.name },
              { header: 'By', cell: (h) => h.by.name },
              { header: 'Reason', cell: (h) => h.reason ?? '—' },
            ]}
          />
        )}
      </QueryView>
    </Paper>
  );
}

const assignmentsRenderer: RendererModule = {
  name: 'assignments',
  screens: [{ path: '/assigned', label: 'Assigned to me', icon: IconUserCheck, component: AssignedToMe }],
  // Right under the workflow: who holds the item now is what people look for first.
  itemSections: [{ id: 'assignment', component: AssignmentSection, order: 10 }],
  printSections: [{ id: 'assignment-record', component: AssignmentRecord }],
  timeline,
};

export default assignmentsRenderer;
