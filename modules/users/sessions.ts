/** Who is signed in at each terminal, and when they last did anything there. In memory: a restart signs everyone out. */
export interface TerminalSession {
  userId: number;
  lastActivity: number;
  /** Locked by the Lock button, the renderer's timer or the core's idle check; the same person unlocks. */
  locked: boolean;
}

export class SessionTable {
  private readonly sessions = new Map<string, TerminalSession>();

  get(session: string): TerminalSession | undefined {
    return this.sessions.get(session);
  }

  signIn(session: string, userId: number, now: number): void {
    this.sessions.set(session, { userId, lastActivity: now, locked: false });
  }

  /** Something the person did at a signed-in, unlocked terminal. */
  touch(session: string, now: number): void {
    const entry = this.sessions.get(session);
    if (entry && !entry.locked) entry.lastActivity = now;
  }

  lock(session: string): boolean {
    const entry = this.sessions.get(session);
    if (!entry || entry.locked) return false;
    entry.locked = true;
    return true;
  }

  signOut(session: string): TerminalSession | undefined {
    const entry = this.sessions.get(session);
    this.sessions.delete(session);
    return entry;
  }

  /** Ends every session of a person (deactivated, a new PIN), except `keep` (where they changed it themselves). */
  endAllOf(userId: number, keep?: string): void {
    for (const [session, entry] of this.sessions) if (entry.userId === userId && session !== keep) this.sessions.delete(session);
  }
}
