import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import type { TerminalInfo } from '../../../../shared/siteContract';
import { siteApi } from '../../api/terminal';
import { QueryView } from '../../components/QueryView';
import { age, dateTime } from '../../format';
import { useQuery } from '../../hooks/useQuery';
import { useAppStore } from '../../stores/appStore';
import { useTerminalStore } from '../../stores/terminalStore';
import { EnrollmentCodeDialog } from './EnrollmentCodeDialog';
import { RevokeTerminalDialog } from './RevokeTerminalDialog';

const lastSeen = (iso: string | null) => {
  if (!iso) return 'never';
  const ago = age(iso);
  return ago === 'just now' ? ago : `${ago} ago`;
};

/** Each person once: a person signed in at several windows of one terminal counts once. */
const signedIn = (names: string[]) => (names.length ? [...new Set(names)].join(', ') : '—');

/** The site server's terminals: who is where, revoking one, and codes to enroll new ones (administrators). */
export function TerminalsPanel() {
  const caFingerprint = useAppStore((s) => s.status?.site?.caFingerprint ?? null);
  const serverAddress = useTerminalStore((s) => s.terminal?.server ?? null);
  const ownId = useTerminalStore((s) => s.terminal?.terminalId ?? null);
  const list = useQuery(() => siteApi('site.terminals', {}), []);
  const [newCode, setNewCode] = useState(false);
  const [revoking, setRevoking] = useState<TerminalInfo | null>(null);

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">Terminals</Title>
          <Text c="dimmed" size="sm">
            The computers enrolled with this site server.
          </Text>
        </div>
        {caFingerprint && (
          <Button leftSection={<IconKey size={18} />} onClick={() => setNewCode(true)}>
            New enrollment code
          </Button>
        )}
      </Group>
      <Paper withBorder radius="md" p="md">
        <QueryView query={list} isEmpty={(rows) => rows.length === 0} empty={<Text c="dimmed">No terminal is enrolled yet.</Text>}>
          {(rows) => (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="sm" aria-label="Terminals" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th style={{ whiteSpace: 'nowrap' }}>Last seen</Table.Th>
                    <Table.Th>Version</Table.Th>
                    <Table.Th>Address</Table.Th>
                    <Table.Th>Signed in</Table.Th>
                    <Table.Th aria-label="Actions" />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((t) => (
                    <Table.Tr key={t.id} c={t.revokedAt ? 'dimmed' : undefined}>
                      <Table.Td>
                        <Group gap={4}>
                          <Text size="sm" fw={600}>
                            {t.name}
                          </Text>
                          {t.id === ownId && !t.revokedAt && (
                            <Badge size="xs" variant="light" tt="none">
                              this one
                            </Badge>
                          )}
                          {t.revokedAt && (
                            <Badge size="xs" color="red" variant="light" tt="none" title={`Revoked ${dateTime(t.revokedAt)}`}>
                              revoked
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }} title={t.lastSeenAt ? dateTime(t.lastSeenAt) : undefined}>
                          {lastSeen(t.lastSeenAt)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{t.appVersion ?? '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {t.address ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{signedIn(t.signedIn)}</Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        {!t.revokedAt && (
                          <Button size="xs" color="red" variant="subtle" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
                            Revoke
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryView>
      </Paper>
      {newCode && caFingerprint && <EnrollmentCodeDialog address={serverAddress} caFingerprint={caFingerprint} onClose={() => setNewCode(false)} />}
      {revoking && (
        <RevokeTerminalDialog
          terminal={revoking}
          onClose={() => setRevoking(null)}
          onDone={() => {
            setRevoking(null);
            list.reload();
          }}
        />
      )}
    </Stack>
  );
}
