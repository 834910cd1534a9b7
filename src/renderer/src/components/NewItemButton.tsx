import { Button } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link } from 'wouter';
import { useReadOnlyReason } from '../stores/terminalStore';
import { NeedsServer } from './NeedsServer';

/** "New work item": a link to the form, or a disabled button (an anchor cannot be disabled) while nothing can be created. */
export function NewItemButton() {
  const readOnly = useReadOnlyReason() !== null;
  if (readOnly) {
    return (
      <NeedsServer>
        <Button leftSection={<IconPlus size={18} />}>New work item</Button>
      </NeedsServer>
    );
  }
  return (
    <Button component={Link} href="/create" leftSection={<IconPlus size={18} />}>
      New work item
    </Button>
  );
}
