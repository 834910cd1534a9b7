import { Button, Checkbox, Group, Text } from '@mantine/core';
import { IconArrowBackUp, IconCheck } from '@tabler/icons-react';
import type { TransitionHint, WorkItem } from '../../../../shared/types';
import { NeedsServer } from '../../components/NeedsServer';
import type { TransitionKind } from '../../components/TransitionDialog';

interface Props {
  item: WorkItem;
  approve: TransitionHint | undefined;
  reject: TransitionHint | undefined;
  selected: boolean;
  onSelect(selected: boolean): void;
  onOpen(kind: TransitionKind): void;
}

export const allowed = (hint: TransitionHint | undefined): boolean => hint !== undefined && !hint.blocked;

/**
 * A queue row's actions, as the core allows them to this person: select for bulk sign-off, approve,
 * reject. An item they may not act on shows why instead, and no buttons.
 */
export function QueueRowActions({ item, approve, reject, selected, onSelect, onOpen }: Props) {
  if (!allowed(approve) && !allowed(reject)) {
    const reason = approve?.blocked ?? reject?.blocked;
    return reason ? (
      <Text size="xs" c="dimmed" maw={190}>
        {reason}
      </Text>
    ) : null;
  }
  return (
    <Group gap="xs" wrap="nowrap">
      {allowed(approve) && (
        <Checkbox
          aria-label={`Select #${item.id} for sign-off`}
          checked={selected}
          onChange={(e) => onSelect(e.currentTarget.checked)}
        />
      )}
      {allowed(approve) && (
        <NeedsServer>
          <Button size="xs" color="teal" leftSection={<IconCheck size={14} />} onClick={() => onOpen('approve')}>
            Approve
          </Button>
        </NeedsServer>
      )}
      {allowed(reject) && (
        <NeedsServer>
          <Button size="xs" color="orange" variant="light" leftSection={<IconArrowBackUp size={14} />} onClick={() => onOpen('reject')}>
            Reject
          </Button>
        </NeedsServer>
      )}
    </Group>
  );
}
