import { create } from 'zustand';
import type { TerminalState } from '../../../shared/terminalContract';
import { terminalApi } from '../api/terminal';
import { readOnlyReason } from './readOnly';

interface TerminalStore {
  /** null until the first answer. */
  terminal: TerminalState | null;
  error: string | null;
  load(): Promise<void>;
  set(terminal: TerminalState): void;
}

/** How this terminal works (standalone or site) and its connection to the site server. */
export const useTerminalStore = create<TerminalStore>((set) => ({
  terminal: null,
  error: null,
  async load() {
    try {
      set({ terminal: await terminalApi('terminal.state', {}), error: null });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  set: (terminal) => set({ terminal, error: null }),
}));

export const useReadOnlyReason = (): string | null => useTerminalStore((s) => readOnlyReason(s.terminal));
