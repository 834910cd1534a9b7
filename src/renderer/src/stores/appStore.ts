import { create } from 'zustand';
import type { AppStatus } from '../../../shared/types';
import { core } from '../api/client';

interface AppStore {
  status: AppStatus | null;
  statusError: string | null;
  /** Bumped whenever any window changes data; queries re-run when it moves. */
  changeTick: number;
  /** The work items the latest change touched; empty: it cannot say, so anything may have changed. */
  changedItems: number[];
  loadStatus(): Promise<void>;
  markChanged(items?: number[]): void;
}

export const useAppStore = create<AppStore>((set) => ({
  status: null,
  statusError: null,
  changeTick: 0,
  changedItems: [],
  async loadStatus() {
    try {
      set({ status: await core('app.status', {}), statusError: null });
    } catch (error) {
      set({ statusError: (error as Error).message });
    }
  },
  markChanged: (items = []) => set((s) => ({ changeTick: s.changeTick + 1, changedItems: items })),
}));
