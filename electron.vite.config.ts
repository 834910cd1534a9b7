import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/** Pure-JS dependencies of the main process, bundled into its build (bench/vite.config.ts bundles the same). */
const BUNDLED_DEPENDENCIES = ['drizzle-orm', 'zod', 'yaml'];

// A module's command-line tool (modules/<name>/cli.ts) is built to out/main/cli/<name>.js; not shipped.
const moduleClis = Object.fromEntries(
  readdirSync('modules')
    .filter((name) => existsSync(resolve('modules', name, 'cli.ts')))
    .map((name) => [`cli/${name}`, resolve('modules', name, 'cli.ts')]),
);

export default defineConfig({
  main: {
    build: {
      // Bundled into out/main instead of resolved from node_modules at run time: Node's ESM loader
      // resolves and compiles each of drizzle's and zod's hundreds of files one by one, which was
      // most of the start-up time. better-sqlite3 (a native module) and electron stay external.
      externalizeDeps: { exclude: BUNDLED_DEPENDENCIES },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The application menu on its own (no import of electron): the offline package check
          // evaluates this file from the packaged app.asar for a packaged build's menu.
          menu: resolve('src/main/menu.ts'),
          // The browser harness runs the same core under plain Node (npm run web); not shipped.
          harness: resolve('src/harness/server.ts'),
          // The site server (npm run server; the Linux server package ships it).
          server: resolve('src/server/main.ts'),
          // Moving a site's SQLite database to PostgreSQL (npm run site:move; the server package ships it).
          'cli/siteMove': resolve('src/server/siteMove.ts'),
          ...moduleClis,
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
