import { and, eq, gt, like, or, sql } from 'drizzle-orm';
import type { Db } from '../../src/core/db/connection';
import { attemptLimits } from './schema';

export type LimitScope = (typeof attemptLimits.$inferSelect)['scope'];
type Row = typeof attemptLimits.$inferSelect;

/** What is counted for an attempt: a person's sign-in counts everywhere; a signature only for the person. */
export type AttemptKind = 'sign-in' | 'signature' | 'secret-change' | 'recovery-code' | 'unknown-person';

export interface AttemptPolicy {
  /** Wrong attempts by one person at one terminal before that terminal refuses them. */
  perTerminal: number;
  /** Wrong attempts by one person at all terminals together before every terminal refuses them. */
  allTerminals: number;
  /** Wrong sign-ins at one terminal, for anyone, before it refuses sign-ins for a while. */
  terminalSignIns: number;
  /** The first lockout; each wrong attempt after it locks again for twice as long, up to maxLockoutMs. */
  lockoutMs: number;
  maxLockoutMs: number;
}

interface Counter {
  scope: LimitScope;
  key: string;
  limit: number;
}

/** A counted attempt, to settle once its PIN or password has been checked. */
export interface Ticket {
  counters: Counter[];
  /** The counters this attempt locked when it was counted (it reached their limit). */
  locked: LimitScope[];
}

export interface Lock {
  scope: LimitScope;
  /** The terminal, for a lock at one terminal; the person's id or the terminal otherwise. */
  key: string;
  until: number;
  failures: number;
}

export type Reservation = { ok: true; ticket: Ticket } | { ok: false; scope: LimitScope; lockedUntil: number };

/** A counter's name among others (for AttemptLimits.succeeded's `wrongMeanwhile`). */
export const counterId = (counter: { scope: LimitScope; key: string }) => `${counter.scope} ${counter.key}`;

const personKey = (userId: number) => String(userId);
const personTerminalKey = (userId: number, terminal: string) => `${userId} ${terminal}`;
/** A person locked everywhere is the widest answer, then at this terminal, then the terminal itself. */
const BREADTH: Record<LimitScope, number> = { person: 3, 'person-terminal': 2, terminal: 1 };

/** The lock to tell people about among several: the longest, and of equal ones the widest. */
export function widest<T extends { scope: LimitScope; until: number }>(locks: T[]): T | null {
  return locks.reduce<T | null>((a, b) => (!a || b.until > a.until || (b.until === a.until && BREADTH[b.scope] > BREADTH[a.scope]) ? b : a), null);
}

/**
 * The users module's attempt counts (table user_attempt_limits). Every PIN or password attempt is
 * counted here, in a transaction, before its slow check runs (as pending), so a burst of guesses
 * cannot slip past the limit while earlier ones are still being checked; its check then settles
 * it as a failure or gives it back. Call every method inside a transaction. In one process a
 * person's attempts come here one at a time (attemptLines.ts); the pending count is what holds
 * the limit between processes sharing the database.
 */
export class AttemptLimits {
  constructor(
    private readonly db: Db,
    private readonly policy: AttemptPolicy,
    private readonly clock: () => number,
  ) {}

  private counters(kind: AttemptKind, userId: number | null, terminal: string): Counter[] {
    const { perTerminal, allTerminals, terminalSignIns } = this.policy;
    const person: Counter[] =
      userId === null
        ? []
        : [
            { scope: 'person-terminal', key: personTerminalKey(userId, terminal), limit: perTerminal },
            { scope: 'person', key: personKey(userId), limit: allTerminals },
          ];
    const atTerminal: Counter[] = [{ scope: 'terminal', key: terminal, limit: terminalSignIns }];
    switch (kind) {
      case 'sign-in':
        return [...person, ...atTerminal];
      case 'signature':
      case 'secret-change':
        return person;
      case 'recovery-code':
      case 'unknown-person':
        return atTerminal;
    }
  }

  private row(counter: Counter): Row | undefined {
    return this.db
      .select()
      .from(attemptLimits)
      .where(and(eq(attemptLimits.scope, counter.scope), eq(attemptLimits.key, counter.key)))
      .get();
  }

