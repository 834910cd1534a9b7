import type { ChangeRecord } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { Actor } from '../../src/shared/types';
import { AttemptLines, type Turn } from './attemptLines';
import { counterId, widest, type AttemptKind, type AttemptLimits, type LimitScope, type Lock, type Reservation, type Ticket } from './attempts';
import type { KdfQueue } from './kdfQueue';
import { verifySecret } from './kdf';
import type { UserRow } from './userRows';

/** What a PIN or password is being checked for. */
export type CheckKind = Extract<AttemptKind, 'sign-in' | 'signature' | 'secret-change'>;

/** Where an attempt comes from: the page or window (session) and the machine (terminal) it counts against. */
export interface Origin {
  session: string;
  terminal: string;
}

export interface SecretCheckDeps {
  limits: AttemptLimits;
  queue: KdfQueue;
  transaction<T>(fn: () => T): T;
  recordChange(change: ChangeRecord, actor: Actor): void;
  /** The person as they are now, read again after the slow check. */
  reread(userId: number): UserRow | undefined;
  /** Who a change is recorded against: the person, or the terminal for a sign-in. */
  actorOf(row: UserRow): Actor;
  terminalActor(origin: Origin): Actor;
  lockoutMinutes: number;
  clock(): number;
  /** How an attempt waits behind the same person's earlier one (the storage port's released). */
  released?: <T>(wait: () => Promise<T>) => Promise<T>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "08:14", or "08:14 on 8 Dec" when that is not today: a lockout can last up to a day. */
function untilText(until: number, now: number): string {
  const at = new Date(until);
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === new Date(now).toDateString() ? time : `${time} on ${at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })}`;
}

/**
 * The answer while an attempt is refused unchecked. It depends only on the lock, never on what
 * was typed, and comes at once: a locked account cannot be probed for its PIN.
 */
export function lockedOut(name: string | null, refusal: { scope: LimitScope; lockedUntil: number }, now: number): AppError {
  const until = untilText(refusal.lockedUntil, now);
  const details = { lockedUntil: iso(refusal.lockedUntil), scope: refusal.scope };
  switch (refusal.scope) {
    case 'terminal':
      return new AppError(
        'FORBIDDEN',
        `This terminal refuses sign-ins until ${until}: too many wrong attempts were made here. Use another terminal, or ask an administrator to unlock it.`,
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

const TOO_MANY: Record<CheckKind, string> = {
  'sign-in': 'nobody was signed in',
  signature: 'nothing was signed',
  'secret-change': 'nothing was changed',
};

/** The answer to an attempt that waited too long behind the same person's others: it was neither counted nor checked. */
export const tooManyAtOnce = (name: string, kind: CheckKind) =>
  new AppError('FORBIDDEN', `Too many PIN or password attempts at once for ${name}: this one was not checked and ${TOO_MANY[kind]}. Try again.`, {
    tooManyAtOnce: true,
  });

/**
 * Checks a person's PIN or password the one way that holds under a burst of guesses: the attempt
 * is counted in the database first (or refused unchecked while locked), the slow scrypt check
 * then runs off the main thread through the queue, and only then is the outcome settled. A
 * person's attempts take their turn one at a time (attemptLines.ts).
 */
export class SecretChecks {
  private readonly lines: AttemptLines;

  constructor(private readonly deps: SecretCheckDeps) {
    this.lines = new AttemptLines(undefined, deps.released);
  }

  /**
   * Resolves with the person as they are now when `secret` is theirs (checked by `quick` when it can
   * say, otherwise by scrypt); otherwise throws FORBIDDEN
   * (wrong, locked, or too many of theirs at once), or STALE_VERSION when their PIN or account changed during the check.
   */
  check(row: UserRow, secret: string, origin: Origin, kind: CheckKind, quick?: (secret: string) => boolean | null): Promise<UserRow> {
    // A right quick check on counters that hold nothing would be counted and given back within this
    // turn (no await between): nothing to write, so no two extra commits on every e-signature.
    // Anything else — wrong, unknown, or counts in play — takes the counted path below.
    if (quick && this.deps.limits.untouched(kind, row.id, origin.terminal) && quick(secret) === true) return Promise.resolve(row);
    return this.lines.run(row.id, (turn) => this.attempt(row, secret, origin, kind, quick, turn), () => tooManyAtOnce(row.name, kind));
  }

  private async attempt(row: UserRow, secret: string, origin: Origin, kind: CheckKind, quick: ((secret: string) => boolean | null) | undefined, turn: Turn): Promise<UserRow> {
    const { limits, queue, transaction } = this.deps;
    const reservation: Reservation = transaction(() => limits.reserve(kind, row.id, origin.terminal));
    if (!reservation.ok) throw lockedOut(row.name, reservation, this.deps.clock());
    // `quick`: the signed-in session's own verifier (sessionVerifier.ts), counted and settled like any check.
    const right = quick?.(secret) ?? (await queue.run(origin.terminal, `user:${row.id}`, () => verifySecret(secret, row.secretHash)));
    if (!right) {
      const wrong = transaction(() => this.failed(row, origin, kind, reservation.ticket));
      turn.wrong(reservation.ticket.counters.map(counterId));
      throw wrong;
    }
    return transaction(() => {
      limits.succeeded(reservation.ticket, turn.wrongMeanwhile);
      // The check took a while: a PIN reset, a deactivation or a new role meanwhile wins over it.
      const now = this.deps.reread(row.id);
      if (!now?.active || now.secretHash !== row.secretHash) {
        throw new AppError('STALE_VERSION', `${row.name}'s PIN or account was changed meanwhile (by an administrator or at another terminal); nothing was done.`);
      }
      return now;
    });
  }

  /**
   * An attempt that failed without a slow check (a sign-in for nobody known): counted against
   * the terminal like any wrong sign-in, or refused while the terminal is locked.
   */
  failedAtTerminal(origin: Origin, action: string, after: Record<string, unknown>): void {
    const { limits, transaction } = this.deps;
    transaction(() => {
      const reservation = limits.reserve('unknown-person', null, origin.terminal);
      if (!reservation.ok) throw lockedOut(null, reservation, this.deps.clock());
      this.recordFailure(origin, action, after, limits.failed(reservation.ticket).brought, null, this.deps.terminalActor(origin));
    });
  }

  /** Records a failed attempt, and who is locked out where because of it: who, which terminal, until when. */
  private recordFailure(origin: Origin, action: string, after: Record<string, unknown>, locks: Lock[], row: UserRow | null, who: Actor): void {
    const { recordChange } = this.deps;
    recordChange({ entity: 'session', entityId: origin.session, action, after: { ...after, terminal: origin.terminal } }, who);
    for (const lock of locks) {
      const about = { userId: row?.id ?? null, number: row?.number ?? null, terminal: origin.terminal, until: iso(lock.until), failures: lock.failures };
      if (lock.scope === 'terminal') recordChange({ entity: 'terminal', entityId: origin.terminal, action: 'sign-in-locked', after: about }, who);
      else recordChange({ entity: 'user', entityId: String(row!.id), action: 'locked-out', after: { ...about, where: lock.scope === 'person' ? 'every terminal' : 'this terminal' } }, who);
    }
  }

  /** Settles a wrong attempt (counted already), records it and any lock in force, and says what is left. */
  private failed(row: UserRow, origin: Origin, kind: CheckKind, ticket: Ticket): AppError {
    const { limits } = this.deps;
    const { inForce, brought } = limits.failed(ticket);
    const nearest = limits.left(ticket);
    const who = kind === 'sign-in' ? this.deps.terminalActor(origin) : this.deps.actorOf(row);
    this.recordFailure(origin, FAILED_ACTION[kind], { userId: row.id, number: row.number, attemptsLeft: Math.max(0, nearest.left) }, brought, row, who);
    const lock = widest(inForce);
    if (lock) {
      const refused = lockedOut(row.name, { scope: lock.scope, lockedUntil: lock.until }, this.deps.clock());
      return new AppError('FORBIDDEN', `${WRONG[kind]} ${refused.message}`, refused.details);
    }
    const where = { 'person-terminal': `${row.name} is locked at this terminal`, person: `${row.name} is locked at every terminal`, terminal: 'this terminal refuses sign-ins' }[nearest.scope];
    return new AppError('FORBIDDEN', `${WRONG[kind]} ${plural(nearest.left, 'more attempt')} before ${where} for ${plural(this.deps.lockoutMinutes, 'minute')}.`, {
      attemptsLeft: nearest.left,
    });
  }
}
