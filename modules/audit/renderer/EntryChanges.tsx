import { Stack, Text } from '@mantine/core';
import type { ReadableChange } from '../readable';

const cut = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The fields an entry changed, in words: old value struck through, new value beside it. */
export function EntryChanges({ changes }: { changes: ReadableChange[] }) {
  if (changes.length === 0) return <Text size="sm" c="dimmed">No values</Text>;
  return (
    <Stack gap={2}>
      {changes.map((c) => (
        <Text key={c.field} size="sm" style={{ overflowWrap: 'anywhere' }}>
          <Text span fw={600} size="sm">
            {c.field}:{' '}
          </Text>
          {c.before !== undefined && (
            <Text span size="sm" c="red" td={c.after !== undefined ? 'line-through' : undefined} title={c.before}>
              {cut(c.before)}
            </Text>
          )}
          {c.before !== undefined && c.after !== undefined && ' → '}
          {c.after !== undefined && (
            <Text span size="sm" c="teal" title={c.after}>
              {cut(c.after)}
            </Text>
          )}
        </Text>
      ))}
    </Stack>
  );
}
