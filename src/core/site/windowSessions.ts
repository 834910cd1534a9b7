import { eq, inArray, isNull, lt, notInArray } from 'drizzle-orm';
import type { Db } from '../db/connection';
import { siteSessions, siteTerminals } from '../db/schema';

/**
 * A window session nobody used for this long is forgotten (its window closed long ago, or its
 * terminal is off). Longer than any sign-in can stay idle (users' idleSignOutHours is at most a
 * week), so it never ends a sign-in that the users module would still honour.
 */
export const WINDOW_SESSION_DAYS = 8;

export interface WindowSessionRow {
  /** SHA-256 (hex) of the id the window holds. */
  idHash: string;
  terminalId: string;
  lastUsedAt: number;
}

interface Deps {
  db: Db;
  transaction: <T>(fn: () => T) => T;
}

/**
 * The site server's window sessions as the database keeps them (table site_sessions), so they
 * outlive a restart of the core or of the server. The server's registry (src/server/sessions.ts)
 * is what answers each request, from memory; it writes through here when a session opens or ends,
 * and its last use now and then.
 */
export function windowSessionStore({ db, transaction }: Deps) {
  return {
    /** Every session kept (at the server's start, and after each restart of its core). */
    all(): WindowSessionRow[] {
      return db.select({ idHash: siteSessions.idHash, terminalId: siteSessions.terminalId, lastUsedAt: siteSessions.lastUsedAt }).from(siteSessions).all();
    },

    /** A new session, and the ones it ends to make room (the terminal's oldest), in one transaction. */
    opened(idHash: string, terminalId: string, at: number, ending: string[] = []): void {
      transaction(() => {
        if (ending.length) db.delete(siteSessions).where(inArray(siteSessions.idHash, ending)).run();
        db.insert(siteSessions).values({ idHash, terminalId, openedAt: at, lastUsedAt: at }).run();
      });
    },

    /** When sessions were last used (the registry's batch since its last write). */
    used(lastUsed: ReadonlyMap<string, number>): void {
      if (!lastUsed.size) return;
      transaction(() => {
        for (const [idHash, at] of lastUsed) db.update(siteSessions).set({ lastUsedAt: at }).where(eq(siteSessions.idHash, idHash)).run();
      });
    },

    /** Ends every session of a terminal (it was revoked). */
    endAllOf(terminalId: string): void {
      db.delete(siteSessions).where(eq(siteSessions.terminalId, terminalId)).run();
    },

    /** Forgets sessions last used before `before`. Returns how many. */
    prune(before: number): number {
      return transaction(() => db.delete(siteSessions).where(lt(siteSessions.lastUsedAt, before)).run().changes);
    },

    /**
     * At a start: sessions of terminals revoked or unknown here and those unused for
     * WINDOW_SESSION_DAYS are gone. (A restored backup's are emptied before it is put in place:
     * applyPendingRestore's signInTables.)
     */
    tidy(now: number): void {
      transaction(() => {
        const live = db.select({ id: siteTerminals.id }).from(siteTerminals).where(isNull(siteTerminals.revokedAt));
        db.delete(siteSessions).where(notInArray(siteSessions.terminalId, live)).run();
        db.delete(siteSessions).where(lt(siteSessions.lastUsedAt, now - WINDOW_SESSION_DAYS * 86_400_000)).run();
      });
    },
  };
}
export type WindowSessionStore = ReturnType<typeof windowSessionStore>;
