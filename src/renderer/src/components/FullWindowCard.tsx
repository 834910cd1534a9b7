import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { AppMark } from './AppMark';

/**
 * The full-window card of the screens before the app: a site terminal's enrollment, and the
 * sign-in module's set-up, sign-in and lock screens (over the app, which stays underneath).
 */
export function FullWindowCard({ title, subtitle, width = 440, children }: { title: string; subtitle?: ReactNode; width?: number; children: ReactNode }) {
  return (
    <Center mih="100vh" p="md" bg="var(--app-color-page)" style={{ position: 'fixed', inset: 0, zIndex: 300, overflow: 'auto' }}>
      <Paper withBorder shadow="sm" radius="lg" p="xl" w={width} maw="100%" component="main">
        <Stack gap="lg">
          <AppMark />
          <div>
            <Title order={1} size="h2">{title}</Title>
            {subtitle && (
              <Text c="dimmed" size="sm" mt={4}>
                {subtitle}
              </Text>
            )}
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
