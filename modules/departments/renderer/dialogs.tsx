import { Alert, Button, Group, List, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import { StatusBadge } from '../../../src/renderer/src/components/Badges';
import { ErrorAlert, QueryView } from '../../../src/renderer/src/components/QueryView';
import { FormDialog } from '../../../src/renderer/src/components/FormDialog';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { Department, DepartmentUsage, DepartmentUsageItem } from '../contract';
import { departmentsApi, errorMessage } from './api';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function whereItIs(item: DepartmentUsageItem): string {
  if (item.relation === 'current') return 'Waiting here now';
  if (item.status === 'draft') return 'Draft; reaches it once submitted';
  const now = item.currentStepName ? ` (now at ${item.currentStepName})` : '';
  return item.relation === 'later' ? `Reaches it later${now}` : `Past it${now}; a rejection can send it back`;
}

function AffectedItems({ usage }: { usage: DepartmentUsage }) {
  const hidden = usage.openTotal - usage.openItems.length;
  return (
    <Stack gap={6}>
      <Table aria-label="Affected items" verticalSpacing={6} striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th>Title</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Where it is</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {usage.openItems.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>#{item.id}</Table.Td>
              <Table.Td fw={500}>{item.title}</Table.Td>
              <Table.Td>
                <StatusBadge status={item.status} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{whereItIs(item)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {hidden > 0 && (
        <Text size="sm" c="dimmed">
          …and {plural(hidden, 'more item')}.
        </Text>
      )}
    </Stack>
  );
}

interface DialogProps {
  department: Department;
  onClose(): void;
  /** Called with a short sentence saying what was done. */
  onDone(message: string): void;
}

/** Rename: the name only. The code is shown, fixed, with why. */
export function RenameDialog({ department, onClose, onDone }: DialogProps) {
  const [name, setName] = useState(department.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const renamed = await departmentsApi('departments.rename', { id: department.id, name });
      onDone(renamed.name === department.name ? `${department.name} was not changed.` : `Renamed ${department.name} to ${renamed.name}.`);
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldErrors()['name'] ?? err.message) : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog onClose={onClose} onSubmit={() => void save()} title={`Rename ${department.name}`} size="md">
      <Stack gap="md">
        <TextInput
          label="Name"
          required
          maxLength={80}
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setError(null);
          }}
          error={error}
          data-autofocus
        />
        <TextInput
          label="Code"
          value={department.code}
          readOnly
          disabled
          description="Codes cannot be changed: work items and templates refer to the department by its code."
        />
        <Text size="sm" c="dimmed">
          Work items already created keep the name they were created with; new items get the new name.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Save name
          </Button>
        </Group>
      </Stack>
    </FormDialog>
  );
}

function useUsage(department: Department) {
  return useQuery(() => departmentsApi('departments.usage', { id: department.id, limit: 50 }), [department.id]);
}

/** Confirms a deactivation, listing first the open items that go through the department. */
export function DeactivateDialog({ department, onClose, onDone }: DialogProps) {
  const usage = useUsage(department);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await departmentsApi('departments.setActive', { id: department.id, active: false });
      onDone(
        result.openTotal
          ? `Deactivated ${department.name}. ${plural(result.openTotal, 'open item')} still ${result.openTotal === 1 ? 'goes' : 'go'} through it.`
          : `Deactivated ${department.name}.`,
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog onClose={onClose} onSubmit={() => void (usage.data && !busy && confirm())} title={`Deactivate ${department.name}?`} size="xl">
      <Stack gap="md">
        <Text size="sm">
          {department.name} will be hidden from department lists. Work items keep its name in their steps and history, and you can
          reactivate it at any time.
        </Text>
        <QueryView query={usage} skeletonRows={3}>
          {(u) =>
            u.openTotal > 0 ? (
              <Stack gap="sm">
                <Alert
                  color="yellow"
                  variant="light"
                  icon={<IconAlertTriangle size={18} />}
                  title={`${plural(u.openTotal, 'open item')} ${u.openTotal === 1 ? 'goes' : 'go'} through ${department.name}`}
                >
                  {u.openTotal === 1 ? 'It keeps its steps' : 'They keep their steps'} and can still be approved or rejected at{' '}
                  {department.name}.
                </Alert>
                <AffectedItems usage={u} />
              </Stack>
            ) : (
              <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} title="No open items affected">
                No draft or in-progress work item goes through {department.name}.
              </Alert>
            )
          }
        </QueryView>
        {error && <ErrorAlert title="Not deactivated" message={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={busy} disabled={usage.data === undefined}>
            Deactivate
          </Button>
        </Group>
      </Stack>
    </FormDialog>
  );
}

/** Deletes for good only what nothing refers to; otherwise says why and offers to deactivate. */
export function DeleteDialog({ department, onClose, onDone, onDeactivateInstead }: DialogProps & { onDeactivateInstead(): void }) {
  const usage = useUsage(department);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await departmentsApi('departments.delete', { id: department.id });
      onDone(`Deleted ${department.name}.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const canDelete = usage.data?.canDelete === true;
  return (
    <FormDialog onClose={onClose} onSubmit={() => void (canDelete && !busy && confirm())} title={`Delete ${department.name}?`} size={canDelete ? 'md' : 'xl'}>
      <Stack gap="md">
        <QueryView query={usage} skeletonRows={2}>
          {(u) =>
            u.canDelete ? (
              <Text size="sm">Nothing refers to {department.name} yet, so it can be deleted for good. This cannot be undone.</Text>
            ) : (
              <Stack gap="sm">
                <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title={`${department.name} cannot be deleted`}>
                  <List size="sm" spacing={2}>
                    {u.openTotal > 0 && (
                      <List.Item>
                        {plural(u.openTotal, 'open work item')} {u.openTotal === 1 ? 'goes' : 'go'} through it.
                      </List.Item>
                    )}
                    {u.closedTotal > 0 && <List.Item>The history of {plural(u.closedTotal, 'completed or cancelled item')} names it.</List.Item>}
                    {u.references.map((r) => (
                      <List.Item key={r}>{r} uses it.</List.Item>
                    ))}
                  </List>
                  <Text size="sm" mt="xs">
                    {department.active
                      ? 'Deactivate it instead: it disappears from department lists and history keeps its name.'
                      : 'It is inactive already, which hides it from department lists; history keeps its name.'}
                  </Text>
                </Alert>
                {u.openTotal > 0 && <AffectedItems usage={u} />}
              </Stack>
            )
          }
        </QueryView>
        {error && <ErrorAlert title="Not deleted" message={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {canDelete ? 'Cancel' : 'Close'}
          </Button>
          {canDelete && (
            <Button type="submit" color="red" loading={busy}>
              Delete for good
            </Button>
          )}
          {usage.data && !canDelete && department.active && (
            <Button color="red" variant="light" onClick={onDeactivateInstead}>
              Deactivate instead…
            </Button>
          )}
        </Group>
      </Stack>
    </FormDialog>
  );
}