  private write(counter: Counter, values: Pick<Row, 'failures' | 'pending' | 'lockedUntil' | 'lastAttemptAt'>): void {
    const where = and(eq(attemptLimits.scope, counter.scope), eq(attemptLimits.key, counter.key));
    // A count back at nothing, with no lock, is no row at all: the table holds only what matters now.
    if (values.failures === 0 && values.pending === 0 && values.lockedUntil === null) {
      this.db.delete(attemptLimits).where(where).run();
      return;
    }
    this.db
      .insert(attemptLimits)
      .values({ scope: counter.scope, key: counter.key, ...values })
      .onConflictDoUpdate({ target: [attemptLimits.scope, attemptLimits.key], set: values })
      .run();
  }

  /** How long the lock at `count` attempts lasts: doubling with each one past the limit. */
  private lockFor(count: number, limit: number): number {
    return Math.min(this.policy.lockoutMs * 2 ** Math.min(count - limit, 30), this.policy.maxLockoutMs);
  }

  /** The lock in force on a counter now (the limit reached, counting the attempts still being checked). */
  private lockAfter(row: Pick<Row, 'failures' | 'pending' | 'lockedUntil'>, counter: Counter, now: number): number | null {
    if (row.lockedUntil !== null && row.lockedUntil > now) return row.lockedUntil;
    const count = row.failures + row.pending;
    return count >= counter.limit ? now + this.lockFor(count, counter.limit) : null;
  }

  /** Whether none of an attempt's counters holds anything (no failures, none pending, no lock): a count back at nothing is no row. */
  untouched(kind: AttemptKind, userId: number | null, terminal: string): boolean {
    return this.counters(kind, userId, terminal).every((counter) => !this.row(counter));
  }

  /**
   * Counts an attempt before it is checked, or refuses it (without counting) while any of its
   * counters is locked. The attempt that reaches a limit locks it at once, so attempts arriving
   * while it is being checked are refused.
   */
  reserve(kind: AttemptKind, userId: number | null, terminal: string): Reservation {
    const now = this.clock();
    const counters = this.counters(kind, userId, terminal);
    const rows = counters.map((c) => this.row(c));
    const locked = widest(rows.flatMap((row, i) => (row?.lockedUntil != null && row.lockedUntil > now ? [{ scope: counters[i]!.scope, until: row.lockedUntil }] : [])));
    if (locked) return { ok: false, scope: locked.scope, lockedUntil: locked.until };

    const ticket: Ticket = { counters, locked: [] };
    counters.forEach((counter, i) => {
      const row = rows[i];
      // A terminal's count starts again after a quiet lockout period (people mistype now and then);
      // a person's only with a good attempt, so repeated lockouts grow longer.
      const quiet = counter.scope === 'terminal' && row !== undefined && row.pending === 0 && row.lastAttemptAt < now - this.policy.lockoutMs;
      const next = { failures: row && !quiet ? row.failures : 0, pending: (row?.pending ?? 0) + 1, lockedUntil: null };
      const lockedUntil = this.lockAfter(next, counter, now);
      if (lockedUntil !== null) ticket.locked.push(counter.scope);
      this.write(counter, { ...next, lockedUntil, lastAttemptAt: now });
    });
    return { ok: true, ticket };
  }

  /**
   * The attempt was right: the person's counts start again; the terminal gets its attempt back.
   * `wrongMeanwhile` (by counterId): wrong attempts settled while this one waited its turn, which
   * stay counted, like guesses still being checked beside it.
   */
  succeeded(ticket: Ticket, wrongMeanwhile: ReadonlyMap<string, number> = new Map()): void {
    for (const counter of ticket.counters) {
      const row = this.row(counter);
      if (!row) continue;
      // Only this attempt is given back: guesses still being checked beside it stay counted.
      const failures = counter.scope === 'terminal' ? row.failures : Math.min(row.failures, wrongMeanwhile.get(counterId(counter)) ?? 0);
      const next = { failures, pending: Math.max(0, row.pending - 1), lockedUntil: null };
      const count = next.failures + next.pending;
      this.write(counter, { ...next, lockedUntil: count >= counter.limit ? row.lockedUntil : null, lastAttemptAt: row.lastAttemptAt });
    }
  }

