import { createHash } from 'node:crypto';
import { and, eq, lt, ne } from 'drizzle-orm';
import type { Db } from '../../src/core/db/connection';
import { sessions as sessionRows } from './schema';
import type { SessionVerifier } from './sessionVerifier';

/** Who is signed in at each terminal, and when they last did anything there. */
export interface TerminalSession {
  userId: number;
  lastActivity: number;
  /** Locked by the Lock button, the renderer's timer or the core's idle check; the same person unlocks. */
  locked: boolean;
  /** The PIN they signed in with, for their e-signatures here (see sessionVerifier.ts). In memory only, never written. */
  verifier?: SessionVerifier;
}

/**
 * How often a person's activity is written while they work. The idle lock and sign-out measure
 * from the activity held in memory; after a restart they measure from the one written last, which
 * may be up to this much older: the session then locks (or signs out) up to 30 s early, never late.
 */
export const WRITE_ACTIVITY_EVERY_MS = 30_000;

/** How a session is named in the table and in the change feed: the SHA-256 of what the host calls it, never the id itself. */
export const sessionHashOf = (session: string) => createHash('sha256').update(session).digest('hex');

interface Entry extends TerminalSession {
  /** The last activity written to the table. */
  written: number;
}

/**
 * The sessions, in memory (every call asks: no database read for it), and, where sign-ins are to
 * outlive a restart (`durable`: a site server, ModuleContext.durableSessions), written through to
 * the table user_sessions: at sign-in, lock, sign-out and every end, and the activity at most every
 * WRITE_ACTIVITY_EVERY_MS. What is read back at a start is who was signed in, since when idle, and
 * whether locked; never the verifier, so after a restart a signature takes the full scrypt check.
 * Call the methods that write inside the transaction that records the change, where there is one.
 */
export class SessionTable {
  /** By the session's hash: all a restart has to go by. */
  private readonly sessions = new Map<string, Entry>();
  /** Hashes of the session names seen lately, so a call does not hash its session again and again. */
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly durable: boolean,
  ) {
    if (!durable) return;
    for (const row of db.select().from(sessionRows).all()) {
      this.sessions.set(row.sessionHash, { userId: row.userId, lastActivity: row.lastActivity, locked: row.locked, written: row.lastActivity });
    }
  }

  private hashOf(session: string): string {
    let hash = this.hashes.get(session);
    if (hash === undefined) {
      if (this.hashes.size > 10_000) this.hashes.clear();
      hash = sessionHashOf(session);
      this.hashes.set(session, hash);
    }
    return hash;
  }

  get(session: string): TerminalSession | undefined {
    return this.sessions.get(this.hashOf(session));
  }

  signIn(session: string, userId: number, now: number, verifier?: SessionVerifier): void {
    const hash = this.hashOf(session);
    if (this.durable) {
      const values = { userId, signedInAt: now, lastActivity: now, locked: false };
      this.db
        .insert(sessionRows)
        .values({ sessionHash: hash, ...values })
        .onConflictDoUpdate({ target: sessionRows.sessionHash, set: values })
        .run();
    }
    this.sessions.set(hash, { userId, lastActivity: now, locked: false, written: now, ...(verifier ? { verifier } : {}) });
  }

  /**
   * Something the person did at a signed-in, unlocked terminal. Written when the last write is
   * WRITE_ACTIVITY_EVERY_MS old; false when that write failed (the call goes on: it is a note).
   */
  touch(session: string, now: number): boolean {
    const hash = this.hashOf(session);
    const entry = this.sessions.get(hash);
    if (!entry || entry.locked) return true;
    entry.lastActivity = now;
    if (!this.durable || now - entry.written < WRITE_ACTIVITY_EVERY_MS) return true;
    entry.written = now;
    try {
      this.db.update(sessionRows).set({ lastActivity: now }).where(eq(sessionRows.sessionHash, hash)).run();
      return true;
    } catch {
      return false;
    }
  }

  lock(session: string): boolean {
    const hash = this.hashOf(session);
    const entry = this.sessions.get(hash);
    if (!entry || entry.locked) return false;
    if (this.durable) {
      // With the activity it locked after, so a restart measures from the same moment.
      this.db.update(sessionRows).set({ locked: true, lastActivity: entry.lastActivity }).where(eq(sessionRows.sessionHash, hash)).run();
      entry.written = entry.lastActivity;
    }
    entry.locked = true;
    return true;
  }

  signOut(session: string): TerminalSession | undefined {
    const hash = this.hashOf(session);
    const entry = this.sessions.get(hash);
    if (this.durable) this.db.delete(sessionRows).where(eq(sessionRows.sessionHash, hash)).run();
    this.sessions.delete(hash);
    return entry;
  }

  /** Their PIN is being changed: their signatures take the full check until they sign in again. */
  forgetVerifiers(userId: number): void {
    for (const entry of this.sessions.values()) if (entry.userId === userId) delete entry.verifier;
  }

  /** Ends every session of a person (deactivated, a new PIN), except `keep` (where they changed it themselves). */
  endAllOf(userId: number, keep?: string): void {
    const kept = keep === undefined ? undefined : this.hashOf(keep);
    if (this.durable) {
      this.db
        .delete(sessionRows)
        .where(kept === undefined ? eq(sessionRows.userId, userId) : and(eq(sessionRows.userId, userId), ne(sessionRows.sessionHash, kept)))
        .run();
    }
    for (const [hash, entry] of this.sessions) if (entry.userId === userId && hash !== kept) this.sessions.delete(hash);
  }

  /** Ends the sessions idle since before `before` (signed out by the idle rule). Returns how many. */
  endIdleSince(before: number): number {
    if (this.durable) this.db.delete(sessionRows).where(lt(sessionRows.lastActivity, before)).run();
    let ended = 0;
    for (const [hash, entry] of this.sessions) {
      if (entry.lastActivity < before) {
        this.sessions.delete(hash);
        ended++;
      }
    }
    return ended;
  }

}

/**
 * Ends every kept session (a backup was restored: its people may not be today's; or sign-ins are
 * not kept here). Returns how many there were; writes nothing when there were none.
 */
export function endAllSessions(db: Db): number {
  if (!db.select({ hash: sessionRows.sessionHash }).from(sessionRows).limit(1).get()) return 0;
  return db.delete(sessionRows).run().changes;
}
