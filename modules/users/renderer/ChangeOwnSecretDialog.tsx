import { Alert, Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import { ErrorAlert } from '../../../src/renderer/src/components/QueryView';
import { SECRET_RULE_TEXT } from '../secretRule';
import { errorMessage, usersApi } from './api';

type Field = 'current' | 'secret' | 'confirm';

/** The signed-in person sets a new PIN or password, proving the current one. */
export function ChangeOwnSecretDialog({ onClose }: { onClose(): void }) {
  const [form, setForm] = useState<Record<Field, string>>({ current: '', secret: '', confirm: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const set = (key: Field, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors(({ [key]: _, ...rest }) => rest);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.secret !== form.confirm) return setErrors({ confirm: 'The two entries differ; type the same new PIN or password twice' });
    setBusy(true);
    setFormError(null);
    try {
      await usersApi('users.changeOwnSecret', form);
      setDone(true);
    } catch (err) {
      const fields = err instanceof ApiError && err.code === 'VALIDATION' ? err.fieldErrors() : {};
      if (Object.keys(fields).length) setErrors(fields);
      else if (err instanceof ApiError && err.code === 'FORBIDDEN') setErrors({ current: errorMessage(err) });
      else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Change my PIN or password" centered>
      {done ? (
        <Stack gap="sm">
          <Alert color="teal" icon={<IconCheck size={18} />} title="Changed">
            Use the new PIN or password from now on, to sign in and to sign approvals.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <PasswordInput
              label="Current PIN or password"
              autoComplete="current-password"
              value={form.current}
              onChange={(e) => set('current', e.currentTarget.value)}
              error={errors.current}
              data-autofocus
            />
            <PasswordInput
              label="New PIN or password"
              description={SECRET_RULE_TEXT}
              autoComplete="new-password"
              value={form.secret}
              onChange={(e) => set('secret', e.currentTarget.value)}
              error={errors.secret}
            />
            <PasswordInput label="The new one again" autoComplete="new-password" value={form.confirm} onChange={(e) => set('confirm', e.currentTarget.value)} error={errors.confirm} />
            {formError && <ErrorAlert title="Not changed" message={formError} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Back
              </Button>
              <Button type="submit" loading={busy} disabled={!form.current || !form.secret}>
                Change
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
