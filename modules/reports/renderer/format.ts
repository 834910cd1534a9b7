import { MAX_RANGE_DAYS } from '../contract';

export const DAY = 86_400_000;
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const validDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** What is wrong with a date range, in words for the filter bar, or null. */
export function rangeProblem(from: string, to: string): string | null {
  if (!validDay(from)) return 'Choose a start date';
  if (!validDay(to)) return 'Choose an end date';
  if (from > to) return 'The start date is after the end date';
  if ((Date.parse(to) - Date.parse(from)) / DAY >= MAX_RANGE_DAYS) return `Choose at most ${MAX_RANGE_DAYS} days`;
  return null;
}

/** "12 min" under an hour, "3.5 h" under four days, else "5.2 d" — short stays still read as something. */
export const hours = (h: number) => {
  if (h * 60 < 1) return '< 1 min';
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 96) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} d`;
};
export const percent = (r: number) => `${(r * 100).toFixed(1)}%`;
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A safe piece of a file name: "template:standard" → "template-standard". */
export const fileSafe = (s: string) => s.replace(/[^a-z0-9_-]+/gi, '-').replace(/^-+|-+$/g, '');

/** "02:00" for an ISO instant, in the user's time zone. */
export const clockTime = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
