import { Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../../src/renderer/src/components/QueryView';
import { FirstRunSetup } from './FirstRunSetup';
import { LockScreen } from './LockScreen';
import { RecoveryCodeNotice } from './RecoveryCode';
import { useSessionStore } from './sessionStore';
import { SignInForm } from './SignInForm';
import { FullWindowCard } from '../../../src/renderer/src/components/FullWindowCard';
import { useTerminalLock } from './useTerminalLock';

/**
 * Wraps each window: first-run set-up, sign-in, or the app. While locked, the app stays mounted
 * underneath — hidden and inert — so unlocking returns to exactly where the person was.
 */
export function UsersGate({ children }: { children: ReactNode; window: 'main' | 'settings' }) {
  const { session, error, load, recoveryCode } = useSessionStore();
  useTerminalLock();

  if (!session) {
    return (
      <Center h="100vh" bg="var(--app-color-page)">
        {error ? (
          <Stack maw={480}>
            <ErrorAlert title="Could not reach the app core" message={error} onRetry={() => void load()} />
          </Stack>
        ) : (
          <Stack align="center" gap="xs" aria-busy="true">
            <Loader />
            <Text size="sm" c="dimmed">
              Loading…
            </Text>
          </Stack>
        )}
      </Center>
    );
  }

  if (session.state === 'setup') return <FirstRunSetup secretRule={session.secretRule} />;
  if (recoveryCode && session.user) return <RecoveryCodeNotice code={recoveryCode} name={session.user.name} />;
  if (session.state === 'signed-out' || !session.user) {
    return (
      <FullWindowCard title="Sign in" subtitle="This is a shared terminal: sign in with your own PIN or password. Everything you sign carries your name.">
        <SignInForm />
      </FullWindowCard>
    );
  }
  const locked = session.state === 'locked';
  return (
    <>
      <div inert={locked} aria-hidden={locked || undefined} style={locked ? { visibility: 'hidden' } : undefined}>
        {children}
      </div>
      {locked && <LockScreen user={session.user} />}
    </>
  );
}

