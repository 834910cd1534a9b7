#!/usr/bin/env node
/**
 * Gets a developer machine ready to run the app in Electron (run by `npm start` / `npm run dev`).
 *
 * 1. The Electron binary: npm does not run electron's install script here ("allowScripts"), so
 *    fetch it on demand with `node node_modules/electron/install.js`.
 * 2. An Electron-ABI build of better-sqlite3 in .native/electron-<version>/better_sqlite3.node,
 *    which src/main/index.ts loads when unpackaged. It is built in a temporary copy of the
 *    package: node_modules/better-sqlite3/build (Node's ABI, used by the tests) is never touched.
 *
 * Both steps need internet the first time and are skipped once their result exists.
 * Options: --native-only (skip step 1), --force (rebuild the native module even if present).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const args = new Set(process.argv.slice(2));
const nativeOnly = args.has('--native-only');
const force = args.has('--force');

const say = (message) => console.log(`[prepare-electron] ${message}`);
class PrepareError extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
}
/** Throws, so that `finally` blocks still clean up; reported and turned into exit code 1 at the bottom. */
function fail(message, hint) {
  throw new PrepareError(message, hint);
}

const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const electronAbi = (() => {
  try {
    return readFileSync(join(electronDir, 'abi_version'), 'utf8').trim();
  } catch {
    return undefined;
  }
})();
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const nodeAbiBuild = join(sqliteDir, 'build', 'Release', 'better_sqlite3.node');
const nativeDir = join(root, '.native', `electron-${electronVersion}`);
const nativeFile = join(nativeDir, 'better_sqlite3.node');
const rel = (p) => relative(root, p).split(sep).join('/');

/**
 * Where the Electron executable is once installed, without require('electron'): since Electron 4x
 * its index.js starts a download itself when the binary is missing, and throws if that fails.
 */
function installedElectron() {
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const pathTxt = join(electronDir, 'path.txt');
  if (!existsSync(pathTxt)) return undefined;
  const exe = readFileSync(pathTxt, 'utf8').trim();
  const file = override ? join(override, exe) : join(electronDir, 'dist', exe);
  return existsSync(file) ? file : undefined;
}

/** Environment for child builds: npm exports npm_config_nodedir & co., which would make node-gyp build for Node's ABI. */
function buildEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|build_from_source|devdir|arch|target_arch)$/i.test(key)) delete env[key];
  }
  return env;
}

function run(command, commandArgs, options = {}) {
  say(`$ ${[command === process.execPath ? 'node' : command, ...commandArgs].join(' ')}${options.cwd ? `   (in ${options.cwd})` : ''}`);
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', ...options });
  if (result.error) say(`could not start: ${result.error.message}`);
  return result.status === 0;
}

function fingerprint(file) {
  if (!existsSync(file)) return 'missing';
  const s = statSync(file);
  return `${s.size}:${s.mtimeMs}`;
}

// --- 1. Electron binary -----------------------------------------------------------------------------
function ensureElectronBinary() {
  let binary = installedElectron();
  if (binary) {
    say(`Electron ${electronVersion} binary present: ${rel(binary)}`);
    return;
  }
  say(`Electron ${electronVersion} binary is not installed (node_modules/electron/dist is missing or incomplete).`);
  if (process.env['ELECTRON_SKIP_BINARY_DOWNLOAD'] === '1') {
    fail('ELECTRON_SKIP_BINARY_DOWNLOAD=1 is set, so the Electron binary will not be downloaded.', 'Unset it and run `npm start` again, or run `node node_modules/electron/install.js` yourself.');
  }
  say('Downloading it (about 100 MB, once; cached by @electron/get)…');
  const ok = run(process.execPath, [join(electronDir, 'install.js')], { cwd: root });
  binary = installedElectron();
  if (!ok || !binary) {
    fail(
      `could not download the Electron ${electronVersion} binary.`,
      [
        'This needs internet access to github.com (Electron release zips). Are you offline or behind a proxy?',
        'Proxies: set HTTPS_PROXY (and ELECTRON_GET_USE_PROXY=1); mirrors: set ELECTRON_MIRROR.',
        'Then retry `npm start`, or run `node node_modules/electron/install.js` directly.',
        'Without Electron you can still run the app in a browser: `npm run web`.',
      ].join('\n'),
    );
  }
  // Now that the binary exists, require('electron') returns its path without downloading anything.
  const reported = require('electron');
  if (typeof reported !== 'string' || !existsSync(reported)) {
    fail(`require('electron') returned ${JSON.stringify(reported)}, which does not exist.`, 'Delete node_modules/electron/dist and path.txt, then run `node node_modules/electron/install.js`.');
  }
  say(`Electron ${electronVersion} binary installed: ${rel(reported)}`);
}

