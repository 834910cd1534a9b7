import { Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconPlaneTilt } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The full-window card of the enrollment screen (before sign-in, so no app chrome). */
export function EnrollmentFrame({ title, subtitle, children }: { title: string; subtitle: ReactNode; children: ReactNode }) {
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" radius="lg" p="xl" w={600} maw="100%" component="main">
        <Stack gap="lg">
          <Group gap="xs">
            <ThemeIcon size="lg" radius="md" variant="filled">
              <IconPlaneTilt size={20} />
            </ThemeIcon>
            <Text fw={700} size="lg">
              Aviation Workflow
            </Text>
          </Group>
          <div>
            <Title order={2}>{title}</Title>
            <Text c="gray.7" size="sm" mt={4}>
              {subtitle}
            </Text>
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
