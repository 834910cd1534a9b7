import { Center, Loader } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { EnrollmentScreen } from './screens/enrollment/EnrollmentScreen';
import { useAppStore } from './stores/appStore';
import { useTerminalStore } from './stores/terminalStore';

/** Before anything else: a site terminal that is not enrolled yet shows the enrollment screen. */
export function TerminalGate({ children }: { children: ReactNode }) {
  const terminal = useTerminalStore((s) => s.terminal);
  const error = useTerminalStore((s) => s.error);
  const load = useTerminalStore((s) => s.load);
  const setTerminal = useTerminalStore((s) => s.set);
  const loadStatus = useAppStore((s) => s.loadStatus);
  useEffect(() => void load(), [load]);

  if (!terminal && !error) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  // No terminal state (a host without it): it is a standalone terminal.
  if (terminal?.mode === 'site' && !terminal.enrolled) {
    return (
      <EnrollmentScreen
        initialAddress={terminal.server ?? ''}
        onEnrolled={(state) => {
          setTerminal(state);
          void loadStatus();
        }}
      />
    );
  }
  return <>{children}</>;
}
