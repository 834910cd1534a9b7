import { parseArgs } from 'node:util';

export interface BenchArgs {
  items: number;
  /** Transitions through the app, and as many raw-floor writes. */
  ops: number;
  /** Calls per read measurement. */
  runs: number;
  out: string | null;
  /** Leave out the site run (bench/site.ts). */
  skipSite: boolean;
}

const positive = (name: string, value: string) => {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not "${value}"`);
  return n;
};

export function benchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      items: { type: 'string', default: '1000000' },
      ops: { type: 'string', default: '1000' },
      runs: { type: 'string', default: '100' },
      out: { type: 'string' },
      'skip-site': { type: 'boolean', default: false },
    },
  });
  return { items: positive('items', values.items), ops: positive('ops', values.ops), runs: positive('runs', values.runs), out: values.out ?? null, skipSite: values['skip-site'] ?? false };
}
