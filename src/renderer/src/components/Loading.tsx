import { Center, Loader } from '@mantine/core';
import { Suspense, type ReactNode } from 'react';

/**
 * Where a lazily loaded screen, panel, tab or section appears: a loader while its chunk is fetched.
 * Screens and module parts not on the first paint are React.lazy, so the entry stays small.
 */
export function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <Center p="xl">
          <Loader aria-label="Loading" />
        </Center>
      }
    >
      {children}
    </Suspense>
  );
}
