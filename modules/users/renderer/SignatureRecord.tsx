import { Badge, Group, Paper, Text, Title } from '@mantine/core';
import { IconSignature } from '@tabler/icons-react';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import { RecordTable } from '../../../src/renderer/src/components/RecordTable';
import { dateTime } from '../../../src/renderer/src/format';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { ItemSectionProps } from '../../../src/renderer/src/moduleTypes';
import { ROLE_LABEL, usersApi } from './api';

/** The e-signatures on an item: who signed, their number and role, where, when, and what it meant. Never edited. */
export function SignatureRecord({ item }: ItemSectionProps) {
  const records = useQuery(() => usersApi('users.signatures', { itemId: item.id }), [item.id, item.version], { items: [item.id] });
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label="Electronic signatures">
      <Group gap="xs" mb="sm">
        <IconSignature size={20} />
        <Title order={4}>Electronic signatures</Title>
      </Group>
      <QueryView query={records} skeletonRows={2} isEmpty={(r) => r.length === 0} empty={<Text size="sm" c="dimmed">Nothing signed yet.</Text>}>
        {(rows) => (
          <RecordTable
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              { header: 'Signed', cell: (r) => dateTime(r.signedAt) },
              {
                header: 'Signer',
                cell: (r) => (
                  <>
                    <Text size="sm" fw={600}>
                      {r.signer.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {r.signer.number}
                    </Text>
                  </>
                ),
              },
              {
                header: 'Role',
                cell: (r) => (
                  <Badge variant="light" color="gray" radius="sm" tt="none">
                    {ROLE_LABEL[r.signer.role as keyof typeof ROLE_LABEL] ?? r.signer.role}
                  </Badge>
                ),
              },
              { header: 'Department', cell: (r) => r.department },
              {
                header: 'Meaning',
                cell: (r) => (
                  <Text size="sm" c={r.action === 'reject' || r.action === 'cancel' ? 'orange' : undefined}>
                    {r.meaning}
                  </Text>
                ),
              },
            ]}
          />
        )}
      </QueryView>
    </Paper>
  );
}
