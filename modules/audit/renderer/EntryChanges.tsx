import { Stack, Text } from '@mantine/core';
import { fieldChanges, shortValue } from './changes';

/** The fields an entry changed: old value struck through, new value beside it. */
export function EntryChanges({ before, after }: { before: unknown; after: unknown }) {
  const changes = fieldChanges(before, after);
  if (changes.length === 0) return <Text size="sm" c="dimmed">No values</Text>;
  return (
    <Stack gap={2}>
      {changes.map((c) => (
        <Text key={c.field} size="sm" style={{ overflowWrap: 'anywhere' }}>
          {c.field && (
            <Text span fw={600} size="sm">
              {c.field}:{' '}
            </Text>
          )}
          {'before' in c && (
            <Text span size="sm" c="red" td={'after' in c ? 'line-through' : undefined} title={shortValue(c.before, 10_000)}>
              {shortValue(c.before)}
            </Text>
          )}
          {'before' in c && 'after' in c && ' → '}
          {'after' in c && (
            <Text span size="sm" c="teal" title={shortValue(c.after, 10_000)}>
              {shortValue(c.after)}
            </Text>
          )}
        </Text>
      ))}
    </Stack>
  );
}