  /**
   * The attempt was wrong: it becomes a failure. Returns the locks in force on its counters now,
   * and those it brought: reached when it was counted, or now (a good attempt beside it had lifted
   * the lock, but the wrong ones still being checked reach the limit again).
   */
  failed(ticket: Ticket): { inForce: Lock[]; brought: Lock[] } {
    const now = this.clock();
    const inForce: Lock[] = [];
    const brought: Lock[] = [];
    for (const counter of ticket.counters) {
      const row = this.row(counter);
      const next = { failures: (row?.failures ?? 0) + 1, pending: Math.max(0, (row?.pending ?? 1) - 1), lockedUntil: null };
      const before = row?.lockedUntil != null && row.lockedUntil > now ? row.lockedUntil : null;
      const until = this.lockAfter({ ...next, lockedUntil: before }, counter, now);
      this.write(counter, { ...next, lockedUntil: until, lastAttemptAt: row?.lastAttemptAt ?? now });
      if (until === null) continue;
      const lock = { scope: counter.scope, key: counter.key, until, failures: next.failures };
      inForce.push(lock);
      if (before === null || ticket.locked.includes(counter.scope)) brought.push(lock);
    }
    return { inForce, brought };
  }

  /** Attempts left before the nearest lock, after a wrong one (already counted). */
  left(ticket: Ticket): { scope: LimitScope; left: number } {
    let nearest: { scope: LimitScope; left: number } = { scope: 'person-terminal', left: Infinity };
    for (const counter of ticket.counters) {
      const row = this.row(counter);
      const left = counter.limit - ((row?.failures ?? 0) + (row?.pending ?? 0));
      if (left < nearest.left) nearest = { scope: counter.scope, left };
    }
    return nearest;
  }

  /** After a crash, attempts that were being checked count as wrong ones (they may have been). */
  settleAbandoned(): void {
    this.db
      .update(attemptLimits)
      .set({ failures: sql`${attemptLimits.failures} + ${attemptLimits.pending}`, pending: 0 })
      .where(gt(attemptLimits.pending, 0))
      .run();
  }

  private personRows(userId: number, terminal?: string) {
    return or(
      and(eq(attemptLimits.scope, 'person'), eq(attemptLimits.key, personKey(userId))),
      and(eq(attemptLimits.scope, 'person-terminal'), terminal === undefined ? like(attemptLimits.key, `${userId} %`) : eq(attemptLimits.key, personTerminalKey(userId, terminal))),
    );
  }

  /** Locks in force on a person: at every terminal (`person`) and at single terminals (key: the terminal). */
  locksOf(userId: number): { everywhere: Lock | null; atTerminals: Lock[] } {
    const now = this.clock();
    const rows = this.db
      .select()
      .from(attemptLimits)
      .where(and(this.personRows(userId), gt(attemptLimits.lockedUntil, now)))
      .all()
      .map((r): Lock => ({ scope: r.scope, key: r.key, until: r.lockedUntil!, failures: r.failures }));
    return {
      everywhere: rows.find((r) => r.scope === 'person') ?? null,
      atTerminals: rows.filter((r) => r.scope === 'person-terminal').map((r) => ({ ...r, key: r.key.slice(r.key.indexOf(' ') + 1) })),
    };
  }

  /** Terminals refusing sign-ins now. */
  lockedTerminals(): Lock[] {
    return this.db
      .select()
      .from(attemptLimits)
      .where(and(eq(attemptLimits.scope, 'terminal'), gt(attemptLimits.lockedUntil, this.clock())))
      .all()
      .map((r) => ({ scope: r.scope, key: r.key, until: r.lockedUntil!, failures: r.failures }));
  }

  /** Lifts a person's locks and counts: everywhere, or everywhere and at one terminal (`terminal`). */
  clearPerson(userId: number, terminal?: string): boolean {
    return this.db.delete(attemptLimits).where(this.personRows(userId, terminal)).run().changes > 0;
  }

  /** An administrator lets a terminal take sign-ins again. */
  clearTerminal(terminal: string): boolean {
    return this.db.delete(attemptLimits).where(and(eq(attemptLimits.scope, 'terminal'), eq(attemptLimits.key, terminal))).run().changes > 0;
  }
}
