import { Anchor, Avatar, Badge, Box, Button, Divider, EmptyState, Group, Paper, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconMessageCircle, IconPencil } from '@tabler/icons-react';
import { useId, useState, type KeyboardEvent } from 'react';
import { ApiError, apiFor } from '../../../src/renderer/src/api/client';
import { ErrorAlert, QueryView } from '../../../src/renderer/src/components/QueryView';
import { dateTime } from '../../../src/renderer/src/format';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { ItemSectionProps, RendererModule, TimelineEntry } from '../../../src/renderer/src/moduleTypes';
import type { Comment, CommentSettings, commentsContract } from '../contract';
import { commentLength, tooLongMessage } from '../text';
import { NeedsServer } from '../../../src/renderer/src/components/NeedsServer';

const comments = apiFor<typeof commentsContract>();

/** Comment text is shown exactly as typed: React escapes it (never HTML) and line breaks stay. */
const textStyle = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;

const errorText = (error: unknown) =>
  error instanceof ApiError ? (error.fieldErrors()['text'] ?? error.message) : (error as Error).message;

const number = (n: number) => n.toLocaleString('en-GB');

/** A comment textarea with a live character count against the configured maximum. */
function CommentField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  onSubmit(): void;
  maxLength: number;
  error: string | null;
  disabled: boolean;
  autoFocus?: boolean;
}) {
  const length = commentLength(props.value);
  const over = length > props.maxLength;
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (!over) props.onSubmit();
    }
  };
  return (
    <Textarea
      label={props.label}
      placeholder="Write a note for the people working on this item…"
      autosize
      minRows={3}
      maxRows={12}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      onKeyDown={onKeyDown}
      disabled={props.disabled}
      autoFocus={props.autoFocus}
      description={
        <Text component="span" size="xs" c={over ? 'red' : 'dimmed'} fw={over ? 600 : undefined} data-testid="comment-counter">
          {number(length)} / {number(props.maxLength)} characters
        </Text>
      }
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      error={over ? tooLongMessage(props.maxLength, length) : props.error}
    />
  );
}

