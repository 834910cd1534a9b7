import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { DirectoryEntry } from '../contract';
import { errorMessage, usersApi } from './api';
import { SignInForm } from './SignInForm';
import { useSessionStore } from './sessionStore';
import { FullWindowCard } from '../../../src/renderer/src/components/FullWindowCard';

/** Over the locked screen (which stays as it was underneath): the same person's PIN, or someone else signs in. */
export function LockScreen({ user }: { user: DirectoryEntry }) {
  const { set: setSession, switching, setSwitching } = useSessionStore();
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (switching) {
    return (
      <FullWindowCard title="Switch user" subtitle={`${user.name}'s work stays locked until they sign in again.`}>
        <SignInForm onCancel={() => setSwitching(false)} />
      </FullWindowCard>
    );
  }

  const unlock = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSession(await usersApi('users.signIn', { userId: user.id, secret }));
    } catch (err) {
      setError(errorMessage(err));
      setSecret('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <FullWindowCard title="Locked" subtitle={`${user.name} (${user.number}) is signed in here. Enter the PIN or password to go on where you left off.`}>
      <form onSubmit={unlock} noValidate aria-label="Unlock">
        <Stack gap="sm">
          <PasswordInput
            label={`PIN or password for ${user.name}`}
            leftSection={<IconLock size={16} />}
            autoComplete="current-password"
            autoFocus
            value={secret}
            onChange={(e) => setSecret(e.currentTarget.value)}
          />
          {error && (
            <Alert color="red" variant="light" role="alert" title="Still locked">
              {error}
            </Alert>
          )}
          <Group justify="space-between">
            <Button variant="default" onClick={() => setSwitching(true)}>
              Switch user
            </Button>
            <Button type="submit" loading={busy} disabled={!secret}>
              Unlock
            </Button>
          </Group>
        </Stack>
      </form>
    </FullWindowCard>
  );
}
