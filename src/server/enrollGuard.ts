/** Wrong enrollment codes one address may send in a window; then it waits. */
const FAILURES_PER_ADDRESS = 10;
const WINDOW_MS = 10 * 60_000;
/** Addresses remembered at most; past that the oldest windows are forgotten first. */
const MAX_ADDRESSES = 10_000;

/**
 * Slows down guessing of enrollment codes from one address: past ten wrong codes in ten minutes an
 * enrollment from there is refused without looking at the code until the window passes. Right codes
 * are not limited (setting up a hangar's fifty terminals in an afternoon is normal), and there is no
 * limit for all addresses together: with 60 random bits a code cannot be guessed in its day however
 * many addresses try, while such a limit would let anyone block every enrollment of the site.
 */
export function enrollGuard(now: () => number = Date.now) {
  const perAddress = new Map<string, { failures: number; since: number }>();
  const current = (address: string) => {
    const entry = perAddress.get(address);
    return entry && now() - entry.since < WINDOW_MS ? entry : { failures: 0, since: now() };
  };
  return {
    /** Seconds to wait before this address may try again, or 0. */
    waitFor(address: string): number {
      const mine = current(address);
      return mine.failures >= FAILURES_PER_ADDRESS ? Math.ceil((mine.since + WINDOW_MS - now()) / 1000) : 0;
    },
    failed(address: string): void {
      const mine = current(address);
      perAddress.delete(address);
      perAddress.set(address, { ...mine, failures: mine.failures + 1 });
      if (perAddress.size > MAX_ADDRESSES) perAddress.delete(perAddress.keys().next().value!);
    },
  };
}
