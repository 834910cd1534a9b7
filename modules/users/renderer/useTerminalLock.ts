import { useHotkeys } from '@mantine/hooks';
import { useEffect } from 'react';
import { SIGNED_OUT_EVENT } from '../../../src/renderer/src/api/client';
import { useAppStore } from '../../../src/renderer/src/stores/appStore';
import { usersApi } from './api';
import { useSessionStore } from './sessionStore';

const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
const ACTIVITY_REPORT_MS = 60_000;
export const LOCK_SHORTCUT = 'mod+L';

/**
 * Keeps this window's idea of the terminal current and locks it: after idleLockMinutes without
 * keyboard or pointer use, on Ctrl+L (⌘L), and whenever the core answers SIGNED_OUT. The core
 * enforces its own idle lock too, counting changes and the input this hook reports (users.activity).
 */
export function useTerminalLock(): void {
  const { session, load, lock } = useSessionStore();
  const status = useAppStore((s) => s.status);
  const signedIn = session?.state === 'signed-in';
  const idleMs = (session?.idleLockMinutes ?? 10) * 60_000;

  // Also while typing in a field: locking is what a person leaving the terminal does at once. Listed in the shortcuts help (index.tsx).
  useHotkeys(signedIn ? [[LOCK_SHORTCUT, () => void lock()]] : [], []);

  // The status reloads after every change in any window: sign-ins and locks elsewhere show here.
  useEffect(() => void load(), [load, status]);

  useEffect(() => {
    const onSignedOut = () => void load();
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, [load]);

  useEffect(() => {
    if (!signedIn) return;
    let lastInput = Date.now();
    let lastReported = 0;
    const onInput = () => {
      lastInput = Date.now();
      // The core locks a terminal whose person does nothing; reads do not count, so say so.
      if (lastInput - lastReported > ACTIVITY_REPORT_MS) {
        lastReported = lastInput;
        usersApi('users.activity', {}).catch(() => undefined);
      }
    };
    INPUT_EVENTS.forEach((name) => window.addEventListener(name, onInput, { passive: true }));
    const timer = setInterval(() => {
      if (Date.now() - lastInput > idleMs) void lock();
    }, 5_000);
    return () => {
      INPUT_EVENTS.forEach((name) => window.removeEventListener(name, onInput));
      clearInterval(timer);
    };
  }, [signedIn, idleMs, lock]);
}
