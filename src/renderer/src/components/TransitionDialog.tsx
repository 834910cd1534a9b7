import { Alert, Button, Group, Modal, PasswordInput, Select, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { TransitionHint, WorkItem } from '../../../shared/types';
import { ApiError, core } from '../api/client';

export type TransitionKind = 'submit' | 'approve' | 'reject' | 'cancel';

const COPY: Record<TransitionKind, { title: string; confirm: string; color: string }> = {
  submit: { title: 'Submit for approval', confirm: 'Submit', color: 'blue' },
  approve: { title: 'Approve this step', confirm: 'Approve', color: 'teal' },
  reject: { title: 'Reject to an earlier step', confirm: 'Reject', color: 'red' },
  cancel: { title: 'Cancel this item', confirm: 'Cancel item', color: 'red' },
};

interface Props {
  item: WorkItem;
  kind: TransitionKind | null;
  onClose(): void;
  onDone(item: WorkItem): void;
}

/** The confirm step for every transition: comment, reject target, and the engine's answer if it refuses. */
export function TransitionDialog({ item, kind, onClose, onDone }: Props) {
  const [comment, setComment] = useState('');
  const [secret, setSecret] = useState('');
  const [toStep, setToStep] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const [hint, setHint] = useState<TransitionHint | null>(null);

  useEffect(() => {
    setComment('');
    setSecret('');
    setToStep(null);
    setError(null);
    setHint(null);
    if (!kind) return;
    // What the rules ask of this person for this action (a required comment, a refusal).
    let live = true;
    core('workItems.get', { id: item.id }).then(
      (detail) => live && setHint(detail.hints.find((h) => h.action === kind) ?? null),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [kind, item.id]);
  const commentRequired = hint?.commentRequired ?? false;
  const signatureRequired = hint?.signatureRequired ?? false;

  if (!kind) return null;
  const copy = COPY[kind];
  const current = item.currentStep ?? 0;
  const stepName = item.steps[current]?.name ?? '';
  const earlierSteps = item.steps.slice(0, current).map((s, i) => ({ value: String(i), label: `${i + 1}. ${s.name}` }));

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const base = {
      id: item.id,
      expectedVersion: item.version,
      ...(comment.trim() ? { comment } : {}),
      ...(signatureRequired ? { signature: { secret } } : {}),
    };
    try {
      const next =
        kind === 'reject'
          ? await core('workItems.reject', { ...base, toStep: Number(toStep) })
          : await core(`workItems.${kind}`, base);
      onDone(next);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ code: 'INTERNAL', message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={copy.title} centered size="md">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          #{item.id} · {item.title}
          {kind === 'approve' && stepName ? ` — signing off ${stepName}` : ''}
        </Text>
        {kind === 'reject' && (
          <Select
            label="Send it back to"
            placeholder="Choose an earlier step"
            data={earlierSteps}
            value={toStep}
            onChange={setToStep}
            required
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <Textarea
          label={kind === 'reject' ? 'Reason for rejection' : 'Comment'}
          description={kind === 'reject' ? 'Tell the earlier step what needs to change.' : commentRequired ? undefined : 'Optional'}
          required={commentRequired}
          autosize
          minRows={3}
          maxLength={4000}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
        />
        {signatureRequired && (
          <PasswordInput
            label="Sign with your PIN or password"
            description="This action is an electronic signature under your name."
            required
            autoComplete="current-password"
            value={secret}
            onChange={(e) => setSecret(e.currentTarget.value)}
          />
        )}
        {hint?.blocked && !error && (
          <Alert color="orange" variant="light" role="note">
            {hint.blocked}
          </Alert>
        )}
        {error && (
          <Alert color="red" variant="light" role="alert" title={error.code === 'STALE_VERSION' ? 'Changed meanwhile' : 'Not done'}>
            {error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button color={copy.color} loading={busy} disabled={(kind === 'reject' && toStep === null) || (commentRequired && !comment.trim()) || (signatureRequired && !secret)} onClick={confirm}>
            {copy.confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
