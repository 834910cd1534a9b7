#!/usr/bin/env node
/**
 * The site server as one offline install artifact (npm run server:package, after electron-vite build).
 *
 * Lays out dist/aviation-workflow-server-<version>-<platform>-<arch>/ and packs it into a .tar.gz
 * (Linux) or .zip (Windows) beside it. Inside: the Node binary running this script (so its ABI is
 * the one node_modules/better-sqlite3 was compiled for), the server's part of out/main, package.json,
 * resources/, the migrations (SQLite's and PostgreSQL's), the production node_modules, and — from packaging/server/<linux|win>/ in the
 * repository — the wrapper and, on Linux, the systemd unit, install.sh, uninstall.sh and README.txt.
 *
 * node_modules: `npm ci --omit=dev` cannot run offline here (the lockfile has no "resolved" URLs, so
 * npm asks the registry), so the packages are copied from this project's node_modules: exactly the
 * lockfile's non-dev packages (what `npm ci --omit=dev` would install), minus the ones electron-vite
 * bundles into out/main, minus better-sqlite3's C sources and build intermediates.
 *
 * Prints the artifact's path and size. Options: --no-archive (stop after the folder; for a look).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const windows = process.platform === 'win32';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const name = `aviation-workflow-server-${pkg.version}-${windows ? 'win' : process.platform}-${process.arch}`;
const dist = join(root, 'dist');
const stage = join(dist, name);
const archive = join(dist, `${name}${windows ? '.zip' : '.tar.gz'}`);

/** Bundled into out/main by electron-vite (BUNDLED_DEPENDENCIES in electron.vite.config.ts): not needed at run time. */
const BUNDLED = new Set(['drizzle-orm', 'zod', 'yaml']);
/** better-sqlite3 needs lib/ and its .node file; the rest is what it was compiled from. */
const SQLITE_SKIP = /^node_modules\/better-sqlite3\/(deps|src|build\/deps|build\/Release\/(obj|obj\.target|\.deps|test_extension\.node$|[^/]+\.a$))(\/|$)/;

function fail(message) {
  console.error(`server:package: ${message}`);
  process.exit(1);
}
const rel = (p) => relative(root, p).split(sep).join('/');
const copy = (from, to, filter) => cpSync(join(root, from), join(stage, to ?? from), { recursive: true, filter: filter && ((src) => filter(rel(src))) });

for (const file of ['out/main/server.js', 'out/main/cli/siteMove.js']) {
  if (!existsSync(join(root, file))) fail(`${file} is missing: run \`npx electron-vite build\` first (npm run server:package does).`);
}
rmSync(stage, { recursive: true, force: true });
rmSync(archive, { force: true });
mkdirSync(stage, { recursive: true });

// 1. Node: this very binary, and its licence when it can be found next to it.
const nodeTarget = windows ? 'node/node.exe' : 'node/bin/node';
mkdirSync(dirname(join(stage, nodeTarget)), { recursive: true });
copyFileSync(process.execPath, join(stage, nodeTarget));
chmodSync(join(stage, nodeTarget), 0o755);
const nodeLicence = [join(dirname(process.execPath), 'LICENSE'), join(dirname(process.execPath), '..', 'LICENSE'), '/usr/share/doc/nodejs/LICENSE'].find(existsSync);
if (nodeLicence) copyFileSync(nodeLicence, join(stage, 'node/LICENSE'));

