import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { boundsToOpen, DEFAULT_SIZE, readWindowState, writeWindowState } from '../../src/main/windowState';

const dir = mkdtempSync(join(tmpdir(), 'aw-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const laptop = { x: 0, y: 0, width: 1366, height: 728 };
const monitor = { x: 1366, y: 0, width: 1920, height: 1050 };

describe('the main window opens where it was', () => {
  it('keeps the saved bounds on a display that is there', () => {
    const saved = { x: 1500, y: 100, width: 1400, height: 900, maximized: false };
    expect(boundsToOpen(saved, [laptop, monitor])).toEqual({ x: 1500, y: 100, width: 1400, height: 900 });
  });

  it('comes back onto the screen when its display is gone (undocked), at a size that fits', () => {
    const saved = { x: 1500, y: 100, width: 1800, height: 1000, maximized: false };
    expect(boundsToOpen(saved, [laptop])).toEqual({ width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height });
  });

  it('is shrunk and moved to fit a smaller display, never below the minimum size', () => {
    const saved = { x: 600, y: 400, width: 1900, height: 1000, maximized: false };
    expect(boundsToOpen(saved, [laptop])).toEqual({ x: 0, y: 0, width: 1366, height: 728 });
    expect(boundsToOpen({ x: 10, y: 10, width: 200, height: 100, maximized: false }, [laptop])).toMatchObject({ width: 960, height: 600 });
  });

  it('uses the default size without a saved state, or with a broken or hand-edited file', () => {
    expect(boundsToOpen(null, [laptop])).toEqual(DEFAULT_SIZE);
    const file = join(dir, 'window-state.json');
    writeFileSync(file, '{"x": "left", "y": 0, "width": 1e999');
    expect(readWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ x: 0, y: 0, width: null, height: 800 }));
    expect(readWindowState(file)).toBeNull();
    expect(readWindowState(join(dir, 'missing.json'))).toBeNull();
  });

  it('reads back what it wrote, maximized included', () => {
    const file = join(dir, 'saved.json');
    writeWindowState(file, { x: 20, y: 30, width: 1200, height: 800, maximized: true });
    expect(readWindowState(file)).toEqual({ x: 20, y: 30, width: 1200, height: 800, maximized: true });
  });
});
