import { Group, Progress, Stack, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';

/** How far the reports on the screen have got: "Computing 3 of 6 reports…" over a bar, then "up to date". */
export function ReportsProgress({ ready, total }: { ready: number; total: number }) {
  if (ready >= total) {
    return (
      <Group gap={6} c="dimmed">
        <IconCircleCheck size={16} />
        <Text size="xs">All {total} reports up to date</Text>
      </Group>
    );
  }
  return (
    <Stack gap={4} w={240}>
      <Text size="xs" c="dimmed" ta="right" aria-live="polite">
        Computing {total - ready === 1 ? 'the last report' : `${total - ready} of ${total} reports`}…
      </Text>
      <Progress value={(ready / total) * 100} size="sm" radius="xl" animated aria-label={`Reports: ${ready} of ${total} ready`} />
    </Stack>
  );
}
