import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Builds the benchmark for plain Node, the same way electron-vite builds the main process:
 * the core discovers modules with import.meta.glob, so it has to go through Vite.
 * Packages stay external and load from node_modules, except the pure-JS ones the app's main build
 * bundles too (drizzle, zod, yaml), so startup is measured as the app starts.
 */
const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  logLevel: 'warn',
  // As the app's main build does (electron.vite.config.ts): these are bundled, the rest stays external.
  ssr: { noExternal: ['drizzle-orm', 'zod', 'yaml'] },
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
        profileProbe: resolve(root, 'bench/profileProbe.ts'),
        stallProbe: resolve(root, 'bench/stallProbe.ts'),
        writeProbe: resolve(root, 'bench/writeProbe.ts'),
        walProbe: resolve(root, 'bench/walProbe.ts'),
        transitionProbe: resolve(root, 'bench/transitionProbe.ts'),
        site: resolve(root, 'bench/site.ts'),
      },
      output: { format: 'es', entryFileNames: '[name].mjs' },
    },
  },
});
