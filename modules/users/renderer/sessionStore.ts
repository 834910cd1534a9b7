import { create } from 'zustand';
import { useAppStore } from '../../../src/renderer/src/stores/appStore';
import type { SessionState } from '../contract';
import { usersApi } from './api';

interface SessionStore {
  session: SessionState | null;
  error: string | null;
  /** The lock screen shows the sign-in list instead of the locked person's PIN field. */
  switching: boolean;
  load(): Promise<void>;
  set(session: SessionState): void;
  lock(): Promise<void>;
  switchUser(): Promise<void>;
  signOut(): Promise<void>;
  setSwitching(switching: boolean): void;
}

/** What this terminal shows: set-up, sign-in, the lock screen, or the app. */
export const useSessionStore = create<SessionStore>((set) => ({
  session: null,
  error: null,
  switching: false,
  async load() {
    try {
      set({ session: await usersApi('users.sessionState', {}), error: null });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  set: (session) => {
    set({ session, error: null, switching: false });
    // Someone (else) is signed in now: the header, permissions and every screen's data follow.
    void useAppStore.getState().loadStatus();
    useAppStore.getState().markChanged();
  },
  async lock() {
    set({ session: await usersApi('users.lock', {}), switching: false });
  },
  async switchUser() {
    set({ session: await usersApi('users.lock', {}), switching: true });
  },
  async signOut() {
    set({ session: await usersApi('users.signOut', {}), switching: false });
  },
  setSwitching: (switching) => set({ switching }),
}));