// --- 2. better-sqlite3 for Electron's ABI -----------------------------------------------------------------
/** Loading an Electron-ABI build in Node must fail with Electron's NODE_MODULE_VERSION; loading fine means a Node build. */
function checkAbi(file) {
  const probe = spawnSync(process.execPath, ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', file], { encoding: 'utf8' });
  if (probe.status === 0) return `it loads in Node ${process.version} (NODE_MODULE_VERSION ${process.versions.modules}), so it was built for Node, not Electron`;
  const stderr = probe.stderr ?? '';
  const found = /using\s+NODE_MODULE_VERSION (\d+)/.exec(stderr)?.[1];
  if (electronAbi && found && found !== electronAbi) return `it is built for NODE_MODULE_VERSION ${found}, Electron ${electronVersion} needs ${electronAbi}`;
  if (!found) say(`note: could not confirm the ABI of the build (${stderr.trim().split('\n')[0] ?? 'no message'}); using it anyway.`);
  return undefined;
}

function ensureNativeModule() {
  if (existsSync(nativeFile) && !force) {
    say(`better-sqlite3 for Electron ${electronVersion} present: ${rel(nativeFile)}`);
    return;
  }
  const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
  say(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}${electronAbi ? ` (NODE_MODULE_VERSION ${electronAbi})` : ''} → ${rel(nativeFile)}`);
  say(`(in a temporary copy; ${rel(nodeAbiBuild)} stays Node's build for the tests)`);

  const before = fingerprint(nodeAbiBuild);
  const work = mkdtempSync(join(tmpdir(), 'aviation-workflow-sqlite-electron-'));
  const copy = join(work, 'better-sqlite3');
  try {
    cpSync(sqliteDir, copy, {
      recursive: true,
      // Everything except the existing build (Node's ABI) and any nested node_modules.
      filter: (src) => {
        const r = relative(sqliteDir, src);
        return !(r === 'build' || r.startsWith(`build${sep}`) || r === 'node_modules' || r.startsWith(`node_modules${sep}`));
      },
    });
    const env = buildEnv();
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');

    // a) A prebuilt binary from better-sqlite3's GitHub releases (fast).
    let ok = false;
    let prebuildBin;
    try {
      prebuildBin = createRequire(join(sqliteDir, 'package.json')).resolve('prebuild-install/bin.js');
    } catch {
      say('prebuild-install not found next to better-sqlite3; going straight to a source build.');
    }
    if (prebuildBin) {
      say('Trying a prebuilt binary (prebuild-install)…');
      ok = run(process.execPath, [prebuildBin, '--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`, '--verbose'], { cwd: copy, env }) && existsSync(built);
      if (ok) {
        const problem = checkAbi(built);
        if (problem) {
          say(`prebuilt binary rejected: ${problem}`);
          ok = false;
        }
      }
      if (!ok) say('No usable prebuilt binary; building from source with node-gyp (needs a C++ toolchain and Electron headers, ~1 min)…');
    }

    // b) Compile against Electron's headers.
    if (!ok) {
      rmSync(join(copy, 'build'), { recursive: true, force: true });
      const gyp = findNodeGyp();
      if (!gyp) fail('node-gyp was not found (neither in node_modules nor bundled with npm).', 'Install it (`npm i -g node-gyp`) and retry.');
      ok =
        run(
          process.execPath,
          [
            gyp,
            'rebuild',
            '--release',
            '--runtime=electron',
            `--target=${electronVersion}`,
            `--arch=${process.arch}`,
            '--dist-url=https://electronjs.org/headers',
            `--devdir=${join(homedir(), '.electron-gyp')}`,
          ],
          { cwd: copy, env },
        ) && existsSync(built);
      if (!ok) {
        fail(
          `could not build better-sqlite3 for Electron ${electronVersion}.`,
          [
            'Both ways need internet the first time: prebuilt binaries come from github.com, and a source',
            'build downloads Electron headers from https://electronjs.org/headers. A source build also needs',
            'Python 3, make and a C++20 compiler (Linux: build-essential; macOS: Xcode tools; Windows: VS Build Tools).',
            `Nothing was changed in ${rel(sqliteDir)}; the Node tests keep working.`,
          ].join('\n'),
        );
      }
      const problem = checkAbi(built);
      if (problem) fail(`the source build is not usable: ${problem}.`, 'Is npm_config_nodedir or npm_config_runtime set in your npm config (~/.npmrc)? Remove them and retry.');
    }

    mkdirSync(nativeDir, { recursive: true });
    const partial = `${nativeFile}.partial`;
    copyFileSync(built, partial);
    renameSync(partial, nativeFile);
    say(`better-sqlite3 for Electron ${electronVersion} ready: ${rel(nativeFile)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (fingerprint(nodeAbiBuild) !== before) {
      console.error(`[prepare-electron] WARNING: ${rel(nodeAbiBuild)} changed during this run. If the tests fail to load better-sqlite3, run \`npm rebuild better-sqlite3\`.`);
    }
  }
}

function findNodeGyp() {
  const candidates = [];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    /* not installed locally */
  }
  if (process.env['npm_config_node_gyp']) candidates.push(process.env['npm_config_node_gyp']);
  // The copy bundled with npm, next to the node executable.
  for (const prefix of [join(dirname(process.execPath), '..', 'lib'), dirname(process.execPath)]) {
    candidates.push(join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  return candidates.find((c) => existsSync(c));
}

try {
  if (!nativeOnly) ensureElectronBinary();
  ensureNativeModule();
  say('ready.');
} catch (error) {
  if (!(error instanceof PrepareError)) throw error;
  console.error(`\n[prepare-electron] FAILED: ${error.message}`);
  if (error.hint) console.error(error.hint.replace(/^/gm, '  '));
  process.exitCode = 1;
}
