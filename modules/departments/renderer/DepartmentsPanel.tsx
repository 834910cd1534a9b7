import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconBuildingFactory2, IconCheck, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import { ErrorAlert, QueryView } from '../../../src/renderer/src/components/QueryView';
import { dateTime } from '../../../src/renderer/src/format';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { Department } from '../contract';
import { departmentsApi, errorMessage } from './api';
import { DeactivateDialog, DeleteDialog, RenameDialog } from './dialogs';

type Dialog = { kind: 'rename' | 'deactivate' | 'delete'; department: Department };

function AddDepartmentForm({ onAdded }: { onAdded(department: Department): void }) {
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      const created = await departmentsApi('departments.create', { name, code });
      setName('');
      setCode('');
      onAdded(created);
    } catch (err) {
      const fields = err instanceof ApiError && err.code === 'VALIDATION' ? err.fieldErrors() : {};
      if (fields['name'] || fields['code']) setErrors(fields);
      else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="add-department-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={4} id="add-department-title">
            Add department
          </Title>
          <Group align="flex-start" gap="sm" wrap="nowrap">
            <TextInput
              label="Name"
              placeholder="e.g. Non-Destructive Testing"
              required
              maxLength={80}
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
                setErrors(({ name: _, ...rest }) => rest);
              }}
              error={errors['name']}
              style={{ flex: 1 }}
            />
            <TextInput
              label="Code"
              placeholder="e.g. NDT"
              required
              maxLength={12}
              value={code}
              onChange={(e) => {
                setCode(e.currentTarget.value.toUpperCase());
                setErrors(({ code: _, ...rest }) => rest);
              }}
              error={errors['code']}
              w={200}
            />
            <Button type="submit" leftSection={<IconPlus size={16} />} loading={busy} mt={25}>
              Add department
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            The code is how workflows and templates refer to the department: capital letters, digits, - and _. It cannot be changed
            later. Names are unique, ignoring upper and lower case.
          </Text>
          {formError && <ErrorAlert title="Not added" message={formError} />}
        </Stack>
      </form>
    </Paper>
  );
}

/** An icon button: its accessible name says which department; the native tooltip says what it does. */
function RowAction({ label, hint, color, disabled, onClick, children }: { label: string; hint: string; color?: string; disabled: boolean; onClick(): void; children: ReactNode }) {
  return (
    <ActionIcon
      variant="subtle"
      color={color}
      aria-label={label}
      title={hint}
      disabled={disabled}
      onClick={onClick}
      // Mantine greys a disabled button's background; a faded icon says enough in a row of them.
      style={disabled ? { background: 'transparent' } : undefined}
    >
      {children}
    </ActionIcon>
  );
}

