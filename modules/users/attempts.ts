import { and, eq, inArray, like, or } from 'drizzle-orm';
import type { Db } from '../../src/core/db/connection';
import { attemptLimits } from './schema';

export type LimitScope = (typeof attemptLimits.$inferSelect)['scope'];

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
  /** The counters this attempt locked when it was counted (its check decides whether the lock stays). */
  locked: { scope: LimitScope; until: number; failures: number }[];
}

export type Reservation = { ok: true; ticket: Ticket } | { ok: false; scope: LimitScope; lockedUntil: number };

export interface Lock {
  scope: LimitScope;
  key: string;
  until: number;
  failures: number;
}

const personKey = (userId: number) => String(userId);
const personTerminalKey = (userId: number, terminal: string) => `${userId} ${terminal}`;

/**
 * The users module's attempt counts (table user_attempt_limits). Every PIN or password attempt is
 * counted here, in a transaction, before its slow check runs, so a burst of guesses cannot slip
 * past the limit while earlier ones are still being checked. Call `reserve`, `succeeded` and
 * `failed` inside a transaction.
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

  private row(scope: LimitScope, key: string) {
    return this.db.select().from(attemptLimits).where(and(eq(attemptLimits.scope, scope), eq(attemptLimits.key, key))).get();
  }

  /** How long the lock that starts at `failures` wrong attempts lasts: doubling with each one past the limit. */
  private lockFor(failures: number, limit: number): number {
    return Math.min(this.policy.lockoutMs * 2 ** Math.min(failures - limit, 30), this.policy.maxLockoutMs);
  }

  /**
   * Counts an attempt before it is checked, or refuses it (without counting) while any of its
   * counters is locked. The attempt that reaches a limit locks at once, so attempts arriving
   * while it is being checked are refused.
   */
  reserve(kind: AttemptKind, userId: number | null, terminal: string): Reservation {
    const now = this.clock();
    const counters = this.counters(kind, userId, terminal);
    const rows = counters.map((c) => this.row(c.scope, c.key));
    // The longest lock decides the answer, so every refused attempt gets the same one.
    let refusal: { scope: LimitScope; lockedUntil: number } | null = null;
    rows.forEach((row, i) => {
      if (row?.lockedUntil != null && row.lockedUntil > now && (!refusal || row.lockedUntil > refusal.lockedUntil)) {
        refusal = { scope: counters[i]!.scope, lockedUntil: row.lockedUntil };
      }
    });
    if (refusal) return { ok: false, ...(refusal as { scope: LimitScope; lockedUntil: number }) };

    const locked: Ticket['locked'] = [];
    counters.forEach((counter, i) => {
      const row = rows[i];
      // A terminal's count starts again after a quiet lockout period (people mistype now and then);
      // a person's count only with a good attempt, so repeated lockouts grow longer.
      const quiet = counter.scope === 'terminal' && row !== undefined && row.lastAttemptAt < now - this.policy.lockoutMs;
      const failures = (row && !quiet ? row.failures : 0) + 1;
      const lockedUntil = failures >= counter.limit ? now + this.lockFor(failures, counter.limit) : null;
      if (lockedUntil !== null) locked.push({ scope: counter.scope, until: lockedUntil, failures });
      this.db
        .insert(attemptLimits)
        .values({ scope: counter.scope, key: counter.key, failures, lockedUntil, lastAttemptAt: now })
        .onConflictDoUpdate({ target: [attemptLimits.scope, attemptLimits.key], set: { failures, lockedUntil, lastAttemptAt: now } })
        .run();
    });
    return { ok: true, ticket: { counters, locked } };
  }

  /** The attempt was right: the person's counts start again; the terminal gets its attempt back. */
  succeeded(ticket: Ticket): void {
    for (const counter of ticket.counters) {
      const where = and(eq(attemptLimits.scope, counter.scope), eq(attemptLimits.key, counter.key));
      if (counter.scope !== 'terminal') {
        this.db.delete(attemptLimits).where(where).run();
        continue;
      }
      const row = this.row(counter.scope, counter.key);
      if (!row) continue;
      const failures = Math.max(0, row.failures - 1);
      this.db
        .update(attemptLimits)
        .set({ failures, ...(failures < counter.limit ? { lockedUntil: null } : {}) })
        .where(where)
        .run();
    }
  }

  /** Attempts left before the nearest lock, after a wrong one (already counted). */
  left(ticket: Ticket): { scope: LimitScope; left: number } {
    let nearest: { scope: LimitScope; left: number } = { scope: 'person-terminal', left: Infinity };
    for (const counter of ticket.counters) {
      const left = counter.limit - (this.row(counter.scope, counter.key)?.failures ?? 0);
      if (left < nearest.left) nearest = { scope: counter.scope, left };
    }
    return nearest;
  }

  /** Locks in force on a person: at every terminal (`person`) and at single terminals. */
  locksOf(userId: number): { everywhere: Lock | null; atTerminals: Lock[] } {
    const now = this.clock();
    const rows = this.db
      .select()
      .from(attemptLimits)
      .where(
        or(
          and(eq(attemptLimits.scope, 'person'), eq(attemptLimits.key, personKey(userId))),
          and(eq(attemptLimits.scope, 'person-terminal'), like(attemptLimits.key, `${userId} %`)),
        ),
      )
      .all()
      .filter((r) => r.lockedUntil !== null && r.lockedUntil > now)
      .map((r): Lock => ({ scope: r.scope, key: r.key, until: r.lockedUntil!, failures: r.failures }));
    return {
      everywhere: rows.find((r) => r.scope === 'person') ?? null,
      atTerminals: rows.filter((r) => r.scope === 'person-terminal').map((r) => ({ ...r, key: r.key.slice(r.key.indexOf(' ') + 1) })),
    };
  }

  /** An administrator lifts every lock and count on a person (a new PIN, an unlock, a recovery code). */
  clearPerson(userId: number, terminal?: string): boolean {
    const keys =
      terminal === undefined
        ? or(
            and(eq(attemptLimits.scope, 'person'), eq(attemptLimits.key, personKey(userId))),
            and(eq(attemptLimits.scope, 'person-terminal'), like(attemptLimits.key, `${userId} %`)),
          )
        : or(
            and(eq(attemptLimits.scope, 'person'), eq(attemptLimits.key, personKey(userId))),
            and(eq(attemptLimits.scope, 'person-terminal'), inArray(attemptLimits.key, [personTerminalKey(userId, terminal)])),
          );
    return this.db.delete(attemptLimits).where(keys).run().changes > 0;
  }
}
