/** Wrong enrollment codes one address may send in a window; then it waits. */
const FAILURES_PER_ADDRESS = 10;
/** Wrong codes from everywhere together: a guesser with many addresses is slowed as well. */
const FAILURES_IN_ALL = 100;
const WINDOW_MS = 10 * 60_000;

/**
 * Slows down guessing of enrollment codes (60 random bits each, so this is defence in depth):
 * wrong codes are counted per address and in all; past the limit an enrollment is refused without
 * looking at the code until the window passes. Right codes are not limited — setting up a hangar's
 * fifty terminals in an afternoon is normal.
 */
export function enrollGuard(now: () => number = Date.now) {
  const perAddress = new Map<string, { failures: number; since: number }>();
  let all = { failures: 0, since: now() };
  const fresh = (entry: { failures: number; since: number } | undefined) => (entry && now() - entry.since < WINDOW_MS ? entry : { failures: 0, since: now() });
  return {
    /** Seconds to wait before this address may try again, or 0. */
    waitFor(address: string): number {
      const mine = fresh(perAddress.get(address));
      all = fresh(all);
      const blocked = [mine.failures >= FAILURES_PER_ADDRESS ? mine : null, all.failures >= FAILURES_IN_ALL ? all : null].filter((e) => e !== null);
      if (!blocked.length) return 0;
      return Math.ceil(Math.max(...blocked.map((e) => e!.since + WINDOW_MS - now())) / 1000);
    },
    failed(address: string): void {
      const mine = fresh(perAddress.get(address));
      perAddress.set(address, { ...mine, failures: mine.failures + 1 });
      all = fresh(all);
      all.failures += 1;
      if (perAddress.size > 10_000) perAddress.clear(); // a flood of addresses: the total still holds
    },
  };
}