function DepartmentRow({
  department,
  index,
  count,
  busy,
  onMove,
  onDialog,
  onReactivate,
}: {
  department: Department;
  index: number;
  count: number;
  busy: boolean;
  onMove(delta: -1 | 1): void;
  onDialog(kind: Dialog['kind']): void;
  onReactivate(): void;
}) {
  const { name, active } = department;
  return (
    <Table.Tr style={active ? undefined : { background: 'var(--mantine-color-default-hover)' }}>
      <Table.Td c="dimmed">{index + 1}</Table.Td>
      <Table.Td fw={600} c={active ? undefined : 'dimmed'}>
        {name}
      </Table.Td>
      <Table.Td>
        <Badge variant="outline" radius="sm" color={active ? undefined : 'gray'}>
          {department.code}
        </Badge>
      </Table.Td>
      <Table.Td>
        {active ? (
          <Badge variant="light" color="teal" radius="sm">
            Active
          </Badge>
        ) : (
          <Badge
            variant="light"
            color="gray"
            radius="sm"
            title={department.deactivatedAt ? `Inactive since ${dateTime(department.deactivatedAt)}` : undefined}
          >
            Inactive
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <RowAction label={`Move ${name} up`} hint="Move up" color="gray" disabled={busy || index === 0} onClick={() => onMove(-1)}>
            <IconArrowUp size={18} />
          </RowAction>
          <RowAction label={`Move ${name} down`} hint="Move down" color="gray" disabled={busy || index === count - 1} onClick={() => onMove(1)}>
            <IconArrowDown size={18} />
          </RowAction>
          <RowAction label={`Rename ${name}`} hint="Rename" disabled={busy} onClick={() => onDialog('rename')}>
            <IconPencil size={18} />
          </RowAction>
          {active ? (
            <Button size="compact-sm" variant="subtle" color="gray" w={96} aria-label={`Deactivate ${name}`} disabled={busy} onClick={() => onDialog('deactivate')}>
              Deactivate
            </Button>
          ) : (
            <Button size="compact-sm" variant="subtle" color="teal" w={96} aria-label={`Reactivate ${name}`} disabled={busy} onClick={onReactivate}>
              Reactivate
            </Button>
          )}
          <RowAction label={`Delete ${name}`} hint="Delete" color="red" disabled={busy} onClick={() => onDialog('delete')}>
            <IconTrash size={18} />
          </RowAction>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** The admins' panel: departments in order, with add, rename, reorder, deactivate and delete. */
export function DepartmentsPanel() {
  const list = useQuery(() => departmentsApi('departments.list', { includeInactive: true }), []);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const done = (message: string) => {
    setDialog(null);
    setError(null);
    setNotice(message);
    list.reload();
  };

  const run = async (action: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
      done(message);
    } catch (err) {
      setError(errorMessage(err));
      list.reload();
    } finally {
      setBusy(false);
    }
  };

  const move = (all: Department[], index: number, delta: -1 | 1) => {
    const ids = all.map((d) => d.id);
    const other = index + delta;
    [ids[index], ids[other]] = [ids[other]!, ids[index]!];
    const d = all[index]!;
    return run(() => departmentsApi('departments.reorder', { ids }), `Moved ${d.name} ${delta < 0 ? 'up' : 'down'}.`);
  };

  return (
    <Stack gap="lg" maw={920}>
      <div>
        <Title order={1} size="h2">Departments</Title>
        <Text c="dimmed" size="sm">
          The departments work items move through, in their usual order. A department that work items refer to cannot be deleted;
          deactivate it instead, and history keeps its name.
        </Text>
      </div>
      {notice && (
        <Alert color="teal" variant="light" icon={<IconCheck size={18} />} role="status" withCloseButton onClose={() => setNotice(null)} py="xs">
          {notice}
        </Alert>
      )}
      {error && <ErrorAlert title="Not changed" message={error} />}
      <Paper withBorder radius="md" p="md">
        <QueryView
          query={list}
          isEmpty={(d) => d.length === 0}
          empty={
            <EmptyState
              icon={<IconBuildingFactory2 size={32} />}
              withIndicatorBackground
              title="No departments yet"
              description="Add the first one below."
              py="xl"
            />
          }
        >
          {(all) => (
            <Table aria-label="Departments" verticalSpacing="xs" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={60}>Order</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th w={110}>Code</Table.Th>
                  <Table.Th w={110}>State</Table.Th>
                  <Table.Th w={250}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {all.map((d, i) => (
                  <DepartmentRow
                    key={d.id}
                    department={d}
                    index={i}
                    count={all.length}
                    busy={busy}
                    onMove={(delta) => move(all, i, delta)}
                    onDialog={(kind) => {
                      setNotice(null);
                      setDialog({ kind, department: d });
                    }}
                    onReactivate={() => run(() => departmentsApi('departments.setActive', { id: d.id, active: true }), `Reactivated ${d.name}.`)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryView>
      </Paper>
      <AddDepartmentForm
        onAdded={(d) => {
          setError(null);
          setNotice(`Added ${d.name} (${d.code}) at the end of the order.`);
          list.reload();
        }}
      />
      {dialog?.kind === 'rename' && <RenameDialog department={dialog.department} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'deactivate' && <DeactivateDialog department={dialog.department} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'delete' && (
        <DeleteDialog
          department={dialog.department}
          onClose={() => setDialog(null)}
          onDone={done}
          onDeactivateInstead={() => setDialog({ kind: 'deactivate', department: dialog.department })}
        />
      )}
    </Stack>
  );
}
