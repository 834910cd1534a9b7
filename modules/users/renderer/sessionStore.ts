import { create } from 'zustand';
import { useAppStore } from '../../../src/renderer/src/stores/appStore';
import type { SessionState } from '../contract';
import { usersApi } from './api';

interface SessionStore {
  session: SessionState | null;
  error: string | null;
  /** The lock screen shows the sign-in list instead of the locked person's PIN field. */
  switching: boolean;
  /** A new one-time recovery code to show once (after the first set-up or a recovery sign-in). */
  recoveryCode: string | null;
  dismissRecoveryCode(): void;
  load(): Promise<void>;
  set(session: SessionState & { recoveryCode?: string }): void;
  lock(): Promise<void>;
  switchUser(): Promise<void>;
  signOut(): Promise<void>;
  setSwitching(switching: boolean): void;
}

// Each request takes a ticket; only the newest one's answer is shown, so a state read before a
// Lock (a refresh still on its way) cannot unlock the screen when it arrives after it.
let latest = 0;
const newest = async (request: () => Promise<SessionState>): Promise<SessionState | null> => {
  const ticket = ++latest;
  const session = await request();
  return ticket === latest ? session : null;
};

/** What this terminal shows: set-up, sign-in, the lock screen, or the app. */
export const useSessionStore = create<SessionStore>((set) => ({
  session: null,
  error: null,
  switching: false,
  recoveryCode: null,
  dismissRecoveryCode: () => set({ recoveryCode: null }),
  async load() {
    try {
      const session = await newest(() => usersApi('users.sessionState', {}));
      if (session) set({ session, error: null });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  set: ({ recoveryCode, ...session }) => {
    latest++; // an answer in hand (signed in, unlocked) outranks any read still on its way
    set({ session, error: null, switching: false, ...(recoveryCode ? { recoveryCode } : {}) });
    // Someone (else) is signed in now: the header, permissions and every screen's data follow.
    void useAppStore.getState().loadStatus();
    useAppStore.getState().markChanged();
  },
  async lock() {
    const session = await newest(() => usersApi('users.lock', {}));
    if (session) set({ session, switching: false });
  },
  async switchUser() {
    const session = await newest(() => usersApi('users.lock', {}));
    if (session) set({ session, switching: true });
  },
  async signOut() {
    const session = await newest(() => usersApi('users.signOut', {}));
    if (session) set({ session, switching: false });
  },
  setSwitching: (switching) => set({ switching }),
}));
