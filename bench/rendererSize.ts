import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface RendererSize {
  /** Every JS file of the built renderer. */
  totalKb: number;
  /** What the first paint loads: the entry script and the chunks it preloads. */
  firstPaintKb: number;
  firstPaintGzipKb: number;
  chunks: number;
  largestChunkKb: number;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/** Sizes of out/renderer's JavaScript, or null if the renderer is not built. */
export function rendererSize(root: string): RendererSize | null {
  const dir = join(root, 'out', 'renderer');
  const assets = join(dir, 'assets');
  if (!existsSync(assets)) return null;
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const sizes = js.map((f) => statSync(join(assets, f)).size);
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const firstPaint = [...html.matchAll(/(?:src|href)="\.?\/?assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const firstPaintBytes = firstPaint.map((f) => readFileSync(join(assets, f)));
  return {
    totalKb: kb(sizes.reduce((a, b) => a + b, 0)),
    firstPaintKb: kb(firstPaintBytes.reduce((a, b) => a + b.length, 0)),
    firstPaintGzipKb: kb(firstPaintBytes.reduce((a, b) => a + gzipSync(b).length, 0)),
    chunks: js.length,
    largestChunkKb: kb(Math.max(0, ...sizes)),
  };
}
