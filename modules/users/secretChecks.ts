import type { ChangeRecord } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { Actor } from '../../src/shared/types';
import type { AttemptKind, AttemptLimits, LimitScope, Reservation, Ticket } from './attempts';
import type { KdfQueue } from './kdfQueue';
import { verifySecret } from './kdf';
import type { UserRow } from './userRows';

/** What a PIN or password is being checked for. */
export type CheckKind = Extract<AttemptKind, 'sign-in' | 'signature' | 'secret-change'>;

export interface SecretCheckDeps {
  limits: AttemptLimits;
  queue: KdfQueue;
  transaction<T>(fn: () => T): T;
  recordChange(change: ChangeRecord, actor: Actor): void;
  /** Who a change is recorded against: the person, or the terminal for a sign-in. */
  actorOf(row: UserRow): Actor;
  terminalActor(session: string): Actor;
  lockoutMinutes: number;
}

const clockTime = (ms: number) => new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
const iso = (ms: number) => new Date(ms).toISOString();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The answer while an attempt is refused unchecked. It depends only on the lock, never on what
 * was typed, and comes at once: a locked account cannot be probed for its PIN.
 */
export function lockedOut(name: string | null, refusal: { scope: LimitScope; lockedUntil: number }): AppError {
  const until = clockTime(refusal.lockedUntil);
  const details = { lockedUntil: iso(refusal.lockedUntil), scope: refusal.scope };
  switch (refusal.scope) {
    case 'terminal':
      return new AppError(
        'FORBIDDEN',
        `This terminal refuses sign-ins until ${until}: too many wrong attempts were made here. Use another terminal, or ask an administrator.`,
        details,
      );
    case 'person':
      return new AppError(
        'FORBIDDEN',
        `${name} is locked at every terminal until ${until} after too many wrong PINs or passwords. Try again then, or ask an administrator to unlock (an administrator can use their recovery code).`,
        details,
      );
    case 'person-terminal':
      return new AppError(
        'FORBIDDEN',
        `${name} is locked at this terminal until ${until} after too many wrong PINs or passwords. Try again then or at another terminal, or ask an administrator to unlock.`,
        details,
      );
  }
}

const FAILED_ACTION: Record<CheckKind, string> = { 'sign-in': 'sign-in-failed', signature: 'signature-failed', 'secret-change': 'secret-change-failed' };
const WRONG: Record<CheckKind, string> = {
  'sign-in': 'PIN or password incorrect.',
  signature: 'PIN incorrect: nothing was signed.',
  'secret-change': 'The current PIN or password is incorrect: nothing was changed.',
};

/**
 * Checks a person's PIN or password the one way that holds under a burst of guesses: the attempt
 * is counted in the database first (or refused unchecked while locked), the slow scrypt check
 * then runs off the main thread, one at a time per person, and only then is the outcome settled.
 */
export class SecretChecks {
  constructor(private readonly deps: SecretCheckDeps) {}

  /** Resolves when `secret` is the person's; otherwise throws FORBIDDEN (wrong, or locked). */
  async check(row: UserRow, secret: string, session: string, kind: CheckKind): Promise<void> {
    const { limits, queue, transaction } = this.deps;
    const reservation: Reservation = transaction(() => limits.reserve(kind, row.id, session));
    if (!reservation.ok) throw lockedOut(row.name, reservation);
    const right = await queue.run(`user:${row.id}`, () => verifySecret(secret, row.secretHash));
    if (right) {
      transaction(() => limits.succeeded(reservation.ticket));
      return;
    }
    throw transaction(() => this.failed(row, session, kind, reservation.ticket));
  }

  /**
   * An attempt that failed without a slow check (a sign-in for nobody known, a wrong recovery
   * code): counted against the terminal like any wrong sign-in, or refused while it is locked.
   */
  failedAtTerminal(session: string, action: string, after: Record<string, unknown>): void {
    const { limits, transaction } = this.deps;
    transaction(() => {
      const reservation = limits.reserve('unknown-person', null, session);
      if (!reservation.ok) throw lockedOut(null, reservation);
      this.recordTerminalFailure(reservation.ticket, session, action, after);
    });
  }

  /** Records an attempt counted against the terminal alone (`ticket`) as failed, and any lock it brought. */
  recordTerminalFailure(ticket: Ticket, session: string, action: string, after: Record<string, unknown>): void {
    this.deps.transaction(() => {
      const who = this.deps.terminalActor(session);
      this.deps.recordChange({ entity: 'session', entityId: session, action, after: { ...after, terminal: session } }, who);
      this.recordLocks(ticket, session, who, null);
    });
  }

  /** The locks an attempt brought, for an administrator to see: who, which terminal, until when. */
  private recordLocks(ticket: Ticket, session: string, who: Actor, row: UserRow | null): void {
    for (const lock of ticket.locked) {
      const after = { userId: row?.id ?? null, number: row?.number ?? null, terminal: session, until: iso(lock.until), failures: lock.failures };
      if (lock.scope === 'terminal') this.deps.recordChange({ entity: 'terminal', entityId: session, action: 'sign-in-locked', after }, who);
      else this.deps.recordChange({ entity: 'user', entityId: String(row!.id), action: 'locked-out', after: { ...after, where: lock.scope === 'person' ? 'every terminal' : 'this terminal' } }, who);
    }
  }

  /** Records a wrong attempt (already counted) and any lock it brought, and says what is left. */
  private failed(row: UserRow, session: string, kind: CheckKind, ticket: Ticket): AppError {
    const { limits, recordChange } = this.deps;
    const who = kind === 'sign-in' ? this.deps.terminalActor(session) : this.deps.actorOf(row);
    const nearest = limits.left(ticket);
    recordChange(
      { entity: 'session', entityId: session, action: FAILED_ACTION[kind], after: { userId: row.id, number: row.number, terminal: session, attemptsLeft: Math.max(0, nearest.left) } },
      who,
    );
    this.recordLocks(ticket, session, who, row);
    const longest = ticket.locked.reduce<Ticket['locked'][number] | null>((a, b) => (a && a.until >= b.until ? a : b), null);
    if (longest) {
      const refused = lockedOut(row.name, { scope: longest.scope, lockedUntil: longest.until });
      return new AppError('FORBIDDEN', `${WRONG[kind]} ${refused.message}`, refused.details);
    }
    const where = { 'person-terminal': `${row.name} is locked at this terminal`, person: `${row.name} is locked at every terminal`, terminal: 'this terminal refuses sign-ins' }[nearest.scope];
    return new AppError('FORBIDDEN', `${WRONG[kind]} ${plural(nearest.left, 'more attempt')} before ${where} for ${plural(this.deps.lockoutMinutes, 'minute')}.`, {
      attemptsLeft: nearest.left,
    });
  }
}
