import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconPlaneTilt } from '@tabler/icons-react';

/** The product's mark: the plane and the name, in the header and on the full-window cards. */
export function AppMark() {
  return (
    <Group gap="xs">
      <ThemeIcon size="lg" radius="md" variant="filled">
        <IconPlaneTilt size={20} />
      </ThemeIcon>
      <Text fw={700} size="lg">
        Aviation Workflow
      </Text>
    </Group>
  );
}
