import { create } from 'zustand';
import { persist } from 'zustand/middleware';

interface MuteStore {
  /** Person ids who turned "it's your turn" notifications off at this terminal. */
  muted: Record<string, true>;
  setMuted(personId: string, muted: boolean): void;
}

/** Each person's choice, remembered in this terminal's local storage. */
export const useMuteStore = create<MuteStore>()(
  persist(
    (set) => ({
      muted: {},
      setMuted: (personId, muted) =>
        set((s) => {
          const next = { ...s.muted };
          if (muted) next[personId] = true;
          else delete next[personId];
          return { muted: next };
        }),
    }),
    { name: 'aviation-workflow.notifications', version: 1 },
  ),
);
