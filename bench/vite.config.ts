import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Builds the benchmark for plain Node, the same way electron-vite builds the main process:
 * the core discovers modules with import.meta.glob, so it has to go through Vite.
 * Packages (better-sqlite3, drizzle) stay external and load from node_modules.
 */
const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: resolve(root, 'out/bench'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      input: {
        main: resolve(root, 'bench/main.ts'),
        startupProbe: resolve(root, 'bench/startupProbe.ts'),
        measureProbe: resolve(root, 'bench/measureProbe.ts'),
        stallProbe: resolve(root, 'bench/stallProbe.ts'),
        writeProbe: resolve(root, 'bench/writeProbe.ts'),
      },
      output: { format: 'es', entryFileNames: '[name].mjs' },
    },
  },
});
