import { Alert, Button, Group, List, ScrollArea, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { BulkSignOffResult, TransitionHint, WorkItem } from '../../../../shared/types';
import { core } from '../../api/client';
import { FormDialog } from '../../components/FormDialog';
import { COMMENT_LIMIT } from '../../../../shared/limits';
import { CharacterCount, overLimit } from '../../components/LimitedText';
import { NeedsServer } from '../../components/NeedsServer';
import { SignatureField, useSignature } from '../../components/SignatureField';

/** An item as the queue showed it, with what approving it would do and mean (the core's hint). */
export interface ToSign {
  item: WorkItem;
  hint: TransitionHint;
}

interface Props {
  /** The items as they were shown when the review opened: exactly these versions are signed, or none of an item. */
  items: ToSign[];
  onClose(): void;
  /** After the core answered (whatever it signed): the queue re-reads. */
  onSigned(): void;
}

/** "Quality Control → Operations", "Operations → completes", "Quality Control (stays for another sign-off)". */
export function stepChange({ item, hint }: ToSign): string {
  const from = item.steps[item.currentStep ?? 0]?.name ?? '';
  const to = hint.outcome;
  if (!to || to.status === 'completed') return `${from} → completes`;
  if (to.step === item.currentStep) return `${from} (stays for another sign-off)`;
  return `${from} → ${item.steps[to.step ?? 0]?.name ?? ''}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Bulk sign-off: each item listed with what is signed (number, title, step change, the signature's
 * meaning), one comment, one PIN. The request names each item's shown version and step; the answer
 * lists what was signed and what was not, with the reason.
 */
export function BulkSignOffDialog({ items, onClose, onSigned }: Props) {
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<BulkSignOffResult | null>(null);
  const signature = useSignature(items.some((i) => i.hint.signatureRequired));
  const commentsRequired = items.filter((i) => i.hint.commentRequired).length;
  const commentTooLong = overLimit('The comment', comment, COMMENT_LIMIT);
  const ready = !signature.missing && !(commentsRequired > 0 && !comment.trim()) && !commentTooLong;
  const titleOf = (id: number) => items.find((i) => i.item.id === id)?.item.title ?? '';

  const sign = async () => {
    if (result || signature.busy || !ready) return;
    const answer = await signature.sign((signed) =>
      core('workItems.approveMany', {
        items: items.map(({ item }) => ({ id: item.id, expectedVersion: item.version, expectedStep: item.currentStep ?? 0 })),
        ...(comment.trim() ? { comment } : {}),
        ...signed,
      }),
    );
    if (!answer) return;
    setResult(answer);
    onSigned();
  };

  return (
    <FormDialog
      onClose={onClose}
      onSubmit={() => void sign()}
      title={result ? 'Sign-off done' : `Review and sign off ${plural(items.length, 'item')}`}
      size="xl"
      actions={
        // Keyed apart, so that the Close button is a new one and takes the focus (autoFocus works when it mounts).
        result ? (
          <Group key="done" justify="flex-end">
            <Button onClick={onClose} autoFocus>
              Close
            </Button>
          </Group>
        ) : (
          <Group key="signing" justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Back
            </Button>
            <NeedsServer>
              <Button type="submit" color="teal" loading={signature.busy} disabled={!ready}>
                Sign off {plural(items.length, 'item')}
              </Button>
            </NeedsServer>
          </Group>
        )
      }
    >
      {result ? (
        <Stack gap="md">
          {result.approved.length > 0 && (
            <Alert color="teal" variant="light" title={`Signed off: ${plural(result.approved.length, 'item')}`} role="status">
              <List size="sm" spacing={2}>
                {result.approved.map((i) => (
                  <List.Item key={i.id}>
                    #{i.id} · {i.title}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          {result.refused.length > 0 && (
            <Alert color="orange" variant="light" title={`Not signed: ${plural(result.refused.length, 'item')} (nothing was done to them)`} role="alert">
              <List size="sm" spacing={4}>
                {result.refused.map((r) => (
                  <List.Item key={r.id}>
                    #{r.id} · {titleOf(r.id)}: {r.message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm">
            You sign each item below as it is shown here; each gets its own signed record. An item that changes before you sign is not signed.
          </Text>
          <ScrollArea.Autosize mah="40vh" type="auto" offsetScrollbars>
            <Table aria-label="Items to sign off" verticalSpacing="xs" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={70}>No.</Table.Th>
                  <Table.Th>Title</Table.Th>
                  <Table.Th>Step</Table.Th>
                  <Table.Th>Signature</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((entry) => (
                  <Table.Tr key={entry.item.id}>
                    <Table.Td>#{entry.item.id}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600} lineClamp={2}>
                        {entry.item.title}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{stepChange(entry)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{entry.hint.signatureMeaning ?? (entry.hint.signatureRequired ? 'E-signature' : 'No e-signature')}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          <Textarea
            label="Comment"
            description={commentsRequired ? `Required: the rules of ${plural(commentsRequired, 'item')} ask for one. It goes with every item.` : 'Optional; it goes with every item.'}
            required={commentsRequired > 0}
            autosize
            minRows={2}
            maxRows={8}
            value={comment}
            error={commentTooLong}
            onChange={(e) => setComment(e.currentTarget.value)}
          />
          {comment.length > COMMENT_LIMIT * 0.8 && <CharacterCount length={comment.length} limit={COMMENT_LIMIT} id="bulk-comment-count" />}
          <SignatureField
            signature={signature}
            meaning={`One electronic signature under your name for each of the ${plural(items.length, 'item')} listed.`}
            errorTitle={(e) => (e.code === 'INTERNAL' ? 'Not confirmed' : 'Nothing was signed')}
          />
        </Stack>
      )}
    </FormDialog>
  );
}
