import { Button, Group, MultiSelect, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import { FormDialog } from '../../../src/renderer/src/components/FormDialog';
import { ErrorAlert } from '../../../src/renderer/src/components/QueryView';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { Role, User } from '../contract';
import { nameProblem, numberProblem } from '../personRule';
import { newSecretProblem, SECRET_RULE_TEXT } from '../secretRule';
import { departmentsApi, errorMessage, usersApi } from './api';

const ROLE_OPTIONS = [
  { value: 'staff', label: 'Staff — approves and rejects at their departments' },
  { value: 'lead', label: 'Lead — also cancels items at their departments' },
  { value: 'admin', label: 'Administrator — everything, including settings' },
];

interface Values {
  name: string;
  number: string;
  role: Role;
  departments: string[];
  secret: string;
  confirm: string;
}

/** The fields in the order they stand, so a failed save focuses the first one in error. */
const FIELDS: (keyof Values)[] = ['name', 'number', 'role', 'departments', 'secret', 'confirm'];

/**
 * Add a person (with their first PIN) or edit one (name, number, role, departments). The form
 * checks what the core will (the same rules, from personRule.ts and secretRule.ts) before it asks;
 * the core stays the judge, and its field errors land on their fields.
 */
export function UserDialog({ user, onClose, onSaved }: { user: User | null; onClose(): void; onSaved(user: User): void }) {
  const departments = useQuery(() => departmentsApi('departments.list', { includeInactive: true }), []);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm<Values>({
    name: 'person',
    initialValues: {
      name: user?.name ?? '',
      number: user?.number ?? '',
      role: user?.role ?? 'staff',
      departments: user?.departments ?? [],
      secret: '',
      confirm: '',
    },
    validate: {
      name: nameProblem,
      number: numberProblem,
      // An edit sets no PIN (that is "New PIN" in the list).
      secret: (v) => (user ? null : newSecretProblem(v)),
      confirm: (v, values) => (user || v === values.secret ? null : 'The two entries differ; type the same PIN or password twice'),
    },
  });
  const focusFirstError = (errors: Record<string, unknown>) => {
    const first = FIELDS.find((f) => errors[f]);
    if (first) form.getInputNode(first)?.focus();
  };

  const submit = async () => {
    if (busy) return;
    setFormError(null);
    const checked = form.validate();
    if (checked.hasErrors) return focusFirstError(checked.errors);
    setBusy(true);
    try {
      const { name, number, role, departments: codes, secret } = form.getValues();
      onSaved(
        user
          ? await usersApi('users.update', { id: user.id, name, number, role, departments: codes })
          : await usersApi('users.create', { name, number, role, departments: codes, secret }),
      );
    } catch (err) {
      const fields = err instanceof ApiError && err.code === 'VALIDATION' ? err.fieldErrors() : {};
      const known = Object.fromEntries(Object.entries(fields).filter(([k]) => (FIELDS as string[]).includes(k)));
      if (Object.keys(known).length) {
        form.setErrors(known);
        focusFirstError(known);
      } else {
        setFormError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const options = (departments.data ?? []).map((d) => ({ value: d.code, label: d.active ? d.name : `${d.name} (inactive)` }));
  const chosen = form.values.departments;
  return (
    <FormDialog onClose={onClose} onSubmit={() => void submit()} title={user ? `Edit ${user.name}` : 'Add person'} size="lg">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label="Name" required {...form.getInputProps('name')} data-autofocus />
          <TextInput label="Employee or licence number" required {...form.getInputProps('number')} />
        </Group>
        <Select label="Role" data={ROLE_OPTIONS} allowDeselect={false} comboboxProps={{ withinPortal: true }} {...form.getInputProps('role')} />
        <MultiSelect
          label="Departments"
          description="Members approve and reject at their departments' steps."
          placeholder={departments.data ? (chosen.length ? undefined : 'None') : 'Loading…'}
          data={options}
          searchable
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('departments')}
          error={form.errors['departments'] ?? (departments.error ? `Could not load the departments: ${departments.error.message}` : undefined)}
        />
        {!user && (
          <Group grow align="flex-start">
            <PasswordInput label="First PIN or password" required autoComplete="new-password" {...form.getInputProps('secret')} />
            <PasswordInput label="The same again" required autoComplete="new-password" {...form.getInputProps('confirm')} />
          </Group>
        )}
        {!user && (
          <Text size="xs" c="dimmed" mt={-6}>
            {SECRET_RULE_TEXT} The person signs in with it and uses it to sign approvals.
          </Text>
        )}
        {formError && <ErrorAlert title="Not saved" message={formError} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button type="submit" loading={busy}>
            {user ? 'Save' : 'Add person'}
          </Button>
        </Group>
      </Stack>
    </FormDialog>
  );
}

/** An administrator sets a new PIN or password (and so lifts a lockout). */
export function ResetSecretDialog({ user, onClose, onSaved }: { user: User; onClose(): void; onSaved(user: User): void }) {
  const [secret, setSecret] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (secret !== confirm) return setError('The two entries differ; type the same PIN or password twice');
    setBusy(true);
    try {
      onSaved(await usersApi('users.resetSecret', { id: user.id, secret }));
    } catch (err) {
      setError(errorMessage(err).replace(/^secret: /, ''));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog onClose={onClose} onSubmit={() => void submit()} title={`New PIN for ${user.name}`}>
      <Stack gap="sm">
        <PasswordInput label="New PIN or password" description={SECRET_RULE_TEXT} autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.currentTarget.value)} data-autofocus />
        <PasswordInput label="The same again" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button type="submit" loading={busy} disabled={!secret}>
            Set new PIN
          </Button>
        </Group>
      </Stack>
    </FormDialog>
  );
}
