#!/usr/bin/env node
/**
 * Offline packaging check (npm run test:package).
 *
 * Runs electron-builder's `--linux dir` target against a placeholder Electron distribution (no
 * download, no native rebuild) into a temporary folder, then checks the packaged layout: app.asar
 * holds the built app and only that, better-sqlite3's .node file is unpacked, and the runtime
 * assets that createApp() looks up under process.resourcesPath are where it expects them. app.asar's
 * node_modules are a list in electron-builder.yml: every package out/main/index.js loads must be there,
 * the site server's packages must not.
 *
 * It also checks the hardening a packaged build must have: the Electron fuses in the configuration
 * electron-builder loads, and that electron-builder flips them in the binary it packages (the
 * placeholder carries a fuse wire in Electron's layout for that); and the application menu of a
 * packaged build, evaluated from the out/main/menu.js inside the packaged app.asar.
 *
 * Needs `npm run build` first. Ends with "N passed, M failed"; exits 1 on any failure.
 */
import { spawnSync } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

const results = [];
function check(name, ok, detail = '') {
  results.push({ name, ok: Boolean(ok), detail });
  console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${name}${detail && !ok ? `\n        ${detail}` : ''}`);
  return Boolean(ok);
}

function finish() {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\n${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

/** Files under dir, as forward-slash paths relative to it. */
function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

const missingFrom = (expected, actual) => {
  const have = new Set(actual);
  return expected.filter((f) => !have.has(f));
};

// --- 0. The build must exist -------------------------------------------------------------------
const builtEntries = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const notBuilt = builtEntries.filter((f) => !existsSync(join(root, f)));
if (notBuilt.length) {
  console.error(`check-package: the app is not built (missing ${notBuilt.join(', ')}).`);
  console.error('Run `npm run build` (electron-vite build) first, then `npm run test:package`.');
  process.exit(1);
}

let asar;
try {
  asar = require('@electron/asar');
} catch {
  // Not hoisted: take the copy electron-builder itself uses.
  asar = createRequire(require.resolve('app-builder-lib/package.json'))('@electron/asar');
}
const builderCli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
const builderLib = createRequire(require.resolve('electron-builder/package.json'));
let fuses;
try {
  fuses = require('@electron/fuses');
} catch {
  fuses = createRequire(require.resolve('app-builder-lib/package.json'))('@electron/fuses');
}

/**
 * The fuses every packaged build must have (see electron-builder.yml). A fuse missing from the
 * configuration keeps Electron's default, which for these is the unsafe one.
 */
const REQUIRED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  enableCookieEncryption: true,
  grantFileProtocolExtraPrivileges: false,
};
/** electron-builder's option name → the fuse's position in Electron's fuse wire (@electron/fuses' FuseV1Options). */
const FUSE_INDEX = {
  runAsNode: fuses.FuseV1Options.RunAsNode,
  enableCookieEncryption: fuses.FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: fuses.FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: fuses.FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: fuses.FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: fuses.FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: fuses.FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: fuses.FuseV1Options.GrantFileProtocolExtraPrivileges,
};
/**
 * A fuse wire as Electron builds it into its binary (build/fuses/build.py in Electron's sources): the
 * sentinel, the wire's version (1), its length, then one byte per fuse, '1' on and '0' off, here with
 * Electron's defaults (runAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, asar
 * integrity off, only-asar off, browser V8 snapshot off, file:// privileges on).
 */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const DEFAULT_WIRE = '10110001';
const placeholderWire = Buffer.concat([Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE, 'latin1')]);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;

const tmp = mkdtempSync(join(tmpdir(), 'aviation-workflow-package-'));
const cleanup = () => rmSync(tmp, { recursive: true, force: true });
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

try {
  // --- 1. Package into the temp folder against a placeholder Electron -------------------------------
  const electronDist = join(tmp, 'electron-dist');
  const outputDir = join(tmp, 'dist');
  mkdirSync(electronDist);
  writeFileSync(
    join(electronDist, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\n# placeholder Electron for the offline packaging check; a fuse wire in Electron\'s layout follows:\n# '),
      placeholderWire,
      Buffer.from('\necho "placeholder Electron for the offline packaging check" >&2\nexit 1\n'),
    ]),
  );
  chmodSync(join(electronDist, 'electron'), 0o755);
  writeFileSync(join(electronDist, 'version'), electronVersion);

  console.log(`Packaging with electron-builder --linux dir (Electron ${electronVersion} placeholder, npmRebuild off)…`);
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [builderCli, '--linux', 'dir', '-c.npmRebuild=false', `-c.electronDist=${electronDist}`, `-c.directories.output=${outputDir}`],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const builderOk = run.status === 0;
  check(`electron-builder exits 0 (${seconds} s)`, builderOk, run.error ? String(run.error) : `exit ${run.status}, signal ${run.signal}`);
  if (!builderOk) {
    console.log('\n--- electron-builder output ---');
    console.log(`${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n'));
    console.log('---');
    finish();
    process.exit();
  }

  const appDir = join(outputDir, 'linux-unpacked');

  // --- 1b. Fuses: the configuration electron-builder loads, and what it did to the binary ------------------
  console.log('\nElectron fuses:');
  const { getConfig } = builderLib('app-builder-lib/out/util/config/config');
  const config = await getConfig(root, null, null);
  const configured = config.electronFuses ?? {};
  for (const [name, wanted] of Object.entries(REQUIRED_FUSES)) {
    check(`electron-builder's configuration sets electronFuses.${name}: ${wanted}`, configured[name] === wanted, `it is ${JSON.stringify(configured[name])}`);
  }
  const executable = join(appDir, 'aviation-workflow');
  let wire = null;
  try {
    wire = await fuses.getCurrentFuseWire(executable);
  } catch (error) {
    check('the packaged executable has a fuse wire', false, String(error));
  }
  if (wire) {
    for (const [name, wanted] of Object.entries(configured)) {
      if (!(name in FUSE_INDEX) || typeof wanted !== 'boolean') continue;
      const state = wire[FUSE_INDEX[name]];
      check(
        `electron-builder flipped ${name} to ${wanted ? 'on' : 'off'} in the packaged executable`,
        state === (wanted ? fuses.FuseState?.ENABLE ?? 49 : fuses.FuseState?.DISABLE ?? 48),
        `the wire has ${JSON.stringify(String.fromCharCode(state))}`,
      );
    }
  }
  console.log(
    '  note: the executable packaged here is a placeholder carrying a fuse wire in Electron\'s layout with Electron\'s defaults,\n' +
      '        so this checks the configuration and that electron-builder flips it when packaging. The real Electron binary\n' +
      '        cannot be downloaded on this machine, so its own wire is not read here; after `npm run dist:linux` elsewhere,\n' +
      '        `npx @electron/fuses read --app dist/linux-unpacked/aviation-workflow` shows it.',
  );
  const res = join(appDir, 'resources');
  console.log(`\nPackaged layout (${relative(tmp, res)}):`);

  // --- 2. app.asar and the unpacked native module ---------------------------------------------------
  const asarPath = join(res, 'app.asar');
  const hasAsar = check('resources/app.asar exists', existsSync(asarPath));
  const unpacked = listFiles(join(res, 'app.asar.unpacked'));
  const nodeFiles = unpacked.filter((f) => f.endsWith('/better_sqlite3.node'));
  check(
    'resources/app.asar.unpacked has better-sqlite3/build/Release/better_sqlite3.node',
    nodeFiles.includes('node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
    nodeFiles.length ? `found only: ${nodeFiles.join(', ')}` : 'no better_sqlite3.node in app.asar.unpacked',
  );

  // --- 3. extraResources: the paths createApp() reads relative to process.resourcesPath ----------------
  const settingsFile = join(res, 'resources', 'default-settings.json');
  check(
    'resources/resources/default-settings.json is the repository file',
    existsSync(settingsFile) && readFileSync(settingsFile, 'utf8') === readFileSync(join(root, 'resources/default-settings.json'), 'utf8'),
    existsSync(settingsFile) ? 'content differs from resources/default-settings.json' : 'missing',
  );

  const coreMigrations = listFiles(join(res, 'src/core/db/migrations'));
  const journalOk = coreMigrations.includes('meta/_journal.json');
  const sqlFiles = coreMigrations.filter((f) => f.endsWith('.sql'));
  check('resources/src/core/db/migrations has meta/_journal.json and at least one .sql', journalOk && sqlFiles.length > 0, `found: ${coreMigrations.join(', ') || 'nothing'}`);
  if (journalOk) {
    const journal = JSON.parse(readFileSync(join(res, 'src/core/db/migrations/meta/_journal.json'), 'utf8'));
    const tags = (journal.entries ?? []).map((e) => `${e.tag}.sql`);
    const missingSql = missingFrom(tags, coreMigrations);
    check(`every core journal entry has its .sql file (${tags.length} entries)`, tags.length > 0 && missingSql.length === 0, `missing: ${missingSql.join(', ')}`);
  }
  const coreMissing = missingFrom(listFiles(join(root, 'src/core/db/migrations')), coreMigrations);
  check('core migrations folder is complete (same files as the repository)', coreMissing.length === 0, `missing: ${coreMissing.join(', ')}`);

  const moduleNames = readdirSync(join(root, 'modules'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, 'modules', e.name, 'migrations')))
    .map((e) => e.name)
    .sort();
  for (const name of moduleNames) {
    const expected = listFiles(join(root, 'modules', name, 'migrations'));
    const actual = listFiles(join(res, 'modules', name, 'migrations'));
    const missing = missingFrom(expected, actual);
    check(
      `resources/modules/${name}/migrations is complete (${expected.length} files)`,
      actual.length > 0 && missing.length === 0,
      actual.length ? `missing: ${missing.join(', ')}` : 'folder missing',
    );
  }
  const strayModuleFiles = listFiles(join(res, 'modules')).filter((f) => !/^[^/]+\/migrations\//.test(f));
  check('resources/modules holds migrations only (no module sources)', strayModuleFiles.length === 0, `unexpected: ${strayModuleFiles.slice(0, 5).join(', ')}`);

  // --- 4. What is inside app.asar -------------------------------------------------------------------
  if (hasAsar) {
    const entries = asar.listPackage(asarPath, { isPack: false }).map((p) => p.split(sep).join('/').replace(/^\/+/, ''));
    const has = new Set(entries);
    console.log(`\napp.asar (${(statSync(asarPath).size / 1e6).toFixed(1)} MB, ${entries.length} entries):`);

    const required = ['package.json', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
    const missingRequired = required.filter((f) => !has.has(f));
    check(`contains ${required.join(', ')}`, missingRequired.length === 0, `missing: ${missingRequired.join(', ')}`);

    const builtFiles = listFiles(join(root, 'out'))
      .filter((f) => f !== 'main/harness.js' && f !== 'main/server.js' && !f.startsWith('main/cli/') && !f.endsWith('.map'))
      .map((f) => `out/${f}`);
    const missingBuilt = missingFrom(builtFiles, entries);
    check(`contains every built file of out/ except the harness, the site server and command-line tools (${builtFiles.length} files)`, missingBuilt.length === 0, `missing: ${missingBuilt.slice(0, 5).join(', ')}`);

    const forbidden = entries.filter(
      (p) => p === 'out/main/harness.js' || p === 'out/main/server.js' || p.startsWith('out/main/cli/') || p.endsWith('.map') || /^(src|tests|modules|scripts|resources|\.native|dist|test-results)(\/|$)/.test(p),
    );
    check('does not contain out/main/harness.js, out/main/server.js, out/main/cli/, source maps, src/, tests/ or other repository folders', forbidden.length === 0, `found: ${forbidden.slice(0, 5).join(', ')}`);

    const runtimeDeps = ['node_modules/better-sqlite3/lib/index.js', 'node_modules/drizzle-orm/package.json', 'node_modules/zod/package.json', 'node_modules/bindings/package.json', 'node_modules/ws/package.json'];
    const missingDeps = runtimeDeps.filter((f) => !has.has(f));
    check('contains the runtime dependencies (better-sqlite3, drizzle-orm, zod, bindings, ws)', missingDeps.length === 0, `missing: ${missingDeps.join(', ')}`);

    // electron-builder.yml ships node_modules by a list: every package the desktop main process loads (out/main/index.js
    // and the chunks it imports), with its dependencies, must be in it.
    const builtins = new Set(builtinModules);
    const loaded = new Set();
    const seenFiles = new Set();
    const followImports = (file) => {
      if (seenFiles.has(file) || !has.has(file)) return;
      seenFiles.add(file);
      const source = asar.extractFile(asarPath, file).toString('utf8');
      for (const [, spec] of source.matchAll(/\b(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"\s]+)"/g)) followImports(join(dirname(file), spec).split(sep).join('/'));
      for (const [, spec] of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\.resolve\s*\(\s*)"([@\w][\w@./:-]*)"/g)) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (name !== 'electron' && !name.startsWith('node:') && !builtins.has(name)) loaded.add(name);
      }
    };
    followImports('out/main/index.js');
    const unshipped = [];
    const packageSeen = new Set();
    // better-sqlite3's install script fetches prebuilt binaries with it; nothing loads it at run time.
    const INSTALL_TIME_ONLY = new Set(['prebuild-install']);
    const needPackage = (name, from) => {
      if (INSTALL_TIME_ONLY.has(name)) return;
      // Node's lookup: node_modules beside the importing package first, then further up.
      const candidates = [];
      for (let dir = from; dir; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') candidates.push(`${dir}/node_modules/${name}`);
      candidates.push(`node_modules/${name}`);
      const found = candidates.find((c) => has.has(`${c}/package.json`));
      if (!found) return unshipped.push(`${name} (for ${from || 'out/main'})`);
      if (packageSeen.has(found)) return;
      packageSeen.add(found);
      const manifest = JSON.parse(asar.extractFile(asarPath, `${found}/package.json`).toString('utf8'));
      for (const dep of Object.keys(manifest.dependencies ?? {})) needPackage(dep, found);
    };
    for (const name of loaded) needPackage(name, '');
    check(
      `contains every package out/main/index.js loads, with its dependencies (${[...loaded].sort().join(', ')}; ${packageSeen.size} packages)`,
      loaded.size > 0 && unshipped.length === 0,
      `missing: ${unshipped.join(', ')} (add them to the node_modules line of files in electron-builder.yml)`,
    );
    const serverOnly = ['fastify', '@fastify/websocket', '@fastify/rate-limit', 'pino', 'pino-roll', '@peculiar/x509', 'reflect-metadata'].filter((name) => has.has(`node_modules/${name}/package.json`));
    check('contains none of the site server\'s packages (fastify, pino, @peculiar/x509, ...: the server package ships them)', serverOnly.length === 0, `found: ${serverOnly.join(', ')}`);

    const devOnly = ['react', 'react-dom', '@mantine/core', 'electron', 'electron-vite', 'vite', 'typescript', '@playwright/test', 'drizzle-kit'];
    const leaked = devOnly.filter((name) => has.has(`node_modules/${name}/package.json`));
    check('contains no devDependencies (renderer packages are bundled by Vite)', leaked.length === 0, `found: ${leaked.join(', ')}`);

    const sqliteExtras = entries.filter((p) => /^node_modules\/better-sqlite3\/(deps|src)\//.test(p) || /better-sqlite3\/build\/Release\/(obj|obj\.target)\//.test(p));
    check('better-sqlite3 ships without its C sources and build intermediates', sqliteExtras.length === 0, `found: ${sqliteExtras.slice(0, 3).join(', ')}`);

    let pkg = {};
    try {
      pkg = JSON.parse(asar.extractFile(asarPath, 'package.json').toString('utf8'));
    } catch (error) {
      pkg = { error: String(error) };
    }
    check(`packaged package.json main (${pkg.main}) is out/main/index.js`, pkg.main === 'out/main/index.js', JSON.stringify(pkg).slice(0, 200));

    // --- 5. The packaged main process: app:// protocol, permissions, and the menu of a packaged build --------
    console.log('\nPackaged main process:');
    const main = asar.extractFile(asarPath, 'out/main/index.js').toString('utf8');
    const wiring = {
      'registers app:// as a privileged scheme': /registerSchemesAsPrivileged\(/.test(main),
      'serves app:// with protocol.handle': /protocol\.handle\(/.test(main),
      'loads its pages from app://, never with loadFile': /app:\/\/aviation-workflow/.test(main) && !/\.loadFile\(/.test(main),
      'refuses permission checks as well as requests': /setPermissionCheckHandler\(/.test(main) && /setPermissionRequestHandler\(/.test(main),
      'sets its own application menu from out/main/menu.js': /from "\.\/menu\.js"/.test(main) && /setApplicationMenu\(/.test(main),
      'turns developer tools off when packaged': /devTools: !app\.isPackaged/.test(main),
    };
    for (const [what, ok] of Object.entries(wiring)) check(`out/main/index.js ${what}`, ok);

    const menuSource = asar.extractFile(asarPath, 'out/main/menu.js');
    const menuFile = join(tmp, 'menu.mjs');
    writeFileSync(menuFile, menuSource);
    check('out/main/menu.js imports nothing (no electron: it is evaluated here under Node)', !/^\s*import\s/m.test(menuSource.toString('utf8')));
    const { buildMenuTemplate, menuItems, DEVELOPMENT_ONLY_ROLES } = await import(pathToFileURL(menuFile).href);
    for (const platform of ['linux', 'win32', 'darwin']) {
      const template = buildMenuTemplate({ appName: 'Aviation Workflow', version: pkg.version, isPackaged: true, platform });
      const items = menuItems(template);
      const roles = items.map((item) => item.role).filter(Boolean);
      const devOnly = DEVELOPMENT_ONLY_ROLES.filter((role) => roles.includes(role));
      check(`the packaged menu on ${platform} has no ${DEVELOPMENT_ONLY_ROLES.join(', ')}`, DEVELOPMENT_ONLY_ROLES.length === 3 && devOnly.length === 0, `found: ${devOnly.join(', ')}`);
      const edit = template.find((item) => item.label === 'Edit')?.submenu ?? [];
      check(`the packaged menu on ${platform} keeps Edit with copy and paste`, ['copy', 'paste'].every((role) => edit.some((item) => item.role === role)));
      check(`the packaged menu on ${platform} keeps Window`, template.some((item) => item.label === 'Window'));
      const help = template.find((item) => item.label === 'Help')?.submenu ?? [];
      check(`the packaged menu on ${platform} has Help with the version (${pkg.version})`, help.some((item) => item.label === `Aviation Workflow ${pkg.version}`));
    }
    const development = menuItems(buildMenuTemplate({ appName: 'Aviation Workflow', version: pkg.version, isPackaged: false, platform: 'linux' })).map((item) => item.role);
    check('the development menu still has Reload and Toggle Developer Tools (the check above is not vacuous)', development.includes('reload') && development.includes('toggleDevTools'));
  }

  finish();
} catch (error) {
  check('check-package ran to the end', false, error?.stack ?? String(error));
  finish();
}
