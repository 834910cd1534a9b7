#!/usr/bin/env node
/**
 * Proves the site server's install artifact (npm run test:server-package; Linux only).
 *
 * Builds it with `npm run server:package`, unpacks it into a temporary folder and checks what is
 * inside; runs bin/aviation-workflow-server from there with a PATH that has no node on it (the
 * running process must be the bundled node), waits for the fingerprint and enrollment code, asks
 * /health over HTTPS trusting only the site CA the server created, gets a second enrollment code
 * with the exact command the server printed, stops it with SIGTERM and expects exit code 0.
 * Then checks the systemd unit with `systemd-analyze verify` and the shell scripts with `sh -n` and
 * shellcheck (each skipped with a message when the tool is not installed). Does not run install.sh:
 * that needs root and a running systemd.
 *
 * Ends with "N passed, M failed"; exits 1 on any failure. About 30 s here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const results = [];
function check(name, ok, detail = '') {
  results.push({ name, ok: Boolean(ok) });
  console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${name}${detail && !ok ? `\n        ${detail}` : ''}`);
  return Boolean(ok);
}
const skip = (name, why) => console.log(`  skip  ${name}: ${why}`);
function finish() {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\n${results.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exitCode = failed ? 1 : 0;
}
const which = (tool) => (process.env.PATH ?? '').split(delimiter).map((d) => join(d, tool)).find((p) => { try { accessSync(p, constants.X_OK); return true; } catch { return false; } });
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

if (process.platform !== 'linux') {
  console.log('check-server-package: the artifact checked here is the Linux one; skipped on', process.platform);
  process.exit(0);
}

const tmp = mkdtempSync(join(tmpdir(), 'aviation-workflow-server-package-'));
let server = null;
process.on('exit', () => {
  server?.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

try {
  // --- 1. Build the artifact -------------------------------------------------------------------------
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const name = `aviation-workflow-server-${pkg.version}-linux-${process.arch}`;
  const archive = join(root, 'dist', `${name}.tar.gz`);
  console.log('Building it: npm run server:package');
  let since = Date.now();
  const build = spawnSync('npm', ['run', '--silent', 'server:package'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (!check(`npm run server:package exits 0 and writes dist/${name}.tar.gz (${seconds(since)})`, build.status === 0 && existsSync(archive), `${build.stdout}${build.stderr}`.trim().split('\n').slice(-15).join('\n'))) {
    finish();
    process.exit();
  }

  // --- 2. Unpack it and look inside ---------------------------------------------------------------------
  since = Date.now();
  const unpack = spawnSync('tar', ['-xzf', archive, '-C', tmp], { encoding: 'utf8' });
  check(`unpacks with tar -xzf into one folder ${name}/ (${seconds(since)})`, unpack.status === 0 && readdirSync(tmp).join() === name, unpack.stderr || readdirSync(tmp).join(', '));
  const top = join(tmp, name);
  const has = (p) => existsSync(join(top, p));
  console.log(`\nInside ${name}/:`);
  const required = [
    'node/bin/node', 'bin/aviation-workflow-server', 'bin/aviation-workflow-site-move', 'out/main/server.js', 'out/main/cli/siteMove.js', 'package.json', 'resources/default-settings.json',
    'src/core/db/migrations/meta/_journal.json', 'src/core/db/migrations-pg/meta/_journal.json', 'node_modules/pg/package.json', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    'node_modules/fastify/package.json', 'node_modules/pino-roll/package.json', 'node_modules/@peculiar/x509/package.json', 'node_modules/reflect-metadata/package.json',
    'aviation-workflow-server.service', 'install.sh', 'uninstall.sh', 'README.txt', 'VERSION',
  ];
  const missing = required.filter((p) => !has(p));
  check('has the Node binary, the wrapper, out/main/server.js, package.json, resources, migrations, runtime packages, unit, install/uninstall and README', missing.length === 0, `missing: ${missing.join(', ')}`);
  for (const module of readdirSync(join(root, 'modules')).filter((m) => existsSync(join(root, 'modules', m, 'migrations')))) {
    const expected = readdirSync(join(root, 'modules', module, 'migrations'), { recursive: true }).sort();
    const actual = has(`modules/${module}/migrations`) ? readdirSync(join(top, 'modules', module, 'migrations'), { recursive: true }).sort() : [];
    check(`modules/${module}/migrations is complete (${expected.length} entries)`, expected.join() === actual.join());
  }
  const executable = ['node/bin/node', 'bin/aviation-workflow-server', 'bin/aviation-workflow-site-move', 'install.sh', 'uninstall.sh'].filter((p) => {
    try { accessSync(join(top, p), constants.X_OK); return false; } catch { return true; }
  });
  check('node, the wrappers, install.sh and uninstall.sh are executable', executable.length === 0, `not executable: ${executable.join(', ')}`);
  const devOnly = ['electron', 'react', 'vite', 'typescript', 'vitest', '@playwright/test', 'drizzle-kit', 'electron-builder', '@mantine/core'].filter((p) => has(`node_modules/${p}`));
  check('node_modules has no devDependencies', devOnly.length === 0, `found: ${devOnly.join(', ')}`);
  // out/main/cli holds the site move command only (the modules' command-line tools are not shipped).
  const notServer = ['out/main/index.js', 'out/main/harness.js', ...readdirSync(join(root, 'out/main/cli')).filter((f) => f !== 'siteMove.js').map((f) => `out/main/cli/${f}`), 'out/renderer', 'out/preload', 'node_modules/better-sqlite3/deps', 'node_modules/better-sqlite3/src'].filter(has);
  check('no desktop app, harness, renderer or better-sqlite3 sources', notServer.length === 0, `found: ${notServer.join(', ')}`);
  const electronImport = readdirSync(join(top, 'out/main'), { recursive: true }).filter((f) => f.endsWith('.js') && /from\s*"electron"/.test(readFileSync(join(top, 'out/main', f), 'utf8')));
  check('nothing shipped in out/main imports electron', electronImport.length === 0, electronImport.join(', '));
  check(`package.json says version ${pkg.version} and "type": "module"`, (() => { const p = JSON.parse(readFileSync(join(top, 'package.json'), 'utf8')); return p.version === pkg.version && p.type === 'module'; })());

  // --- 3. Run it with no node on PATH ------------------------------------------------------------------------
  // Only the tools the wrapper itself uses (dirname, readlink): /bin and /usr/bin hold node here.
  const tools = join(tmp, 'tools');
  mkdirSync(tools);
  for (const tool of ['dirname', 'readlink', 'sh']) symlinkSync(which(tool), join(tools, tool));
  const env = { PATH: tools, HOME: join(tmp, 'home'), LANG: 'C.UTF-8' };
  const nodeOnPath = spawnSync('/bin/sh', ['-c', 'command -v node'], { env, encoding: 'utf8' });
  check('the PATH given to the server has no node on it', nodeOnPath.status !== 0, `found ${nodeOnPath.stdout}`);
  const dataDir = join(tmp, 'site data'); // a space: the printed commands must quote it
  const wrapper = join(top, 'bin/aviation-workflow-server');
  console.log(`\nRunning: bin/aviation-workflow-server --data-dir '${dataDir}' --host 127.0.0.1 --port 0`);
  since = Date.now();
  server = spawn(wrapper, ['--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  exited.then(() => (gone = true));
  const startedBy = /enrollment code \(one use[^\n]*: \S+\n[\s\S]*More codes: [^\n]*\n/;
  while (!gone && !startedBy.test(output) && Date.now() - since < 60_000) await new Promise((r) => setTimeout(r, 100));
  const ready = startedBy.test(output);
  if (!check(`prints the fingerprint and an enrollment code (${seconds(since)} to start)`, ready, output.trim().split('\n').slice(-15).join('\n'))) {
    finish();
    process.exit();
  }
  console.log(output.replace(/^/gm, '        | ').trimEnd());
  const exe = readlinkSync(`/proc/${server.pid}/exe`);
  check('the running process is the bundled node/bin/node', exe === join(top, 'node/bin/node'), `it is ${exe}`);
  const port = Number(/listening on\s+127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
  const printed = /^\s+([0-9A-F]{2}(?::[0-9A-F]{2}){31})$/m.exec(output)?.[1];
  const caPem = readFileSync(join(dataDir, 'tls/site-ca.pem'), 'utf8');
  const caFingerprint = createHash('sha256').update(new X509Certificate(caPem).raw).digest('hex').toUpperCase().match(/../g).join(':');
  check('the printed fingerprint is the SHA-256 of tls/site-ca.pem in the data folder', printed === caFingerprint, `printed ${printed}, file ${caFingerprint}`);

  const health = await new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path: '/health', ca: caPem }, (response) => {
      let body = '';
      response.on('data', (c) => (body += c));
      response.on('end', () => resolve({ status: response.statusCode, body }));
    }).on('error', (error) => resolve({ status: 0, body: String(error) }));
  });
  let healthBody = {};
  try { healthBody = JSON.parse(health.body); } catch {}
  check(`GET https://127.0.0.1:${port}/health, trusting only the site CA, answers 200 {"status":"ok","version":"${pkg.version}"}`, health.status === 200 && healthBody.status === 'ok' && healthBody.version === pkg.version, `${health.status} ${health.body}`);

  const moreCodes = /More codes: (.*?)  \(or /.exec(output)?.[1] ?? '';
  check('the "More codes" command names this package\'s wrapper, the data folder and the port', moreCodes.startsWith(`${wrapper} --new-enrollment-code --data-dir '${dataDir}' --port ${port}`), moreCodes);
  const second = spawnSync('/bin/sh', ['-c', moreCodes], { env, encoding: 'utf8', timeout: 30_000 });
  check('running that command exactly as printed gives a new enrollment code', second.status === 0 && /^Enrollment code \(one use, until .*\): \S+$/m.test(second.stdout), `exit ${second.status}: ${second.stdout}${second.stderr}`);
  const logs = existsSync(join(dataDir, 'logs')) ? readdirSync(join(dataDir, 'logs')) : [];
  check('writes its log under logs/ in the data folder', logs.some((f) => /^server.*\.log$/.test(f)), `logs/: ${logs.join(', ')}`);

  since = Date.now();
  server.kill('SIGTERM');
  const end = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ code: null, signal: 'timeout' }), 30_000).unref())]);
  check(`SIGTERM stops it with exit code 0 (${seconds(since)})`, end.code === 0 && /SIGTERM: finishing the calls in flight/.test(output), `code ${end.code}, signal ${end.signal}`);
  server = null;

  // --- 4. The systemd unit and the shell scripts ----------------------------------------------------------
  console.log('\nService and scripts:');
  const unit = readFileSync(join(top, 'aviation-workflow-server.service'), 'utf8');
  const wanted = [
    'User=aviation-workflow', 'StateDirectory=aviation-workflow', 'Environment=AVIATION_WORKFLOW_DATA_DIR=/var/lib/aviation-workflow',
    'ExecStart=/opt/aviation-workflow-server/bin/aviation-workflow-server', 'Restart=on-failure', 'KillSignal=SIGTERM', 'TimeoutStopSec=',
    'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'ReadWritePaths=/var/lib/aviation-workflow', 'WantedBy=multi-user.target',
  ].filter((line) => !unit.split('\n').some((l) => l.startsWith(line)));
  check('the unit runs the installed wrapper as aviation-workflow with its state dir, restarts on failure, stops with SIGTERM, hardened', wanted.length === 0, `missing: ${wanted.join(', ')}`);
  const analyze = which('systemd-analyze');
  if (!analyze) skip('systemd-analyze verify', 'systemd-analyze is not installed (not installing systemd for this)');
  else {
    // Verified where the paths exist: ExecStart pointed at the unpacked wrapper (the original names /opt/...).
    const unitDir = join(tmp, 'unit');
    mkdirSync(unitDir);
    const unitFile = join(unitDir, 'aviation-workflow-server.service');
    writeFileSync(unitFile, unit.replaceAll('/opt/aviation-workflow-server/bin/aviation-workflow-server', wrapper));
    const verify = spawnSync(analyze, ['verify', unitFile], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice' } });
    const about = `${verify.stdout}${verify.stderr}`.split('\n').filter((l) => l.includes('aviation-workflow-server.service') && !/Failed to (open|connect)|-\.mount|\.slice/.test(l));
    check('systemd-analyze verify accepts the unit (ExecStart pointed at the unpacked wrapper)', verify.status === 0 && about.length === 0, `exit ${verify.status}\n        ${`${verify.stdout}${verify.stderr}`.trim().split('\n').join('\n        ')}`);
  }
  for (const script of ['install.sh', 'uninstall.sh', 'bin/aviation-workflow-server', 'bin/aviation-workflow-site-move']) {
    const syntax = spawnSync('/bin/sh', ['-n', join(top, script)], { encoding: 'utf8' });
    check(`sh -n ${script}`, syntax.status === 0, syntax.stderr);
  }
  const shellcheck = which('shellcheck');
  if (!shellcheck) skip('shellcheck', 'not installed (apt-get install shellcheck)');
  else {
    const lint = spawnSync(shellcheck, ['--shell=sh', 'install.sh', 'uninstall.sh', 'bin/aviation-workflow-server', 'bin/aviation-workflow-site-move'], { cwd: top, encoding: 'utf8' });
    check('shellcheck install.sh uninstall.sh bin/aviation-workflow-server bin/aviation-workflow-site-move', lint.status === 0, lint.stdout.trim().split('\n').join('\n        '));
  }
  console.log('  note  install.sh and uninstall.sh are not run here: they need root and a running systemd.');
  finish();
} catch (error) {
  check('check-server-package ran to the end', false, error?.stack ?? String(error));
  finish();
}
