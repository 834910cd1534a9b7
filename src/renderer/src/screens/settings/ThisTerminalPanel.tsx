import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ConnectionState } from '../../../../shared/terminalContract';
import { Fingerprint } from '../../components/Fingerprint';
import { timeOrDateTime } from '../../format';
import { useAppStore } from '../../stores/appStore';
import { useTerminalStore } from '../../stores/terminalStore';
import { SwitchModeDialog } from './SwitchModeDialog';

const CONNECTION: Record<ConnectionState, { color: string; label: string }> = {
  connected: { color: 'teal', label: 'Connected' },
  connecting: { color: 'blue', label: 'Connecting' },
  unreachable: { color: 'orange', label: 'Unreachable' },
  refused: { color: 'red', label: 'Refused' },
};

/** How this terminal works: standalone on its own database, or a site terminal and its connection. */
export function ThisTerminalPanel() {
  const terminal = useTerminalStore((s) => s.terminal);
  const canAdminister = useAppStore((s) => s.status?.canAdminister ?? false);
  const [switching, setSwitching] = useState(false);
  if (!terminal) return null;
  const site = terminal.mode === 'site';
  const connection = CONNECTION[terminal.connection];
  const row = (label: string, value: React.ReactNode) => (
    <Table.Tr>
      <Table.Th w={200} fw={500} c="dimmed">
        {label}
      </Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
  return (
    <Stack gap="lg" maw={820}>
      <div>
        <Title order={1} size="h2">This terminal</Title>
        <Text c="dimmed" size="sm">
          {site
            ? 'This terminal keeps no data of its own: everything is on the site server it is enrolled with.'
            : 'This terminal works on its own database, in its data folder.'}
        </Text>
      </div>
      <Paper withBorder radius="md" p="lg">
        <Table variant="vertical" layout="fixed" withRowBorders={false} verticalSpacing="sm">
          <Table.Tbody>
            {row('Mode', site ? 'Site terminal' : 'Standalone')}
            {site && row('Name', terminal.name ?? '—')}
            {site && row('Site server', <Text ff="monospace" size="sm">{terminal.server ?? '—'}</Text>)}
            {site &&
              row(
                'Connection',
                <Stack gap={4}>
                  <Group gap="xs">
                    <Badge color={connection.color} variant="light">
                      {connection.label}
                    </Badge>
                    <Text size="sm" c="dimmed">
                      since {timeOrDateTime(terminal.since)}
                    </Text>
                  </Group>
                  {terminal.problem && <Text size="sm">{terminal.problem}</Text>}
                </Stack>,
              )}
            {site &&
              row(
                'Pinned certificate (SHA-256)',
                terminal.caFingerprint ? <Fingerprint value={terminal.caFingerprint} label="Pinned certificate fingerprint" size="sm" /> : '—',
              )}
            {row('App version', terminal.appVersion)}
          </Table.Tbody>
        </Table>
      </Paper>
      {canAdminister && (
        <Group>
          <Button variant="default" onClick={() => setSwitching(true)}>
            {site ? 'Make this terminal standalone…' : 'Connect this terminal to a site server…'}
          </Button>
        </Group>
      )}
      {switching && <SwitchModeDialog to={site ? 'standalone' : 'site'} onClose={() => setSwitching(false)} />}
    </Stack>
  );
}
