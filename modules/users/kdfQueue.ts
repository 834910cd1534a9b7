import { availableParallelism } from 'node:os';

interface Waiting {
  person: string;
  start(): void;
}

interface Terminal {
  waiting: Waiting[];
  running: number;
  /** When it last had a turn (a counter): the next slot goes to the terminal whose turn was longest ago. */
  lastTurn: number;
}

/**
 * Runs the slow PIN and password checks (scrypt: ~0.2 s of a core each) a few at a time, one at a
 * time per person, and takes turns between terminals: a burst of guesses from one terminal, at
 * one person or at many, never holds up a sign-in at another terminal by more than one check.
 * The checks themselves run on libuv's pool, off the thread that answers calls.
 */
export class KdfQueue {
  private running = 0;
  private turns = 0;
  private readonly busy = new Set<string>();
  /** Terminals with checks waiting or running (and only those: the map does not grow with every terminal ever seen). */
  private readonly terminals = new Map<string, Terminal>();

  constructor(
    private readonly slots = Math.max(1, availableParallelism()),
    /** How a caller waits for a check: through the storage port's released, so other calls use the database meanwhile. */
    private readonly waitFor: <T>(wait: () => Promise<T>) => Promise<T> = (wait) => wait(),
  ) {}

  /** Runs `job` when a slot is free, it is `terminal`'s turn and nothing else of `person`'s runs. */
  run<T>(terminal: string, person: string, job: () => Promise<T>): Promise<T> {
    return this.waitFor(() => this.queued(terminal, person, job));
  }

  private queued<T>(terminal: string, person: string, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const line = this.terminals.get(terminal) ?? { waiting: [], running: 0, lastTurn: -1 };
      this.terminals.set(terminal, line);
      line.waiting.push({
        person,
        start: () => {
          this.running++;
          line.running++;
          this.busy.add(person);
          job()
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              line.running--;
              this.busy.delete(person);
              if (!line.running && !line.waiting.length) this.terminals.delete(terminal);
              this.next();
            });
        },
      });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.slots) {
      let chosen: { line: Terminal; index: number } | null = null;
      for (const line of this.terminals.values()) {
        const index = line.waiting.findIndex((w) => !this.busy.has(w.person));
        if (index >= 0 && (!chosen || line.lastTurn < chosen.line.lastTurn)) chosen = { line, index };
      }
      if (!chosen) return;
      const [job] = chosen.line.waiting.splice(chosen.index, 1);
      chosen.line.lastTurn = this.turns++;
      job!.start();
    }
  }
}
