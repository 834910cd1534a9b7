import { Alert, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCloudOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { QueryState } from '../hooks/useQuery';

interface Props<T> {
  query: QueryState<T>;
  /** Shown when the data is there but empty. */
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  skeletonRows?: number;
  children: (data: T) => ReactNode;
}

/** The loading, error and empty states every screen needs, in one place. */
export function QueryView<T>({ query, empty, isEmpty, skeletonRows = 4, children }: Props<T>) {
  if (query.error && query.data === undefined) {
    return <ErrorAlert title="Could not load this" message={query.error.message} onRetry={query.reload} />;
  }
  if (query.data === undefined) {
    return (
      <Stack gap="xs" aria-busy="true" aria-label="Loading">
        {Array.from({ length: skeletonRows }, (_, i) => (
          <Skeleton key={i} height={36} radius="sm" />
        ))}
      </Stack>
    );
  }
  const stale = query.stale && <StaleNote />;
  if (empty && isEmpty?.(query.data)) return <>{stale}{empty}</>;
  return <>{stale}{children(query.data)}</>;
}

/** Marks data kept on screen while the site server cannot be reached. */
export function StaleNote() {
  return (
    <Group gap={6} mb="xs" c="orange">
      <IconCloudOff size={16} aria-hidden />
      <Text size="xs" fw={500}>
        Last known state: it may have changed since the connection was lost.
      </Text>
    </Group>
  );
}

export function ErrorAlert({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title} role="alert">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <span>{message}</span>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
