/** Numbers as people read them: 1,234,567. */
export const count = (n: number): string => n.toLocaleString('en');

export const duration = (ms: number): string => {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
};

export interface Progress {
  /** A new step: "copying work_items" with the rows it will go through. */
  start(label: string, total: number): void;
  /** Rows done so far in this step; printed at most every `everyMs`. */
  update(done: number): void;
  /** The step's last line: rows, time and rate. */
  finish(note?: string): void;
}

/**
 * Progress lines for a long run (a site's million items take minutes): at most one every `everyMs`
 * while a step runs ("work_items  420,000 / 1,000,000 rows  84,000 rows/s"), and one when it ends.
 * Plain lines rather than a redrawn one, so a log of the run (journalctl, a file) reads the same.
 */
export function progressLines(out: (line: string) => void, everyMs = 2000, now = () => performance.now()): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let started = 0;
  let printed = 0;
  const rate = (rows: number, ms: number) => (ms > 0 ? `${count(Math.round((rows * 1000) / ms))} rows/s` : '');
  return {
    start(name, rows) {
      label = name;
      total = rows;
      done = 0;
      started = printed = now();
    },
    update(rows) {
      done = rows;
      const at = now();
      if (at - printed < everyMs) return;
      printed = at;
      out(`  ${label}  ${count(done)} / ${count(total)} rows  ${rate(done, at - started)}`);
    },
    finish(note) {
      const ms = now() - started;
      const speed = ms >= 1000 ? `, ${rate(done, ms)}` : '';
      out(`  ${label}  ${count(done)} rows in ${duration(ms)}${speed}${note ? `  ${note}` : ''}`);
    },
  };
}
