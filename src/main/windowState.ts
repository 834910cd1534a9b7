import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Where and how big the main window was, as saved in the data folder's window-state.json. */
export interface WindowState {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1360, height: 860 } as const;
export const MIN_SIZE = { width: 960, height: 600 } as const;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The saved state, or null when the file is missing, unreadable or hand-edited into nonsense. */
export function readWindowState(file: string): WindowState | null {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    if (![s.x, s.y, s.width, s.height].every(isNumber)) return null;
    return { x: s.x!, y: s.y!, width: s.width!, height: s.height!, maximized: s.maximized === true };
  } catch {
    return null;
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

/**
 * The bounds to open the window with: the saved ones when at least a title bar's worth of them is
 * on a display that is there now (a laptop undocked from its second screen), shrunk to fit that
 * display; otherwise the default size, centred by the window manager.
 */
export function boundsToOpen(saved: WindowState | null, workAreas: Rect[]): Partial<Rect> & { width: number; height: number } {
  if (!saved) return { ...DEFAULT_SIZE };
  const area = workAreas.find((a) => overlap(a, { ...saved, height: Math.min(saved.height, 40) }) >= 40 * 40);
  if (!area) return { width: clamp(saved.width, MIN_SIZE.width, DEFAULT_SIZE.width), height: clamp(saved.height, MIN_SIZE.height, DEFAULT_SIZE.height) };
  const width = clamp(saved.width, MIN_SIZE.width, area.width);
  const height = clamp(saved.height, MIN_SIZE.height, area.height);
  return { x: clamp(saved.x, area.x, area.x + area.width - width), y: clamp(saved.y, area.y, area.y + area.height - height), width, height };
}

const clamp = (v: number, min: number, max: number) => Math.max(min, Math.min(Math.max(min, max), Math.round(v)));

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
