import { Alert, Button, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { TransitionHint, WorkItem } from '../../../shared/types';
import { core } from '../api/client';
import { whereNow } from '../format';
import { FormDialog } from './FormDialog';
import { COMMENT_LIMIT } from '../../../shared/limits';
import { CharacterCount, overLimit } from './LimitedText';
import { NeedsServer } from './NeedsServer';
import { SignatureField, useSignature } from './SignatureField';

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

/** The item as it was when the dialog opened: what the person reads, decides on and signs. */
interface Seen {
  id: number;
  title: string;
  version: number;
  step: number | null;
  stepName: string;
  earlierSteps: { value: string; label: string }[];
}

const seenOf = (item: WorkItem): Seen => {
  const current = item.currentStep ?? 0;
  return {
    id: item.id,
    title: item.title,
    version: item.version,
    step: item.currentStep,
    stepName: item.steps[current]?.name ?? '',
    earlierSteps: item.steps.slice(0, current).map((s, i) => ({ value: String(i), label: `${i + 1}. ${s.name}` })),
  };
};

/**
 * The confirm step for every transition: comment, reject target, PIN, and the engine's answer if
 * it refuses. It keeps the item as it was when it opened and sends that version and step, so it
 * never changes target while open: if the item moves meanwhile, it says so and signs nothing.
 */
export function TransitionDialog({ item, kind, onClose, onDone }: Props) {
  const [comment, setComment] = useState('');
  const [toStep, setToStep] = useState<string | null>(null);
  const [hint, setHint] = useState<TransitionHint | null>(null);
  const [seen, setSeen] = useState<Seen | null>(null);
  const signature = useSignature(hint?.signatureRequired ?? false);

  useEffect(() => {
    setComment('');
    setToStep(null);
    signature.reset();
    setHint(null);
    setSeen(kind ? seenOf(item) : null);
    if (!kind) return;
    // What the rules ask of this person for this action (a required comment, a refusal).
    let live = true;
    core('workItems.get', { id: item.id }).then(
      (detail) => live && detail.item.version === item.version && setHint(detail.hints.find((h) => h.action === kind) ?? null),
      () => undefined,
    );
    return () => {
      live = false;
    };
    // Only when the dialog opens (or opens on another item): never when the item refreshes under it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, item.id]);
  const commentRequired = hint?.commentRequired ?? false;
  const { busy, error } = signature;

  if (!kind || !seen) return null;
  const copy = COPY[kind];
  // The item refreshed under the open dialog: someone else moved it. Nothing may be signed now.
  const movedOn = item.id === seen.id && item.version !== seen.version;
  const commentTooLong = overLimit(kind === 'reject' ? 'The reason' : 'The comment', comment, COMMENT_LIMIT);
  const ready = !(kind === 'reject' && toStep === null) && !(commentRequired && !comment.trim()) && !commentTooLong && !signature.missing;

  const confirm = async () => {
    if (busy || movedOn || !ready) return;
    const next = await signature.sign((signed) => {
      const base = { id: seen.id, expectedVersion: seen.version, expectedStep: seen.step, ...(comment.trim() ? { comment } : {}), ...signed };
      return kind === 'reject' ? core('workItems.reject', { ...base, toStep: Number(toStep) }) : core(`workItems.${kind}`, base);
    });
    if (next) onDone(next);
  };
  return (
    <FormDialog onClose={onClose} onSubmit={() => void confirm()} title={copy.title} size="md">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          #{seen.id} · {seen.title}
          {kind === 'approve' && seen.stepName ? ` — signing off ${seen.stepName}` : ''}
          {kind === 'reject' && seen.stepName ? ` — rejecting at ${seen.stepName}` : ''}
        </Text>
        {movedOn && (
          <Alert color="orange" variant="light" role="alert" title="Changed meanwhile">
            Someone moved this item since you opened this dialog (now: {whereNow(item)}). Nothing was signed. Close this and look at the item again.
          </Alert>
        )}
        {kind === 'reject' && (
          <Select
            label="Send it back to"
            placeholder="Choose an earlier step"
            data={seen.earlierSteps}
            value={toStep}
            onChange={setToStep}
            required
            data-autofocus
            allowDeselect={false}
            disabled={movedOn}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <Textarea
          label={kind === 'reject' ? 'Reason for rejection' : 'Comment'}
          description={kind === 'reject' ? 'Tell the earlier step what needs to change.' : commentRequired ? undefined : 'Optional'}
          required={commentRequired}
          autosize
          minRows={3}
          maxRows={10}
          value={comment}
          error={commentTooLong}
          data-autofocus={kind !== 'reject' || undefined}
          disabled={movedOn}
          onChange={(e) => setComment(e.currentTarget.value)}
        />
        {comment.length > COMMENT_LIMIT * 0.8 && <CharacterCount length={comment.length} limit={COMMENT_LIMIT} id="transition-comment-count" />}
        <SignatureField
          signature={signature}
          meaning={`This is an electronic signature under your name${kind === 'approve' && seen.stepName ? `, for ${seen.stepName}` : ''}.`}
          errorTitle={(e) => (e.code === 'STALE_VERSION' ? 'Changed meanwhile' : 'Not done')}
          disabled={movedOn}
        />
        {hint?.blocked && !error && (
          <Alert color="orange" variant="light" role="note">
            {hint.blocked}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {movedOn || error?.code === 'STALE_VERSION' ? 'Close' : 'Back'}
          </Button>
          <NeedsServer>
            <Button type="submit" color={copy.color} loading={busy} disabled={!ready || movedOn || error?.code === 'STALE_VERSION'}>
              {copy.confirm}
            </Button>
          </NeedsServer>
        </Group>
      </Stack>
    </FormDialog>
  );
}
