import { Paper, Text } from '@mantine/core';

export function StatCard({ label, value, hint, color }: { label: string; value: number | string; hint?: string; color?: string }) {
  return (
    <Paper withBorder px="md" py="sm" radius="md" role="group" aria-label={label}>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} lh={1.2}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}
