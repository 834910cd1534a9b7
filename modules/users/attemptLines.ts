/** How long an attempt waits behind the same person's earlier ones before it is given up, unchecked. */
export const MAX_WAIT_MS = 30_000;

/** What an attempt learns and tells while it has its turn. */
export interface Turn {
  /**
   * The person's wrong attempts settled while this one waited in line (by counter, see
   * attempts.ts counterId): they were typed beside it, not before it, so its success does not
   * forgive them. Empty for an attempt that did not wait.
   */
  readonly wrongMeanwhile: ReadonlyMap<string, number>;
  /** This attempt was wrong, counted on `counters`: the attempts waiting behind it are told. */
  wrong(counters: string[]): void;
}

interface Waiting {
  wrongMeanwhile: Map<string, number>;
  start(): void;
  timer?: ReturnType<typeof setTimeout>;
}

interface Line {
  busy: boolean;
  waiting: Waiting[];
}

/**
 * Each person's PIN and password attempts in this process, one at a time: counted, checked and
 * settled before the next is counted. Every attempt is counted before its slow check (as
 * pending, attempts.ts), so a burst of guesses cannot slip past the limit; one at a time per
 * person, that count is never more than the one attempt being checked, so several right attempts
 * at once (two windows, a site server taking several sign-offs of one person, a bulk sign-off) no
 * longer add up to a lockout, while a burst of wrong ones is checked no further than the limit
 * (those behind the one that reaches it are refused, unchecked, when their turn comes). The
 * pending count stays in the database as the guard between processes.
 *
 * Per person: one person's burst does not hold up anyone else's attempt. The line itself is held
 * only by checks (refusals and quick checks take no time), and a burst of guesses locks after a
 * few of those; still, an attempt that waits longer than `maxWaitMs` is refused unchecked with
 * `waitedTooLong()`, so no line can keep a person's attempts waiting without end.
 */
export class AttemptLines {
  /** People with attempts in line now (and only those). */
  private readonly lines = new Map<number, Line>();

  constructor(
    private readonly maxWaitMs = MAX_WAIT_MS,
    /** How an attempt waits for its turn: through the storage port's released, so the attempt it waits for can use the database. */
    private readonly waitFor: <T>(wait: () => Promise<T>) => Promise<T> = (wait) => wait(),
  ) {}

  /**
   * Runs `attempt` once every earlier attempt of `person` here has been settled: at once (in this
   * same turn of the event loop) when none is in line.
   */
  run<T>(person: number, attempt: (turn: Turn) => Promise<T>, waitedTooLong: () => Error): Promise<T> {
    let line = this.lines.get(person);
    if (!line) {
      line = { busy: false, waiting: [] };
      this.lines.set(person, line);
    }
    const here = line;
    const entry: Waiting = { wrongMeanwhile: new Map(), start: () => {} };
    if (!here.busy) {
      here.busy = true;
      return this.take(person, here, entry, attempt);
    }
    // Its turn comes when the attempt before it settles; it then runs in its own call, not in that one's.
    const turnCame = new Promise<void>((resolve, reject) => {
      entry.start = resolve;
      entry.timer = setTimeout(() => {
        here.waiting.splice(here.waiting.indexOf(entry), 1);
        reject(waitedTooLong());
      }, this.maxWaitMs);
      entry.timer.unref?.();
      here.waiting.push(entry);
    });
    return this.waitFor(() => turnCame).then(() => this.take(person, here, entry, attempt));
  }

  /** Runs the attempt whose turn it is (the line is marked busy for it), then hands the line on. */
  private async take<T>(person: number, line: Line, entry: Waiting, attempt: (turn: Turn) => Promise<T>): Promise<T> {
    const turn: Turn = {
      wrongMeanwhile: entry.wrongMeanwhile,
      wrong: (counters) => {
        for (const behind of line.waiting) for (const c of counters) behind.wrongMeanwhile.set(c, (behind.wrongMeanwhile.get(c) ?? 0) + 1);
      },
    };
    try {
      return await attempt(turn);
    } finally {
      this.next(person, line);
    }
  }

  private next(person: number, line: Line): void {
    const entry = line.waiting.shift();
    if (entry) {
      clearTimeout(entry.timer);
      entry.start();
    } else {
      line.busy = false;
      if (this.lines.get(person) === line) this.lines.delete(person);
    }
  }

  /** Attempts waiting (not the one being checked) for `person`: for tests. */
  waitingFor(person: number): number {
    return this.lines.get(person)?.waiting.length ?? 0;
  }
}
