import { availableParallelism } from 'node:os';

/**
 * Runs the slow PIN and password checks (scrypt: ~0.2 s of a core each) a few at a time, one at a
 * time per person, and takes turns between people: a burst of guesses at one person never holds
 * up anyone else's sign-in by more than one check. The checks themselves run on libuv's pool,
 * off the thread that answers calls.
 */
export class KdfQueue {
  private running = 0;
  private readonly busy = new Set<string>();
  /** Waiting jobs by person, in the order people first asked: the next turn goes to the first idle one. */
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly slots = Math.max(1, availableParallelism())) {}

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        this.busy.add(key);
        job()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.busy.delete(key);
            // Whoever just had a turn goes to the back of the line.
            const rest = this.waiting.get(key);
            if (rest) {
              this.waiting.delete(key);
              this.waiting.set(key, rest);
            }
            this.next();
          });
      };
      const queue = this.waiting.get(key);
      if (queue) queue.push(start);
      else this.waiting.set(key, [start]);
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.slots) {
      const key = [...this.waiting.keys()].find((k) => !this.busy.has(k));
      if (key === undefined) return;
      const queue = this.waiting.get(key)!;
      const start = queue.shift()!;
      if (!queue.length) this.waiting.delete(key);
      start();
    }
  }
}
