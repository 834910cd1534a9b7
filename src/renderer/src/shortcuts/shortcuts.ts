import { create } from 'zustand';
import type { Shortcut } from '../moduleTypes';

/** The daily path's keys, as @mantine/hooks' useHotkeys spells them. Modules add theirs (moduleTypes.ts). */
export const KEYS = { search: '/', help: 'shift+?', approve: 'A', reject: 'R' } as const;

export const CORE_SHORTCUTS: Shortcut[] = [
  { keys: KEYS.search, description: 'Search work items (on the dashboard)' },
  { keys: KEYS.approve, description: 'Approve the item you are viewing' },
  { keys: KEYS.reject, description: 'Reject the item you are viewing' },
  { keys: KEYS.help, description: 'Show these shortcuts' },
];

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

const MODIFIER_LABEL: Record<string, string> = { mod: isMac ? '⌘' : 'Ctrl', ctrl: 'Ctrl', alt: isMac ? '⌥' : 'Alt', shift: 'Shift' };

/** The keys to press, as this platform names them: 'mod+L' is Ctrl + L (⌘ + L on a Mac). */
export function keyLabels(keys: string): string[] {
  const parts = keys.split('+');
  const key = parts[parts.length - 1]!;
  // A character such as '?' is typed with Shift already: show the character alone.
  const modifiers = parts.slice(0, -1).filter((m) => m !== 'shift' || /^[a-z]$/i.test(key));
  return [...modifiers.map((m) => MODIFIER_LABEL[m] ?? m), key.toUpperCase()];
}

/** A request to focus the dashboard's search, from anywhere in the main window (`/`); the dashboard takes it up once. */
export const useSearchRequest = create<{ pending: boolean; request(): void; taken(): void }>((set) => ({
  pending: false,
  request: () => set({ pending: true }),
  taken: () => set({ pending: false }),
}));
