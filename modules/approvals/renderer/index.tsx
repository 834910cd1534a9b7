import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import { apiFor } from '../../../src/renderer/src/api/client';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import { dateTime } from '../../../src/renderer/src/format';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { ItemSectionProps, RendererModule } from '../../../src/renderer/src/moduleTypes';
import type { approvalsContract, ApprovalRules } from '../contract';

const approvals = apiFor<typeof approvalsContract>();

function RuleBadges({ rules }: { rules: ApprovalRules | null }) {
  const list = [
    rules?.commentOnEveryAction && 'Comment on every action',
    !rules?.commentOnEveryAction && rules?.commentOnReject && 'Comment on rejection',
    rules?.noSelfApproval && 'No self-approval',
  ].filter((x): x is string => Boolean(x));
  if (!list.length) return <Text size="sm" c="dimmed">No extra rules.</Text>;
  return (
    <Group gap={6} aria-label="Approval rules">
      {list.map((r) => (
        <Badge key={r} variant="outline" radius="sm" tt="none">
          {r}
        </Badge>
      ))}
    </Group>
  );
}

/** The formal sign-off record of an item: who signed what, when, and what it meant. */
function SignoffRecord({ item }: ItemSectionProps) {
  const records = useQuery(() => approvals('approvals.records', { itemId: item.id }), [item.id, item.version]);
  const rules = useQuery(() => approvals('approvals.rules', { itemId: item.id }), [item.id]);
  return (
    <Paper withBorder radius="md" p="lg" aria-label="Sign-off record">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Sign-off record</Title>
        {rules.data !== undefined && <RuleBadges rules={rules.data} />}
      </Group>
      <QueryView
        query={records}
        skeletonRows={2}
        isEmpty={(r) => r.length === 0}
        empty={<Text size="sm" c="dimmed">No approvals or rejections yet.</Text>}
      >
        {(rows) => (
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Signed by</Table.Th>
                <Table.Th>Meaning</Table.Th>
                <Table.Th>Comment</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Text size="sm">{dateTime(r.at)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {r.signer.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={r.action === 'reject' ? 'orange.8' : undefined}>
                      {r.meaning}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {r.comment ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryView>
    </Paper>
  );
}

const approvalsRenderer: RendererModule = {
  name: 'approvals',
  itemSections: [{ id: 'signoff-record', component: SignoffRecord }],
  printSections: [{ id: 'signoff-record', component: SignoffRecord }],
};

export default approvalsRenderer;
