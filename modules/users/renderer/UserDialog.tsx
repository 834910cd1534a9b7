import { Button, Group, MultiSelect, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import { FormDialog } from '../../../src/renderer/src/components/FormDialog';
import { ErrorAlert } from '../../../src/renderer/src/components/QueryView';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { Role, User } from '../contract';
import { SECRET_RULE_TEXT } from '../secretRule';
import { departmentsApi, errorMessage, usersApi } from './api';

const ROLE_OPTIONS = [
  { value: 'staff', label: 'Staff — approves and rejects at their departments' },
  { value: 'lead', label: 'Lead — also cancels items at their departments' },
  { value: 'admin', label: 'Administrator — everything, including settings' },
];

/** Add a person (with their first PIN) or edit one (name, number, role, departments). */
export function UserDialog({ user, onClose, onSaved }: { user: User | null; onClose(): void; onSaved(user: User): void }) {
  const departments = useQuery(() => departmentsApi('departments.list', { includeInactive: true }), []);
  const [form, setForm] = useState({
    name: user?.name ?? '',
    number: user?.number ?? '',
    role: (user?.role ?? 'staff') as Role,
    departments: user?.departments ?? [],
    secret: '',
    confirm: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };

  const submit = async () => {
    if (!user && form.secret !== form.confirm) return setErrors({ confirm: 'The two entries differ; type the same PIN or password twice' });
    setBusy(true);
    setFormError(null);
    try {
      const { name, number, role, departments: codes, secret } = form;
      onSaved(
        user
          ? await usersApi('users.update', { id: user.id, name, number, role, departments: codes })
          : await usersApi('users.create', { name, number, role, departments: codes, secret }),
      );
    } catch (err) {
      const fields = err instanceof ApiError && err.code === 'VALIDATION' ? err.fieldErrors() : {};
      if (Object.keys(fields).some((k) => k in form)) setErrors(fields);
      else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const options = (departments.data ?? []).map((d) => ({ value: d.code, label: d.active ? d.name : `${d.name} (inactive)` }));
  return (
    <FormDialog onClose={onClose} onSubmit={() => void submit()} title={user ? `Edit ${user.name}` : 'Add person'} size="lg">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label="Name" required maxLength={100} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors['name']} data-autofocus />
          <TextInput
            label="Employee or licence number"
            required
            maxLength={30}
            value={form.number}
            onChange={(e) => set('number', e.currentTarget.value)}
            error={errors['number']}
          />
        </Group>
        <Select label="Role" data={ROLE_OPTIONS} value={form.role} onChange={(v) => v && set('role', v as Role)} allowDeselect={false} error={errors['role']} comboboxProps={{ withinPortal: true }} />
        <MultiSelect
          label="Departments"
          description="Members approve and reject at their departments' steps."
          placeholder={departments.data ? (form.departments.length ? undefined : 'None') : 'Loading…'}
          data={options}
          value={form.departments}
          onChange={(v) => set('departments', v)}
          error={errors['departments'] ?? (departments.error ? `Could not load the departments: ${departments.error.message}` : undefined)}
          searchable
          comboboxProps={{ withinPortal: true }}
        />
        {!user && (
          <Group grow align="flex-start">
            <PasswordInput label="First PIN or password" required autoComplete="new-password" value={form.secret} onChange={(e) => set('secret', e.currentTarget.value)} error={errors['secret']} />
            <PasswordInput label="The same again" required autoComplete="new-password" value={form.confirm} onChange={(e) => set('confirm', e.currentTarget.value)} error={errors['confirm']} />
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
