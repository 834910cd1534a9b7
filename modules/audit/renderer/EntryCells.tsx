import { Text } from '@mantine/core';
import { dateTime } from '../../../src/renderer/src/format';
import type { AuditEntry } from '../contract';

/** When an entry was recorded, in local time; the exact UTC instant on hover. */
export function EntryWhen({ entry }: { entry: AuditEntry }) {
  return (
    <Text size="sm" component="time" dateTime={entry.at} title={entry.at}>
      {dateTime(entry.at)}
    </Text>
  );
}

/** Who made the change and at which terminal; their ids on hover, for support. */
export function EntryWho({ entry }: { entry: AuditEntry }) {
  return (
    <>
      <Text size="sm" title={entry.actor.id}>
        {entry.actor.name}
      </Text>
      {entry.terminal && (
        <Text size="xs" c="dimmed" title={`Terminal: ${entry.terminal.id}`}>
          at {entry.terminal.name}
        </Text>
      )}
    </>
  );
}
