import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import { ErrorAlert } from '../../../src/renderer/src/components/QueryView';
import { usersApi, errorMessage } from './api';
import { useSessionStore } from './sessionStore';
import { FullWindowCard } from '../../../src/renderer/src/components/FullWindowCard';

/** First run: nobody has an account yet, so the first person becomes the administrator. */
export function FirstRunSetup({ secretRule }: { secretRule: string }) {
  const setSession = useSessionStore((s) => s.set);
  const [form, setForm] = useState({ name: '', number: '', secret: '', confirm: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (key: keyof typeof form) => ({
    value: form[key],
    error: errors[key],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setForm((f) => ({ ...f, [key]: value }));
      setErrors(({ [key]: _, ...rest }) => rest);
    },
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFormError(null);
    try {
      setSession(await usersApi('users.setupFirstAdmin', form));
    } catch (err) {
      const fields = err instanceof ApiError && err.code === 'VALIDATION' ? err.fieldErrors() : {};
      if (Object.keys(fields).some((k) => k in form)) setErrors(fields);
      else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FullWindowCard
      title="Set up the first administrator"
      subtitle="Nobody has an account here yet. You become the administrator: afterwards you add everyone else in Settings → Users."
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Your name" required maxLength={100} autoComplete="name" data-autofocus autoFocus {...field('name')} />
          <TextInput label="Employee or licence number" required maxLength={30} description="You sign in with it; it must be unique." {...field('number')} />
          <PasswordInput label="PIN or password" required description={secretRule} autoComplete="new-password" {...field('secret')} />
          <PasswordInput label="The same again" required autoComplete="new-password" {...field('confirm')} />
          {formError && <ErrorAlert title="Not set up" message={formError} />}
          <Button type="submit" loading={busy} mt="xs">
            Create administrator and sign in
          </Button>
        </Stack>
      </form>
    </FullWindowCard>
  );
}