// 2. out/main: server.js, the site move command (cli/siteMove.js) and the chunks they import (followed from their relative imports), nothing else.
const needed = new Set();
const follow = (file) => {
  if (needed.has(file)) return;
  needed.add(file);
  const source = readFileSync(join(root, file), 'utf8');
  for (const [, spec] of source.matchAll(/\b(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"\s]+)"/g)) follow(rel(join(root, dirname(file), spec)));
};
follow('out/main/server.js');
follow('out/main/cli/siteMove.js');
for (const file of needed) {
  mkdirSync(dirname(join(stage, file)), { recursive: true });
  copyFileSync(join(root, file), join(stage, file));
}

// 3. package.json (version for the server, "type": "module" for out/main's .js files), resources, migrations.
const shipped = { name: pkg.name, productName: pkg.productName, version: pkg.version, description: pkg.description, license: pkg.license, private: true, type: pkg.type, engines: pkg.engines, dependencies: pkg.dependencies };
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(shipped, null, 2)}\n`);
copy('resources');
// Both dialects' migrations: migrations-pg/ is for a site on PostgreSQL (src/core/db/pg/migrate.ts, issue 17).
for (const folder of ['migrations', 'migrations-pg']) {
  if (existsSync(join(root, 'src/core/db', folder))) copy(`src/core/db/${folder}`);
  for (const module of readdirSync(join(root, 'modules'))) {
    if (existsSync(join(root, 'modules', module, folder))) copy(`modules/${module}/${folder}`);
  }
}

// 4. Production node_modules, as the lockfile lays them out.
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
let packages = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!path || entry.dev || entry.devOptional || BUNDLED.has(path.replace(/^node_modules\//, ''))) continue;
  if (!existsSync(join(root, path))) {
    if (entry.optional) continue; // another platform's optional package
    fail(`${path} is in package-lock.json but not installed: run npm ci first.`);
  }
  copy(path, path, (p) => !SQLITE_SKIP.test(p) && !p.startsWith(`${path}/node_modules/`));
  packages++;
}
// Every package the shipped code imports must be there (a bundled one that stopped being bundled, say).
const builtins = new Set((await import('node:module')).builtinModules);
for (const file of needed) {
  for (const [, spec] of readFileSync(join(root, file), 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\.resolve\s*\(\s*)"([@\w][\w@./:-]*)"/g)) {
    const bare = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    if (bare.startsWith('node:') || builtins.has(bare)) continue;
    if (!existsSync(join(stage, 'node_modules', bare, 'package.json'))) fail(`${file} imports "${spec}", which is not in the package's node_modules.`);
  }
}
if (!existsSync(join(stage, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))) fail('better-sqlite3 is not compiled (node_modules/better-sqlite3/build/Release/better_sqlite3.node): npm rebuild better-sqlite3');

// 5. What runs it: the wrapper, and on Linux the service, install/uninstall and README (packaging/server/<os>/).
const extras = join(root, 'packaging/server', windows ? 'win' : 'linux');
cpSync(extras, stage, { recursive: true });
if (!windows) for (const file of ['bin/aviation-workflow-server', 'bin/aviation-workflow-site-move', 'install.sh', 'uninstall.sh']) chmodSync(join(stage, file), 0o755);
writeFileSync(join(stage, 'VERSION'), `${pkg.version} (Node ${process.version}, ${process.platform}-${process.arch}, module ABI ${process.versions.modules})\n`);

// 6. The archive: GNU tar here; Windows 10+ has bsdtar as tar.exe, which writes a .zip with -a.
if (!process.argv.includes('--no-archive')) {
  const tarArgs = windows
    ? ['-a', '-c', '-f', archive, '-C', dist, name]
    : ['-c', '-z', '-f', archive, '--owner=0', '--group=0', '--numeric-owner', '--sort=name', '-C', dist, name];
  const tar = spawnSync('tar', tarArgs, { stdio: 'inherit' });
  if (tar.status !== 0) fail(`tar failed (${tar.error ?? `exit ${tar.status}`})`);
  rmSync(stage, { recursive: true, force: true });
}
const size = (p) => (statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0) : statSync(p).size);
const out = existsSync(archive) ? archive : stage;
console.log(`${rel(out)}  (${(size(out) / 1e6).toFixed(1)} MB; Node ${process.version}, ${packages} packages in node_modules, ${needed.size} files of out/main)`);
console.log(`${basename(out)}: copy it to the server, unpack it, and run ${windows ? 'the steps in docs/site-server-windows.md' : 'sudo ./install.sh in the folder'}.`);
