// Runs every test stage in order and ends with one summary line, "N passed, N failed, N skipped".
// npm test runs this; each stage can also be run alone (see package.json scripts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const stages = [];

function run(name, command, args, env = {}) {
  console.log(`\n━━ ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  stages.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
const failures = [];
const firstLine = (text) => String(text ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? '';

function vitestFailures(report) {
  for (const file of report.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'failed') failures.push(`✘ ${file.name.replace(process.cwd() + '/', '')} › ${t.fullName}\n      ${firstLine(t.failureMessages?.[0])}`);
    }
  }
}

function playwrightFailures(suite, path = []) {
  const here = suite.title ? [...path, suite.title] : path;
  for (const child of suite.suites ?? []) playwrightFailures(child, here);
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests ?? []) {
      if (t.status !== 'unexpected' && t.status !== 'flaky') continue;
      const last = t.results?.[t.results.length - 1];
      const failed = t.results?.find((r) => r.status !== 'passed' && r.status !== 'skipped') ?? last;
      const mark = t.status === 'flaky' ? '⚠ flaky, passed on retry:' : '✘';
      failures.push(`${mark} ${[...here, spec.title].join(' › ')}\n      ${firstLine(failed?.error?.message ?? failed?.errors?.[0]?.message)}`);
    }
  }
}

let ok = run('typecheck', 'npm', ['run', '--silent', 'typecheck']) && run('build', 'npx', ['electron-vite', 'build']);

if (ok) {
  ok = run('unit + integration (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json']) && ok;
  const vitest = readJson('test-results/vitest.json');
  if (vitest) {
    totals.passed += vitest.numPassedTests;
    totals.failed += vitest.numFailedTests;
    totals.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
    vitestFailures(vitest);
  }

  ok = run('browser + electron (playwright)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json',
  }) && ok;
  const pw = readJson('test-results/playwright.json');
  if (pw) {
    totals.passed += pw.stats.expected + (pw.stats.flaky ?? 0);
    totals.failed += pw.stats.unexpected;
    totals.skipped += pw.stats.skipped;
    for (const suite of pw.suites ?? []) playwrightFailures(suite);
  }

  // The desktop package's layout, and the site server's offline Linux artifact built and started from its unpacked folder.
  for (const [name, script] of [['packaging layout', 'scripts/check-package.mjs'], ['site server package', 'scripts/check-server-package.mjs']]) {
    const before = totals.passed;
    const started = Date.now();
    const checked = spawnSync('node', [script], { encoding: 'utf8' });
    console.log(`\n━━ ${name}: node ${script}\n${checked.stdout}${checked.stderr}`);
    const line = checked.stdout.match(/^(\d+) passed, (\d+) failed/m);
    if (line) {
      totals.passed += Number(line[1]);
      totals.failed += Number(line[2]);
    }
    stages.push({ name, ok: checked.status === 0 && totals.passed > before, seconds: Math.round((Date.now() - started) / 1000) });
    ok = ok && checked.status === 0;
  }
}

console.log('\n━━ summary');
for (const s of stages) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name}${s.seconds ? ` (${s.seconds} s)` : ''}`);
// Repeated here because CI keeps only the end of the output.
for (const f of failures) console.log(`  ${f}`);
if (!ok && totals.failed === 0) totals.failed = 1; // a stage failed before its tests could be counted
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok ? 0 : 1);
