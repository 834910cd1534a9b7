import { luminance } from '@mantine/core';

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** What normal-size text needs (WCAG AA), with a little room for rounding. */
export const READABLE = 4.6;

const WHITE = '#ffffff';
const BLACK = '#000000';

/** `color` (#rrggbb), moved in small steps towards black on a light background or white on a dark one until text in it reads there. */
export function readableOn(color: string, background: string): string {
  const toward = luminance(background) > 0.18 ? BLACK : WHITE;
  let current = color;
  for (let step = 0; step < 30 && contrastRatio(current, background) < READABLE; step++) current = mix(current, toward, 0.08);
  return current;
}

/** Moves `color` a fraction of the way towards `toward` (both #rrggbb). */
export function mix(color: string, toward: string, amount: number): string {
  const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const [from, to] = [channels(color), channels(toward)];
  return `#${from.map((c, i) => Math.round(c + (to[i]! - c) * amount).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The shade a filled button or badge of this colour uses, and the text on it: the first of
 * shades 6–9 white text reads on, or shade 6 with black text (orange, yellow, green, whose dark
 * shades are still too light for white text).
 */
export function filledPair(shades: readonly string[]): { shade: number; text: string } {
  for (let shade = 6; shade <= 9; shade++) if (contrastRatio(shades[shade]!, WHITE) >= READABLE) return { shade, text: WHITE };
  return { shade: 6, text: BLACK };
}

/** The text colour on a filled background of any colour. */
export const textOnFilled = (background: string) => (contrastRatio(background, WHITE) >= READABLE ? WHITE : BLACK);