function Composer({ itemId, settings, onPosted }: { itemId: number; settings: CommentSettings; onPosted(): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [posting, setPosting] = useState(false);
  const over = commentLength(text) > settings.maxLength;

  const post = async () => {
    setPosting(true);
    setError(null);
    try {
      await comments('comments.add', { itemId, text });
      setText('');
      onPosted();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPosting(false);
    }
  };

  return (
    <Stack gap="sm">
      <CommentField
        label="Add a comment"
        value={text}
        onChange={(value) => {
          setText(value);
          setError(null);
        }}
        onSubmit={post}
        maxLength={settings.maxLength}
        error={error}
        disabled={posting}
      />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {settings.allowEditing
            ? settings.editWindowMinutes === null
              ? 'You can edit your comments later; earlier text stays on record.'
              : `You can edit your comment for ${number(settings.editWindowMinutes)} minutes after posting; earlier text stays on record.`
            : 'Comments cannot be edited after posting.'}
        </Text>
        <NeedsServer>
          <Button leftSection={<IconMessageCircle size={18} />} onClick={post} loading={posting} disabled={over}>
            Post comment
          </Button>
        </NeedsServer>
      </Group>
    </Stack>
  );
}

function EarlierVersions({ comment }: { comment: Comment }) {
  return (
    <Stack gap="xs" mt="xs" aria-label="Earlier versions">
      {[...comment.revisions].reverse().map((r) => (
        <Box key={r.revision} pl="sm" style={{ borderLeft: '3px solid var(--mantine-color-default-border)' }}>
          <Text size="xs" c="dimmed">
            Version {r.revision} · written {dateTime(r.writtenAt)} · replaced {dateTime(r.replacedAt)} by {r.replacedBy.name}
          </Text>
          <Text size="sm" c="dimmed" style={textStyle}>
            {r.text}
          </Text>
        </Box>
      ))}
    </Stack>
  );
}

function CommentEntry({ comment, settings, onChanged }: { comment: Comment; settings: CommentSettings | undefined; onChanged(): void }) {
  const [showEarlier, setShowEarlier] = useState(false);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const edited = comment.editedAt !== null;

  const save = async () => {
    if (draft === null) return;
    setSaving(true);
    setError(null);
    try {
      await comments('comments.edit', { id: comment.id, text: draft });
      setDraft(null);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Group component="article" align="flex-start" wrap="nowrap" gap="sm" aria-label={`Comment by ${comment.author.name}`}>
      <Avatar name={comment.author.name} color="initials" radius="xl" size="md" />
      <Box style={{ flex: 1, minWidth: 0 }}>
        <Group gap="xs" justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {comment.author.name}
            </Text>
            <Text size="xs" c="dimmed" component="time" dateTime={comment.createdAt}>
              {dateTime(comment.createdAt)}
            </Text>
            {edited && (
              <Badge size="xs" variant="light" color="gray" title={`Edited ${dateTime(comment.editedAt!)}`}>
                edited
              </Badge>
            )}
          </Group>
          {comment.canEdit && draft === null && (
            <NeedsServer>
              <Button
                size="compact-xs"
                variant="subtle"
                leftSection={<IconPencil size={14} />}
                onClick={() => setDraft(comment.text)}
                title={comment.editableUntil ? `You can edit until ${dateTime(comment.editableUntil)}` : undefined}
              >
                Edit
              </Button>
            </NeedsServer>
          )}
        </Group>

        {draft === null ? (
          <Text size="sm" mt={2} style={textStyle}>
            {comment.text}
          </Text>
        ) : (
          <Stack gap="xs" mt="xs">
            <CommentField
              label="Edit comment"
              value={draft}
              onChange={(value) => {
                setDraft(value);
                setError(null);
              }}
              onSubmit={save}
              maxLength={settings?.maxLength ?? Infinity}
              error={error}
              disabled={saving}
              autoFocus
            />
            <Group gap="xs" justify="flex-end">
              <Button variant="default" size="xs" onClick={() => setDraft(null)} disabled={saving}>
                Cancel
              </Button>
              <NeedsServer>
                <Button size="xs" onClick={save} loading={saving} disabled={commentLength(draft) > (settings?.maxLength ?? Infinity)}>
                  Save
                </Button>
              </NeedsServer>
            </Group>
          </Stack>
        )}

        {edited && (
          <>
            <Anchor
              component="button"
              type="button"
              size="xs"
              c="dimmed"
              mt={4}
              aria-expanded={showEarlier}
              onClick={() => setShowEarlier((v) => !v)}
            >
              {showEarlier ? 'Hide earlier versions' : `Show earlier versions (${comment.revisions.length})`}
            </Anchor>
            {showEarlier && <EarlierVersions comment={comment} />}
          </>
        )}
      </Box>
    </Group>
  );
}

function CommentsSection({ item }: ItemSectionProps) {
  const titleId = useId();
  const settings = useQuery(() => comments('comments.settings', {}), []);
  const list = useQuery(() => comments('comments.list', { itemId: item.id }), [item.id], { items: [item.id] });
  const count = list.data?.length ?? 0;

  return (
    <Paper component="section" withBorder radius="md" p="lg" aria-labelledby={titleId}>
      <Group gap="xs" mb="sm">
        <Title order={4} id={titleId}>
          Comments
        </Title>
        {count > 0 && (
          <Badge variant="light" color="gray" radius="sm" aria-label={`${count} comments`}>
            {count}
          </Badge>
        )}
      </Group>

      <QueryView
        query={list}
        skeletonRows={2}
        isEmpty={(d) => d.length === 0}
        empty={
          <EmptyState
            size="sm"
            icon={<IconMessageCircle size={28} />}
            title="No comments yet"
            description="Notes about this item appear here, oldest first, with who wrote them and when."
            py="md"
          />
        }
      >
        {(thread) => (
          <Stack gap="md" aria-label="Comment thread">
            {thread.map((c) => (
              <CommentEntry key={c.id} comment={c} settings={settings.data} onChanged={list.reload} />
            ))}
          </Stack>
        )}
      </QueryView>

      <Divider my="md" />

      {settings.data ? (
        <Composer itemId={item.id} settings={settings.data} onPosted={list.reload} />
      ) : settings.error ? (
        <ErrorAlert title="The comment box could not be loaded" message={settings.error.message} onRetry={settings.reload} />
      ) : (
        <Skeleton height={90} radius="sm" />
      )}
    </Paper>
  );
}

async function timeline(itemId: number): Promise<TimelineEntry[]> {
  const thread = await comments('comments.list', { itemId });
  return thread.map((c) => ({
    key: `comment-${c.id}`,
    at: c.createdAt,
    actor: c.author,
    title: 'Comment',
    color: 'indigo',
    icon: IconMessageCircle,
    body: (
      <>
        <Text size="sm" style={textStyle}>
          {c.text}
        </Text>
        {c.editedAt && (
          <Text size="xs" c="dimmed" mt={2}>
            Edited {dateTime(c.editedAt)}
          </Text>
        )}
      </>
    ),
  }));
}

const commentsRenderer: RendererModule = {
  name: 'comments',
  itemSections: [{ id: 'comments', component: CommentsSection, order: 30 }],
  timeline,
};

export default commentsRenderer;
