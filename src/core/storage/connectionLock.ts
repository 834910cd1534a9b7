import { AsyncLocalStorage } from 'node:async_hooks';

/** Who holds the connection: one object per hold, compared by identity; ended once its hold is over. */
interface Holder {
  ended: boolean;
  /** A hold of synchronous work (holdNow): it ends when that work returns, so what it starts asynchronously is not part of it. */
  sync?: boolean;
}

export const CONNECTION_BUSY =
  "Synchronous database work ran inside another call's open transaction (it would have joined it): that work must wait for the call, through the storage port.";

/**
 * One call at a time on SQLite's one connection (better-sqlite3 is synchronous and a transaction
 * belongs to the connection, not to a call). A call holds it from its start to its end, including
 * its awaits, so no other call's statement can land inside its transaction or read what it has
 * not committed; a wait that is not for the database (a worker, a file copy) gives it up meanwhile
 * (`released`). Holders are told apart by async context: whatever a holder awaits still holds.
 */
export class ConnectionLock {
  private holder: Holder | null = null;
  private readonly waiting: { holder: Holder; resolve: () => void }[] = [];
  private readonly context = new AsyncLocalStorage<Holder>();

  constructor(
    /** What a call's hold waits for after its work settled, before it is over (a transaction it opened and did not wait for); undefined: nothing. */
    private readonly unfinished: () => Promise<void> | undefined = () => undefined,
  ) {}

  /** Whether the code running now holds the connection. */
  mine(): boolean {
    const current = this.context.getStore();
    return current !== undefined && current === this.holder;
  }

  /**
   * Runs fn holding the connection, after the calls already waiting; at once when it already holds
   * it. Asynchronous work started by synchronous work (a deferred job starting a run) waits for its
   * own turn: the synchronous hold is over before that work is, and another call must not find its
   * transaction open on the connection.
   */
  hold<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.mine() && !this.context.getStore()!.sync) return settle(fn);
    const holder: Holder = { ended: false };
    const taken = this.take(holder);
    return taken ? taken.then(() => this.runHeld(holder, fn)) : this.runHeld(holder, fn);
  }

  /**
   * For synchronous work: runs fn at once holding the connection when it is free or already held
   * here (see available); throws otherwise, since synchronous work cannot wait for it.
   */
  holdNow<T>(fn: () => T): T {
    if (this.mine()) return fn();
    if (this.holder !== null) throw new Error('The database connection is held by another call.');
    const holder: Holder = { ended: false, sync: true };
    this.holder = holder;
    try {
      return this.context.run(holder, fn);
    } finally {
      holder.ended = true;
      this.handOn(holder);
    }
  }

  /**
   * Runs fn as work of no call: a timer or a job started during a call carries that call's async
   * context, and must not pass for the call (and join its open transaction) when it runs later.
   */
  outside<T>(fn: () => T): T {
    return this.context.exit(fn);
  }

  /** Whether synchronous work could run now (free, or held here). */
  available(): boolean {
    return this.holder === null || this.mine();
  }

  /**
   * Awaits wait with the connection given to the next call meanwhile, then takes it back (after
   * those waiting) if the hold is still on: work a call started and left running (a backup job)
   * carries the call's context, and must not take the connection again once that call has ended.
   */
  async released<T>(wait: Promise<T> | (() => Promise<T>)): Promise<T> {
    const holder = this.context.getStore();
    if (holder === undefined || holder !== this.holder) return typeof wait === 'function' ? wait() : wait;
    this.handOn(holder);
    try {
      return await (typeof wait === 'function' ? wait() : wait);
    } finally {
      if (!holder.ended) await this.take(holder);
    }
  }

  /** Makes holder the holder: at once (undefined) if free, else a promise resolved when its turn comes. */
  private take(holder: Holder): Promise<void> | undefined {
    if (this.holder === null) {
      this.holder = holder;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push({ holder, resolve }));
  }

  private async runHeld<T>(holder: Holder, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await this.context.run(holder, fn);
    } finally {
      // Work fn started and left running with a transaction open (not waited for) still holds: the
      // next call must not find that transaction open on the connection and write into it.
      for (let left = this.unfinished(); left; left = this.unfinished()) await left;
      holder.ended = true;
      this.handOn(holder);
    }
  }

  /** Gives the connection to the next waiting call whose hold is still on, or frees it. */
  private handOn(holder: Holder): void {
    if (this.holder !== holder) return;
    let next = this.waiting.shift();
    while (next?.holder.ended) {
      next.resolve();
      next = this.waiting.shift();
    }
    this.holder = next?.holder ?? null;
    next?.resolve();
  }
}

function settle<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
