import { randomBytes } from 'node:crypto';

/** A terminal's windows may not open sessions without end (each is kept in memory). */
const MAX_SESSIONS_PER_TERMINAL = 50;

/**
 * Window sessions the server issues: unguessable (256 bits), bound to the terminal that asked.
 * A session id sent with another terminal's credential is unknown there. Kept in memory: a server
 * restart ends them, and people sign in again (as after a restart of a standalone terminal).
 */
export function sessionRegistry() {
  const owner = new Map<string, { terminalId: string; lastUsed: number }>();
  const byTerminal = new Map<string, Set<string>>();
  const end = (session: string) => {
    const entry = owner.get(session);
    if (!entry) return;
    owner.delete(session);
    byTerminal.get(entry.terminalId)?.delete(session);
  };
  return {
    open(terminalId: string): string {
      const mine = byTerminal.get(terminalId) ?? new Set<string>();
      byTerminal.set(terminalId, mine);
      // The least recently used session of this terminal makes room (a window closed long ago).
      if (mine.size >= MAX_SESSIONS_PER_TERMINAL) {
        const oldest = [...mine].sort((a, b) => owner.get(a)!.lastUsed - owner.get(b)!.lastUsed)[0]!;
        end(oldest);
      }
      const session = `s_${randomBytes(32).toString('base64url')}`;
      owner.set(session, { terminalId, lastUsed: Date.now() });
      mine.add(session);
      return session;
    },
    /** True only when `session` was issued to `terminalId`. */
    belongs(session: unknown, terminalId: string): session is string {
      if (typeof session !== 'string') return false;
      const entry = owner.get(session);
      if (!entry || entry.terminalId !== terminalId) return false;
      entry.lastUsed = Date.now();
      return true;
    },
    of: (terminalId: string): string[] => [...(byTerminal.get(terminalId) ?? [])],
    endAllOf(terminalId: string): void {
      for (const session of byTerminal.get(terminalId) ?? []) owner.delete(session);
      byTerminal.delete(terminalId);
    },
  };
}
export type SessionRegistry = ReturnType<typeof sessionRegistry>;
