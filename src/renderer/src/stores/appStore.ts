import { create } from 'zustand';
import type { AppStatus } from '../../../shared/types';
import { RESTARTED_EVENT } from '../../../shared/events';
import { core } from '../api/client';

interface AppStore {
  status: AppStatus | null;
  statusError: string | null;
  /** Bumped whenever any window changes data; queries re-run when it moves. */
  changeTick: number;
  loadStatus(): Promise<void>;
  markChanged(): void;
}

export const useAppStore = create<AppStore>((set) => ({
  status: null,
  statusError: null,
  changeTick: 0,
  async loadStatus() {
    try {
      set({ status: await core('app.status', {}), statusError: null });
    } catch (error) {
      set({ statusError: (error as Error).message });
    }
  },
  markChanged: () => set((s) => ({ changeTick: s.changeTick + 1 })),
}));

let subscribed = false;
/** Wires the change events from main (or the harness) into the store, once. */
export function subscribeToChanges(): void {
  if (subscribed || !window.appEvents) return;
  subscribed = true;
  window.appEvents.onChanged(({ channel }) => {
    // The core was restarted underneath this page (new modules): start the page afresh.
    if (channel === RESTARTED_EVENT) window.location.reload();
    else {
      // Status (who works here, module states) may have changed too.
      useAppStore.getState().markChanged();
      void useAppStore.getState().loadStatus();
    }
  });
}
