import type { SessionVerifier } from './sessionVerifier';

/** Who is signed in at each terminal, and when they last did anything there. In memory: a restart signs everyone out. */
export interface TerminalSession {
  userId: number;
  lastActivity: number;
  /** Locked by the Lock button, the renderer's timer or the core's idle check; the same person unlocks. */
  locked: boolean;
  /** The PIN they signed in with, for their e-signatures here (see sessionVerifier.ts). */
  verifier?: SessionVerifier;
}

export class SessionTable {
  private readonly sessions = new Map<string, TerminalSession>();

  get(session: string): TerminalSession | undefined {
    return this.sessions.get(session);
  }

  signIn(session: string, userId: number, now: number, verifier?: SessionVerifier): void {
    this.sessions.set(session, { userId, lastActivity: now, locked: false, ...(verifier ? { verifier } : {}) });
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

  /** Their PIN is being changed: their signatures take the full check until they sign in again. */
  forgetVerifiers(userId: number): void {
    for (const entry of this.sessions.values()) if (entry.userId === userId) delete entry.verifier;
  }

  /** Ends every session of a person (deactivated, a new PIN), except `keep` (where they changed it themselves). */
  endAllOf(userId: number, keep?: string): void {
    for (const [session, entry] of this.sessions) if (entry.userId === userId && session !== keep) this.sessions.delete(session);
  }
}
