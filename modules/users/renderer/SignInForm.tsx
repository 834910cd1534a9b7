import { Alert, Anchor, Badge, Button, Group, PasswordInput, ScrollArea, Skeleton, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconSearch, IconUser } from '@tabler/icons-react';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { ErrorAlert } from '../../../src/renderer/src/components/QueryView';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { DirectoryEntry } from '../contract';
import { errorMessage, usersApi } from './api';
import { useSessionStore } from './sessionStore';

const SHOWN = 60;

/** Pick a name from the list (searchable) or type a number, then the PIN. Used to sign in and to switch user. */
export function SignInForm({ onCancel }: { onCancel?: () => void }) {
  const setSession = useSessionStore((s) => s.set);
  const people = useQuery(() => usersApi('users.directory', {}), []);
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<DirectoryEntry | null>(null);
  const [typeNumber, setTypeNumber] = useState(false);
  const [number, setNumber] = useState('');
  const [secret, setSecret] = useState('');
  /** An administrator locked out everywhere signs in with their one-time recovery code instead of the PIN. */
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);

  const matches = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (people.data ?? []).filter((p) => !needle || p.name.toLowerCase().includes(needle) || p.number.toLowerCase().includes(needle));
  }, [people.data, search]);

  const pick = (person: DirectoryEntry) => {
    setPicked(person);
    setError(null);
    setSecret('');
    setTimeout(() => pinRef.current?.focus(), 0);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const who = typeNumber ? { number } : { userId: picked!.id };
      setSession(recovery ? await usersApi('users.signInWithRecoveryCode', { ...who, code: secret }) : await usersApi('users.signIn', { ...who, secret }));
    } catch (err) {
      setError(errorMessage(err));
      setSecret('');
    } finally {
      setBusy(false);
    }
  };

  const ready = (typeNumber ? number.trim() !== '' : picked !== null) && secret !== '';

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {typeNumber ? (
          <TextInput label="Employee or licence number" value={number} onChange={(e) => setNumber(e.currentTarget.value)} autoFocus maxLength={30} />
        ) : (
          <>
            <TextInput
              label="Who are you?"
              placeholder="Search by name or number"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              autoFocus
            />
            {people.error && !people.data ? (
              <ErrorAlert title="Could not load the list of people" message={people.error.message} onRetry={people.reload} />
            ) : !people.data ? (
              <Stack gap={6} aria-busy="true" aria-label="Loading">
                {[0, 1, 2].map((i) => (
                  <Skeleton key={i} height={40} radius="sm" />
                ))}
              </Stack>
            ) : matches.length === 0 ? (
              <Text size="sm" c="dimmed" py="sm">
                {search ? `Nobody matches “${search}”.` : 'Nobody can sign in yet: an administrator adds people in Settings → Users.'}
              </Text>
            ) : (
              <ScrollArea.Autosize mah={260} type="auto">
                <Stack gap={4} role="listbox" aria-label="People">
                  {matches.slice(0, SHOWN).map((p) => {
                    const selected = picked?.id === p.id;
                    return (
                      <UnstyledButton
                        key={p.id}
                        role="option"
                        aria-selected={selected}
                        onClick={() => pick(p)}
                        px="sm"
                        py={8}
                        style={{
                          borderRadius: 8,
                          border: `1px solid var(--mantine-color-${selected ? 'indigo-5' : 'default-border'})`,
                          background: selected ? 'var(--mantine-color-indigo-0)' : undefined,
                        }}
                      >
                        <Group justify="space-between" wrap="nowrap">
                          <Group gap="xs" wrap="nowrap">
                            <IconUser size={16} />
                            <Text size="sm" fw={600}>
                              {p.name}
                            </Text>
                          </Group>
                          <Badge variant="outline" color="gray" radius="sm" tt="none">
                            {p.number}
                          </Badge>
                        </Group>
                      </UnstyledButton>
                    );
                  })}
                  {matches.length > SHOWN && (
                    <Text size="xs" c="dimmed" ta="center">
                      {matches.length - SHOWN} more: type to narrow the list.
                    </Text>
                  )}
                </Stack>
              </ScrollArea.Autosize>
            )}
          </>
        )}
        <Anchor component="button" type="button" size="sm" onClick={() => setTypeNumber((t) => !t)} ta="left">
          {typeNumber ? 'Pick my name from the list instead' : 'Type my number instead'}
        </Anchor>
        {recovery ? (
          <TextInput
            ref={pinRef}
            label={picked && !typeNumber ? `Recovery code for ${picked.name}` : 'Recovery code'}
            description="The one-time code an administrator got when their account was set up (e.g. 7KQ2M-9XH4T-PZ3WD-6RNVB)."
            autoComplete="off"
            spellCheck={false}
            value={secret}
            onChange={(e) => setSecret(e.currentTarget.value)}
          />
        ) : (
          <PasswordInput
            ref={pinRef}
            label={picked && !typeNumber ? `PIN or password for ${picked.name}` : 'PIN or password'}
            autoComplete="current-password"
            value={secret}
            onChange={(e) => setSecret(e.currentTarget.value)}
          />
        )}
        {error && (
          <Alert color="red" variant="light" role="alert" title="Not signed in">
            {error}
          </Alert>
        )}
        <Anchor
          component="button"
          type="button"
          size="sm"
          ta="left"
          onClick={() => {
            setRecovery((r) => !r);
            setSecret('');
            setError(null);
          }}
        >
          {recovery ? 'Use my PIN or password instead' : 'Administrator locked out? Use a recovery code'}
        </Anchor>
        <Group justify={onCancel ? 'space-between' : 'flex-end'}>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Back
            </Button>
          )}
          <Button type="submit" loading={busy} disabled={!ready}>
            Sign in
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
