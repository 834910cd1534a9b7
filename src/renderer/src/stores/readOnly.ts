import type { TerminalState } from '../../../shared/terminalContract';

/** Why nothing can be changed from here now (the site server is unreachable or refuses); null when it can. */
export function readOnlyReason(terminal: TerminalState | null): string | null {
  if (!terminal || terminal.mode !== 'site') return null;
  if (terminal.connection === 'unreachable') return 'The site server cannot be reached, so nothing can be changed until it is back.';
  if (terminal.connection === 'refused') return terminal.problem ?? 'The site server refuses this terminal, so nothing can be changed.';
  return null;
}
