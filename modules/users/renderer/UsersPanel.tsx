import { Alert, Badge, Button, EmptyState, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconLockExclamation, IconSearch, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { ErrorAlert, QueryView } from '../../../src/renderer/src/components/QueryView';
import { dateTime, timeOrDateTime } from '../../../src/renderer/src/format';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { TerminalLock, User } from '../contract';
import { departmentsApi, errorMessage, ROLE_COLOR, ROLE_LABEL, usersApi } from './api';
import { ResetSecretDialog, UserDialog } from './UserDialog';

type Dialog = { kind: 'add' } | { kind: 'edit' | 'reset'; user: User };

const isLocked = (user: User) => user.lockedUntil !== null || user.lockedAt.length > 0;

// Badges keep their whole word in a narrow column (the table wraps names instead).
const whole = { flexShrink: 0, overflow: 'visible', minWidth: 'max-content' } as const;

/** Active, inactive or locked out — and where and until when, for a lockout. */
function StateBadge({ user }: { user: User }) {
  if (!user.active) return <Badge variant="light" color="gray" radius="sm" style={whole}>Inactive</Badge>;
  const lock = user.lockedUntil
    ? { color: 'red', where: `everywhere until ${timeOrDateTime(user.lockedUntil)}`, title: 'Too many wrong PINs at several terminals: every terminal refuses them. Unlock or a new PIN lifts it.' }
    : user.lockedAt.length
      ? {
          color: 'orange',
          where: `at ${user.lockedAt.length === 1 ? '1 terminal' : `${user.lockedAt.length} terminals`}`,
          title: `Too many wrong PINs at: ${user.lockedAt.map((l) => `${l.terminal} until ${dateTime(l.until)}`).join('; ')}. Other terminals still let them in.`,
        }
      : null;
  if (!lock) return <Badge variant="light" color="teal" radius="sm" style={whole}>Active</Badge>;
  return (
    <Stack gap={2} title={lock.title}>
      <Badge variant="light" color={lock.color} radius="sm" style={whole}>
        Locked
      </Badge>
      <Text size="xs" c="dimmed">
        {lock.where}
      </Text>
    </Stack>
  );
}

/** Terminals refusing sign-ins (too many wrong ones there): when, and Unlock. Nothing when there are none. */
function LockedTerminals({ locks, busy, onUnlock }: { locks: TerminalLock[]; busy: boolean; onUnlock(terminal: string): void }) {
  if (!locks.length) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconLockExclamation size={20} />} title="Terminals refusing sign-ins" role="region" aria-label="Terminals refusing sign-ins">
      <Stack gap={6}>
        <Text size="sm">Too many wrong PINs or unknown numbers were tried there. Nobody can sign in at them until the time shown, or until you unlock them.</Text>
        {locks.map((l) => (
          <Group key={l.terminal} justify="space-between" wrap="nowrap" gap="sm">
            <Text size="sm" fw={600} style={{ wordBreak: 'break-all' }}>
              {l.terminal}
              <Text span size="sm" fw={400} c="dimmed">
                {' '}
                · {l.failures} wrong · until {timeOrDateTime(l.until)}
              </Text>
            </Text>
            <Button size="compact-sm" variant="white" color="orange" aria-label={`Unlock terminal ${l.terminal}`} disabled={busy} onClick={() => onUnlock(l.terminal)}>
              Unlock
            </Button>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}

/** The administrators' panel: everyone who may sign in, with role, departments and state. */
export function UsersPanel() {
  const list = useQuery(() => usersApi('users.list', { includeInactive: true }), []);
  const terminals = useQuery(() => usersApi('users.lockedTerminals', {}), []);
  const departments = useQuery(() => departmentsApi('departments.list', { includeInactive: true }), []);
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameOf = useMemo(() => new Map((departments.data ?? []).map((d) => [d.code, d.name])), [departments.data]);

  const change = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
      list.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const setActive = (user: User, active: boolean) => change(() => usersApi('users.setActive', { id: user.id, active }));
  const unlock = (user: User) => change(() => usersApi('users.unlock', { id: user.id }));
  const unlockTerminal = (terminal: string) => change(() => usersApi('users.unlockTerminal', { terminal }).then(terminals.reload));
  const saved = () => {
    setDialog(null);
    list.reload();
  };
  const needle = search.trim().toLowerCase();

  return (
    <Stack gap="lg" maw={1040}>
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <div style={{ flex: 1 }}>
          <Title order={1} size="h2">Users</Title>
          <Text c="dimmed" size="sm">
            Everyone who signs in at these terminals. Members of a department approve and reject at its steps; leads also cancel there;
            administrators do everything.
          </Text>
        </div>
        <Button leftSection={<IconUserPlus size={16} />} style={{ flexShrink: 0 }} onClick={() => setDialog({ kind: 'add' })}>
          Add person
        </Button>
      </Group>
      {error && <ErrorAlert title="Not changed" message={error} />}
      <LockedTerminals locks={terminals.data ?? []} busy={busy} onUnlock={(t) => void unlockTerminal(t)} />
      <Paper withBorder radius="md" p="md">
        <QueryView
          query={list}
          isEmpty={(users) => users.length === 0}
          empty={<EmptyState icon={<IconUsers size={32} />} title="Nobody yet" description="Add the people who work at these terminals." />}
        >
          {(users) => {
            const shown = users.filter((u) => !needle || u.name.toLowerCase().includes(needle) || u.number.toLowerCase().includes(needle));
            return (
              <Stack gap="sm">
                <TextInput
                  placeholder="Search by name or number"
                  aria-label="Search users"
                  leftSection={<IconSearch size={16} />}
                  value={search}
                  onChange={(e) => setSearch(e.currentTarget.value)}
                  maw={360}
                />
                {shown.length === 0 ? (
                  <Text size="sm" c="dimmed" py="md">
                    Nobody matches “{search}”.
                  </Text>
                ) : (
                  <Table.ScrollContainer minWidth={640} type="native">
                  <Table aria-label="Users" verticalSpacing="xs">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Name</Table.Th>
                        <Table.Th>Number</Table.Th>
                        <Table.Th>Role</Table.Th>
                        <Table.Th>Departments</Table.Th>
                        <Table.Th>State</Table.Th>
                        <Table.Th />
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {shown.map((u) => (
                        <Table.Tr key={u.id} style={u.active ? undefined : { background: 'var(--mantine-color-default-hover)' }}>
                          <Table.Td fw={600} c={u.active ? undefined : 'dimmed'}>
                            {u.name}
                          </Table.Td>
                          <Table.Td>{u.number}</Table.Td>
                          <Table.Td>
                            <Badge variant="light" color={ROLE_COLOR[u.role]} radius="sm" tt="none" style={whole}>
                              {ROLE_LABEL[u.role]}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{u.departments.length ? u.departments.map((c) => nameOf.get(c) ?? c).join(', ') : '—'}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Stack gap={4} align="flex-start">
                              <StateBadge user={u} />
                              {u.active && isLocked(u) && (
                                <Button size="compact-xs" variant="light" color="orange" aria-label={`Unlock ${u.name}`} disabled={busy} onClick={() => void unlock(u)}>
                                  Unlock
                                </Button>
                              )}
                            </Stack>
                          </Table.Td>
                          <Table.Td>
                            <Group gap={4} justify="flex-end" wrap="nowrap">
                              <Button size="compact-sm" variant="subtle" aria-label={`Edit ${u.name}`} onClick={() => setDialog({ kind: 'edit', user: u })}>
                                Edit
                              </Button>
                              <Button size="compact-sm" variant="subtle" aria-label={`New PIN for ${u.name}`} onClick={() => setDialog({ kind: 'reset', user: u })}>
                                New PIN
                              </Button>
                              {u.active ? (
                                <Button size="compact-sm" variant="subtle" color="gray" aria-label={`Deactivate ${u.name}`} disabled={busy} onClick={() => void setActive(u, false)}>
                                  Deactivate
                                </Button>
                              ) : (
                                <Button size="compact-sm" variant="subtle" color="teal" aria-label={`Reactivate ${u.name}`} disabled={busy} onClick={() => void setActive(u, true)}>
                                  Reactivate
                                </Button>
                              )}
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                  </Table.ScrollContainer>
                )}
              </Stack>
            );
          }}
        </QueryView>
      </Paper>
      {dialog?.kind === 'add' && <UserDialog user={null} onClose={() => setDialog(null)} onSaved={saved} />}
      {dialog?.kind === 'edit' && <UserDialog user={dialog.user} onClose={() => setDialog(null)} onSaved={saved} />}
      {dialog?.kind === 'reset' && <ResetSecretDialog user={dialog.user} onClose={() => setDialog(null)} onSaved={saved} />}
    </Stack>
  );
}
