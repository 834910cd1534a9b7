import { create } from 'zustand';
import { persist } from 'zustand/middleware';

interface TerminalPrefs {
  /** The departments this terminal works for (a QC bench, the engineering office): its "my departments". */
  myDepartments: string[];
  setMyDepartments(names: string[]): void;
}

/** Choices that belong to the terminal, not to a person, kept in this window's local storage. */
export const useTerminalPrefs = create<TerminalPrefs>()(
  persist(
    (set) => ({
      myDepartments: [],
      setMyDepartments: (names) => set({ myDepartments: [...new Set(names)] }),
    }),
    { name: 'aviation-workflow.terminal', version: 1 },
  ),
);
