/**
 * How a terminal recorded with an action (a transition, an audit entry) is shown: the name it was
 * enrolled under on a site server when known, a friendly name for the hosts that are this
 * computer, otherwise its id as recorded.
 */
const KNOWN: Record<string, string> = {
  /** The desktop app (src/main). */
  local: 'This computer',
  /** The browser harness (src/harness). */
  'browser-harness': 'Browser (this computer)',
};

export function terminalLabel(terminal: string | null | undefined, enrolledName?: string | null): string | null {
  if (terminal === null || terminal === undefined) return null;
  return enrolledName || KNOWN[terminal] || terminal;
}
