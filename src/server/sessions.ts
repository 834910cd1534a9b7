import { createHash, randomBytes } from 'node:crypto';
import type { WindowSessionStore } from '../core/site/windowSessions';
import { WINDOW_SESSION_DAYS } from '../core/site/windowSessions';

/** A terminal's windows may not open sessions without end. */
const MAX_SESSIONS_PER_TERMINAL = 50;
/** How often the last use of sessions is written (a restart may find it that much older). */
const WRITE_LAST_USE_EVERY_MS = 30_000;
/** How often sessions unused for WINDOW_SESSION_DAYS are forgotten. */
const PRUNE_EVERY_MS = 60 * 60_000;

/** What the core knows a window session by: the SHA-256 of its id, as the database keeps it. */
export const sessionKeyOf = (session: string) => createHash('sha256').update(session).digest('hex');

interface Entry {
  terminalId: string;
  lastUsed: number;
}

/**
 * Window sessions the server issues: unguessable (256 bits), bound to the terminal that asked.
 * A session id sent with another terminal's credential is unknown there.
 *
 * They outlive a restart of the core (a module switched, a backup restored: the core closes and
 * opens again in this process) and of the server: every request is answered from memory, and the
 * core's table site_sessions is the copy that survives, written through when a session opens or
 * ends (its terminal revoked), and its last use at most every 30 s. Only the SHA-256 of an id is
 * kept, in memory and on disk, and it is what the core sees as the session (`key`): the id itself,
 * which the window holds, is written nowhere, so neither a copy of the database nor the audit
 * trail gives anyone a session. A restart of the terminal starts its windows with new sessions
 * (people sign in again there, as after a restart of a standalone terminal).
 */
export function sessionRegistry(options: { clock?: () => number } = {}) {
  const clock = options.clock ?? Date.now;
  const owner = new Map<string, Entry>();
  const byTerminal = new Map<string, Set<string>>();
  /** Sessions used since their last use was written. */
  const unwritten = new Set<string>();
  let store: WindowSessionStore | null = null;
  let lastPrune = clock();

  const forget = (key: string) => {
    const entry = owner.get(key);
    if (!entry) return;
    owner.delete(key);
    unwritten.delete(key);
    byTerminal.get(entry.terminalId)?.delete(key);
  };
  const remember = (key: string, entry: Entry) => {
    owner.set(key, entry);
    const mine = byTerminal.get(entry.terminalId) ?? new Set<string>();
    byTerminal.set(entry.terminalId, mine);
    mine.add(key);
  };

  /** Writes the last use of the sessions used since the last write. */
  const writeLastUse = () => {
    if (!store || !unwritten.size) return;
    const batch = new Map<string, number>();
    for (const key of unwritten) {
      const entry = owner.get(key);
      if (entry) batch.set(key, entry.lastUsed);
    }
    unwritten.clear();
    store.used(batch);
  };
  const prune = () => {
    const before = clock() - WINDOW_SESSION_DAYS * 86_400_000;
    for (const [key, entry] of owner) if (entry.lastUsed < before) forget(key);
    store?.prune(before);
    lastPrune = clock();
  };
  const timer = setInterval(() => {
    try {
      writeLastUse();
      if (clock() - lastPrune > PRUNE_EVERY_MS) prune();
    } catch {
      // The core is closing or its disk failed: the next write (or the stop) tries again; the core reports its disk.
    }
  }, WRITE_LAST_USE_EVERY_MS);
  timer.unref?.();

  return {
    /**
     * Takes the sessions the core kept (at the server's start, and after each restart of the core):
     * what its table holds is what lives on. After a module switch that is every session; after a
     * restored backup none (the core ended them all), and every window gets SIGNED_OUT and a new one.
     */
    attach(next: WindowSessionStore): void {
      const known = new Map(owner);
      owner.clear();
      byTerminal.clear();
      unwritten.clear();
      store = next;
      for (const row of next.all()) {
        // A use not yet written before the core restarted in this process still counts.
        const before = known.get(row.idHash);
        const lastUsed = before && before.terminalId === row.terminalId ? Math.max(before.lastUsed, row.lastUsedAt) : row.lastUsedAt;
        remember(row.idHash, { terminalId: row.terminalId, lastUsed });
        if (lastUsed > row.lastUsedAt) unwritten.add(row.idHash);
      }
    },

    open(terminalId: string): string {
      const mine = byTerminal.get(terminalId);
      // The least recently used session of this terminal makes room (a window closed long ago).
      const ending: string[] = [];
      if (mine && mine.size >= MAX_SESSIONS_PER_TERMINAL) {
        const oldest = [...mine].sort((a, b) => owner.get(a)!.lastUsed - owner.get(b)!.lastUsed);
        ending.push(...oldest.slice(0, mine.size - MAX_SESSIONS_PER_TERMINAL + 1));
      }
      const session = `s_${randomBytes(32).toString('base64url')}`;
      const key = sessionKeyOf(session);
      const now = clock();
      // Written first: a session the database does not have is not handed out.
      store?.opened(key, terminalId, now, ending);
      for (const old of ending) forget(old);
      remember(key, { terminalId, lastUsed: now });
      return session;
    },

    /**
     * The key the core knows `session` by, when it was issued to `terminalId`; null otherwise (never
     * issued, ended, or issued to another terminal). From memory: no database read per request.
     */
    key(session: unknown, terminalId: string): string | null {
      if (typeof session !== 'string' || session.length > 100) return null;
      const key = sessionKeyOf(session);
      const entry = owner.get(key);
      if (!entry || entry.terminalId !== terminalId) return null;
      entry.lastUsed = clock();
      unwritten.add(key);
      return key;
    },

    /** The keys (as the core knows them) of the sessions open at a terminal. */
    of: (terminalId: string): string[] => [...(byTerminal.get(terminalId) ?? [])],

    /** Ends every session of a terminal (revoked): in memory, and in the table (the core's revocation already did, in its transaction). */
    endAllOf(terminalId: string): void {
      for (const key of [...(byTerminal.get(terminalId) ?? [])]) forget(key);
      byTerminal.delete(terminalId);
      store?.endAllOf(terminalId);
    },

    /** Writes what is not written yet (before the core closes: a stop, or a restart of the core). */
    flush: writeLastUse,

    /** At the server's stop, before the core closes. */
    close(): void {
      clearInterval(timer);
      writeLastUse();
      store = null;
    },
  };
}
export type SessionRegistry = ReturnType<typeof sessionRegistry>;
