import { Badge, Button, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconKey, IconLock, IconLogout, IconShieldLock, IconUserCircle, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useAppStore } from '../../../src/renderer/src/stores/appStore';
import { ROLE_COLOR, ROLE_LABEL } from './api';
import { ChangeOwnSecretDialog } from './ChangeOwnSecretDialog';
import { NewRecoveryCodeDialog } from './RecoveryCode';
import { useSessionStore } from './sessionStore';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** Top right of the main window: who is signed in here, with Lock, Switch user and Sign out. */
export function UserMenu() {
  const actor = useAppStore((s) => s.status?.actor);
  const { lock, switchUser, signOut } = useSessionStore();
  const [changingSecret, setChangingSecret] = useState(false);
  const [newCode, setNewCode] = useState(false);
  if (!actor) return null;
  const role = (actor.role ?? 'staff') as keyof typeof ROLE_LABEL;
  return (
    <Group gap="xs">
      <Button variant="default" size="sm" leftSection={<IconLock size={16} />} onClick={() => void lock()} title={`Lock this terminal (${isMac ? '⌘' : 'Ctrl+'}L)`}>
        Lock
      </Button>
      {/* Beside the menu button, not in it: the button's name ("Signed in: <name>. Menu") holds all the text it shows. */}
      <Badge size="sm" variant="light" color={ROLE_COLOR[role] ?? 'gray'} radius="sm" tt="none">
        {ROLE_LABEL[role] ?? role}
      </Badge>
      <Menu position="bottom-end" width={280} shadow="md">
        <Menu.Target>
          <UnstyledButton
            aria-label={`Signed in: ${actor.name}. Menu`}
            px="sm"
            py={6}
            style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }}
          >
            <Group gap={6} wrap="nowrap">
              <IconUserCircle size={18} />
              <Text size="sm" fw={600}>
                {actor.name}
              </Text>
              <IconChevronDown size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            {actor.name} · {actor.number}
            <br />
            {actor.departments?.length ? actor.departments.join(', ') : 'No department'}
          </Menu.Label>
          <Menu.Item leftSection={<IconLock size={16} />} rightSection={<Text size="xs" c="dimmed">{isMac ? '⌘L' : 'Ctrl+L'}</Text>} onClick={() => void lock()}>
            Lock
          </Menu.Item>
          <Menu.Item leftSection={<IconUsers size={16} />} onClick={() => void switchUser()}>
            Switch user
          </Menu.Item>
          <Menu.Item leftSection={<IconKey size={16} />} onClick={() => setChangingSecret(true)}>
            Change my PIN or password…
          </Menu.Item>
          {actor.role === 'admin' && (
            <Menu.Item leftSection={<IconShieldLock size={16} />} onClick={() => setNewCode(true)}>
              New recovery code…
            </Menu.Item>
          )}
          <Menu.Divider />
          <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void signOut()}>
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {changingSecret && <ChangeOwnSecretDialog onClose={() => setChangingSecret(false)} />}
      {newCode && <NewRecoveryCodeDialog name={actor.name} onClose={() => setNewCode(false)} />}
    </Group>
  );
}
