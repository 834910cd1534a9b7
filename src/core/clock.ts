/** Time comes from outside so tests (and SLA checks later) can control it. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
