/** Nearest-rank percentile of durations (ms); 0 for none. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Timing {
  runs: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(samples: number[]): Timing {
  return { runs: samples.length, medianMs: percentile(samples, 50), p95Ms: percentile(samples, 95), p99Ms: percentile(samples, 99), maxMs: percentile(samples, 100) };
}

/** The durations (ms) of `runs` calls of `fn`, after a few warm-up calls. */
export async function sampleRuns(runs: number, fn: (i: number) => unknown): Promise<number[]> {
  for (let i = 0; i < Math.min(5, runs); i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

export const timeRuns = async (runs: number, fn: (i: number) => unknown): Promise<Timing> => summarize(await sampleRuns(runs, fn));
