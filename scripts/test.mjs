// `npm test`: every test, against the real local stack.
//  0. lint (ESLint, 0 warnings) and format (Prettier --check)
//  1. type-check (SPA and BFF)        1b. the Helm chart (helm lint/template, kubeconform)
//  2. unit tests (Vitest: node + web projects; PostgreSQL started by the tests)
//  3. build the SPA                   4. start the stack on the test ports (fresh state) + the BFF
//  5. integration tests (Vitest)      6. end-to-end tests (Playwright in Debian's Chromium)
//  7. the OCI image: build, then run its entrypoint unpacked (read-only root, non-root) against DiracX
//  8. the production topology: nginx (TLS) → two image replicas → PostgreSQL, a Chromium smoke, a replica killed
// Ends with one line "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureSpaBuild } from './lib/build.mjs';
import { ROOT, TEST_PORTS, startBff, startStack } from './lib/stack.mjs';

// `node scripts/test.mjs e2e -- hello-world launch`: steps before `--`, file filters for Vitest/Playwright after it.
const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const only = (dashes < 0 ? argv : argv.slice(0, dashes)).filter((a) => !a.startsWith('-'));
const filters = dashes < 0 ? [] : argv.slice(dashes + 1);
const want = (step) => only.length === 0 || only.includes(step);
const stateDir = path.join(ROOT, '.stack/test');
const reports = path.join(ROOT, 'test-results');
fs.mkdirSync(reports, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function bin(name) {
  return path.join(ROOT, 'node_modules/.bin', name);
}

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name} ===`);
  const PATH = `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`;
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env: { ...process.env, PATH, ...env } });
  if (res.status !== 0) failures.push(`${name} (exit ${res.status ?? res.signal})`);
  return res.status === 0;
}

function countVitest(file) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  } catch {
    /* the step failed before writing: already counted as a failure */
  }
}

/** A script-driven suite (chart, image, topology) writes test-results/<name>.json ({ passed, failed }). */
function scriptStep(name, title, script) {
  fs.rmSync(path.join(reports, `${name}.json`), { force: true });
  const ok = step(title, process.execPath, [path.join(ROOT, script)]);
  try {
    const r = JSON.parse(fs.readFileSync(path.join(reports, `${name}.json`), 'utf8'));
    totals.passed += r.passed;
    totals.failed += r.failed;
  } catch {
    /* the step failed before writing: already counted as a failure */
  }
  return ok;
}

function countPlaywright(file) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    totals.passed += r.stats.expected + (r.stats.flaky ?? 0);
    totals.failed += r.stats.unexpected;
    totals.skipped += r.stats.skipped;
  } catch {
    /* see above */
  }
}

if (want('lint')) {
  step('lint (eslint, 0 warnings)', bin('eslint'), ['.', '--max-warnings', '0']);
  step('format (prettier --check)', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
}

if (want('typecheck')) {
  step('type-check (SPA)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  step('type-check (BFF)', bin('tsc'), ['-p', 'src/server/tsconfig.json', '--noEmit']);
  step('type-check (local site)', bin('tsc'), ['-p', 'src/site/tsconfig.json', '--noEmit']);
}

if (want('chart')) {
  // helm lint/template + kubeconform of deploy/helm/escape-portal (scripts/chart-check.mjs)
  scriptStep('chart', 'Helm chart (lint, template, kubeconform)', 'scripts/chart-check.mjs');
}

if (want('unit')) {
  const out = path.join(reports, 'vitest-unit.json');
  step('unit tests (vitest: node + web)', bin('vitest'), [
    'run',
    '--project',
    'node',
    '--project',
    'web',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${out}`,
    ...filters,
  ]);
  countVitest(out);
}

let stack;
let bff;
// A run stopped by a signal (Ctrl-C, a timeout's SIGTERM) stops its stack too: a run from another checkout would
// otherwise find the test ports taken (one from this checkout stops it itself, stopStale). Steps run synchronously,
// so this happens once the step in progress has returned; a SIGTERM (no waiting) to each recorded process group.
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(128 + os.constants.signals[sig]));
process.on('exit', () => {
  if (!stack) return;
  const file = path.join(stateDir, 'pids.json');
  const pids = [...(fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).map((p) => p.pid) : []), bff?.svc.pid];
  for (const pid of pids.filter(Boolean))
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGTERM');
        break;
      } catch {
        /* not a group leader, or already gone */
      }
    }
});
if (want('integration') || want('e2e')) {
  try {
    ensureSpaBuild();
    console.log('\n=== starting the local stack (test ports) ===');
    // Rucio is part of the stack (the local sites' InputData/OutputData); some integration tests start their own too.
    stack = await startStack({ stateDir, ports: TEST_PORTS, fresh: true, rucio: true });
    bff = await startBff({ stack, extraEnv: { PORTAL_LOG_LEVEL: 'warn' } });
  } catch (err) {
    console.error(`The stack did not start: ${err.message}`);
    failures.push('stack start-up');
    totals.failed += 1;
  }
}

const stackEnv = { PORTAL_STACK_FILE: path.join(stateDir, 'stack.json') };
if (stack && bff) {
  if (want('integration')) {
    const out = path.join(reports, 'vitest-integration.json');
    step(
      'integration tests (vitest, real DiracX)',
      bin('vitest'),
      ['run', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...filters],
      stackEnv,
    );
    countVitest(out);
  }
  if (want('e2e')) {
    const out = path.join(reports, 'playwright.json');
    step(
      'end-to-end tests (Playwright, Chromium)',
      bin('playwright'),
      ['test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json', ...filters],
      {
        ...stackEnv,
        PLAYWRIGHT_JSON_OUTPUT_NAME: out,
      },
    );
    countPlaywright(out);
  }
}

await bff?.stop();
await stack?.stop();
stack = undefined;

if (want('image')) {
  // The OCI image (scripts/image): built, unpacked and its entrypoint run against the local DiracX (≈3 min).
  if (process.getuid?.() !== 0) {
    console.log('\n=== OCI image: skipped (the smoke test needs root for its mount namespace) ===');
    totals.skipped += 1;
  } else {
    if (step('OCI image build', process.execPath, [path.join(ROOT, 'scripts/image/build.mjs')]))
      scriptStep('image', 'OCI image smoke test (read-only root, user 10001, local DiracX)', 'scripts/image/smoke.mjs');
  }
}

if (want('topology')) {
  // nginx (TLS) → two replicas of the image (the one step `image` built) → PostgreSQL, DiracX behind TLS too (≈2 min).
  if (process.getuid?.() !== 0) {
    console.log('\n=== production topology: skipped (its replicas run the image unpacked: needs root) ===');
    totals.skipped += 1;
  } else
    scriptStep('topology', 'production topology (TLS proxy, two image replicas, PostgreSQL, Chromium)', 'scripts/topology/topology.mjs');
}

console.log('');
if (failures.length) console.log(`failed steps: ${failures.join('; ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(failures.length || totals.failed ? 1 : 0);
