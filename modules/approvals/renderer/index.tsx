import { Badge, Group, Paper, Text, Title } from '@mantine/core';
import { IconSignature } from '@tabler/icons-react';
import type { z } from 'zod';
import { ApiError, apiFor } from '../../../src/renderer/src/api/client';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import { RecordTable } from '../../../src/renderer/src/components/RecordTable';
import { dateTime } from '../../../src/renderer/src/format';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { ItemSectionProps, RendererModule } from '../../../src/renderer/src/moduleTypes';
import type { Channel } from '../../../src/shared/channel';
import type { approvalsContract, ApprovalRules } from '../contract';
import { signoffRows, type ESignature } from './signoffRows';

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

/** The e-signature channel of a sign-in module, if one is on (described here, never imported). */
const signIn = apiFor<{ 'users.signatures': Channel<z.ZodType<{ itemId: number }>, ESignature[]> }>();
const ROLE_LABEL: Record<string, string> = { staff: 'Staff', lead: 'Lead', admin: 'Administrator' };

/** Signatures if a sign-in module keeps them; null when there is none (switched off or not installed). */
async function signaturesOf(itemId: number): Promise<ESignature[] | null> {
  try {
    return await signIn('users.signatures', { itemId });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'MODULE_DISABLED') return null;
    throw error;
  }
}

/**
 * The formal sign-off record of an item: who signed what, when, and what it meant, with the
 * signer's number, role and e-signature where a sign-in module keeps them.
 */
function SignoffRecord({ item }: ItemSectionProps) {
  const rows = useQuery(
    async () => {
      const [records, signatures] = await Promise.all([approvals('approvals.records', { itemId: item.id }), signaturesOf(item.id)]);
      return { rows: signoffRows(records, signatures), signatures: signatures !== null };
    },
    [item.id, item.version],
    { items: [item.id] },
  );
  const rules = useQuery(() => approvals('approvals.rules', { itemId: item.id }), [item.id], { items: [item.id] });
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label="Sign-off record">
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <IconSignature size={20} />
          <Title order={4}>Sign-off record</Title>
        </Group>
        {rules.data !== undefined && <RuleBadges rules={rules.data} />}
      </Group>
      <QueryView
        query={rows}
        skeletonRows={2}
        isEmpty={(r) => r.rows.length === 0}
        empty={<Text size="sm" c="dimmed">No approvals or rejections yet.</Text>}
      >
        {({ rows: list, signatures }) => (
          <RecordTable
            rows={list}
            rowKey={(r) => r.key}
            columns={[
              { header: 'When', cell: (r) => dateTime(r.at) },
              {
                header: 'Signed by',
                cell: (r) => (
                  <>
                    <Text size="sm" fw={600}>
                      {r.signerName}
                    </Text>
                    {r.signature && (
                      <Text size="xs" c="dimmed">
                        {r.signature.signer.number} · {ROLE_LABEL[r.signature.signer.role] ?? r.signature.signer.role}
                      </Text>
                    )}
                  </>
                ),
              },
              {
                header: 'Meaning',
                cell: (r) => (
                  <Text size="sm" c={r.action === 'reject' || r.action === 'cancel' ? 'orange' : undefined}>
                    {r.meaning}
                  </Text>
                ),
              },
              signatures && {
                header: 'E-signature',
                cell: (r) =>
                  r.signature ? (
                    <Badge variant="light" color="teal" radius="sm" tt="none" title={`PIN or password re-entered at ${r.signature.department}`}>
                      E-signed
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      Not required
                    </Text>
                  ),
              },
              {
                header: 'Comment',
                cell: (r) => (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {r.comment ?? '—'}
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

const approvalsRenderer: RendererModule = {
  name: 'approvals',
  // Replaces a sign-in module's own signature list (same id, higher priority): one record, not two.
  itemSections: [{ id: 'signoff-record', component: SignoffRecord, priority: 10, order: 20 }],
  printSections: [{ id: 'signoff-record', component: SignoffRecord, priority: 10, order: 20 }],
};

export default approvalsRenderer;
