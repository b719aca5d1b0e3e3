// `npm run bench`: measurements side by side in one run, on a fresh local stack (bench ports).
// Prints `name: value unit` lines and writes bench/results.json.
//  - first_page_js_gzip: gzipped JS the browser loads for the signed-in home page (budget 250 KB)
//  - job search through the BFF vs the same search sent directly to DiracX (p50, p95, ratio)
//  - Hello world submission through the BFF vs a direct DiracX submission (p50, ratio)
//  - replica lookup + locality ranking of a 10,000-file basket vs the Rucio calls it needs (bench/locality.mjs)
//  - an incremental schedule run: 100 new files in a 100,000-file source (time, queries; bench/incremental.mjs)
//  - a stage-first launch of N tape files: launch → rules OK → jobs submitted, with the mock transfertool (bench/staging.mjs)
//  - the production topology (scripts/topology/topology.mjs --bench, its own ports): bytes on the wire through
//    the TLS proxy, the monitor's first rows through it vs straight at a replica, cold start, image size
//  - a production output downloaded through the BFF vs read directly from its replica (bench/outputs.mjs)
//  - the local sites (bench/sites.mjs): click → Hello world's std.out visible in Chromium; a 1,000-job launch
//    run to completion (jobs/min) with the sites' claim cost per job
//  - 64 concurrent users on two BFF replicas (PostgreSQL) vs the same operations sent directly (bench/load.mjs)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';
import { ensureSpaBuild } from './lib/build.mjs';
import { CHROMIUM_LAUNCH } from './lib/chromium.mjs';
import { demoUserAuth } from './lib/login.mjs';
import { ROOT, startBff, startStack } from './lib/stack.mjs';
import { benchMonitor } from './bench/monitor.mjs';
import { DEMO_PASSWORD } from './idp/users.mjs';
import { benchProductions } from './bench/productions.mjs';
import { benchAccounting } from './bench/accounting.mjs';
import { benchSchedules } from './bench/schedules.mjs';
import { benchLocality } from './bench/locality.mjs';
import { benchIncremental } from './bench/incremental.mjs';
import { benchCatalogue } from './bench/catalogue.mjs';
import { benchOutputs } from './bench/outputs.mjs';
import { benchLoad } from './bench/load.mjs';
import { benchHelloClick, benchSites } from './bench/sites.mjs';
import { benchStaging } from './bench/staging.mjs';

// `--only monitor`: just the job monitor's part (stack, seeding, browser), for work on the monitor;
// `--only load`: just the 64-user load bench (bench/load.mjs, its own stack);
// `--only sites`: just the local execution sites and output downloads (bench/sites.mjs, bench/outputs.mjs);
// `--only staging`: just the stage-first launch (bench/staging.mjs; alone on its own ports: node scripts/bench/staging.mjs).
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
const PARTS = ['monitor', 'load', 'sites', 'staging'];
if (only !== undefined && !PARTS.includes(only)) throw new Error(`--only: unknown part ${only} (known: ${PARTS.join(', ')})`);

const BENCH_PORTS = { bff: 8740, diracx: 8730, idp: 8731, s3: 8732, redis: 8733, rucio: 8734 };
const results = {};
function report(name, value, unit) {
  results[name] = { value: Number(value.toFixed(3)), unit };
  console.log(`${name}: ${value.toFixed(3)} ${unit}`);
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
function writeResults() {
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  const resultsFile = `bench/results${only ? `-${only}` : ''}.json`;
  fs.writeFileSync(path.join(ROOT, resultsFile), `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`written: ${resultsFile}`);
}
async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

ensureSpaBuild();
if (only === 'load') {
  await benchLoad(report);
  writeResults();
  process.exit(0); // none of the other parts
}
const stack = await startStack({ stateDir: path.join(ROOT, '.stack/bench'), ports: BENCH_PORTS, fresh: true, log: () => {} });
// Rate limits off: the bench measures what the BFF costs, and its 64 users share one address.
const bff = await startBff({
  stack,
  log: () => {},
  extraEnv: { PORTAL_LOG_LEVEL: 'warn', PORTAL_RATE_LIMIT_PER_USER: '0', PORTAL_RATE_LIMIT_PER_IP: '0' },
});
const aliceAuth = () => demoUserAuth(stack);
try {
  if (only === 'sites') {
    const auth = await aliceAuth();
    await benchHelloClick(stack, { report });
    await benchSites(stack, auth, { report });
    await benchOutputs(stack, auth, { report });
  }
  if (only === 'staging') await benchStaging(stack, await aliceAuth(), { report });
  if (only === undefined) {
    const auth = await aliceAuth();
    // The sites first, on an idle queue: the later parts leave ~2,000 jobs for the sites to run.
    await benchHelloClick(stack, { report });
    await benchSites(stack, auth, { report });

    // Some jobs to search through.
    const jdl = '[\n    JobName = "bench";\n    Executable = "echo";\n    Arguments = "bench";\n]';
    for (let i = 0; i < 5; i++) {
      await fetch(`${stack.urls.diracx}/api/jobs/jdl`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(Array(20).fill(jdl)),
      });
    }

    // 1. Search: same query, alternating BFF / direct, after a warm-up.
    const direct = () =>
      fetch(`${stack.urls.diracx}/api/jobs/search?page=1&per_page=25`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          parameters: null,
          search: [
            { parameter: 'VO', operator: 'eq', value: 'escape' },
            { parameter: 'Owner', operator: 'eq', value: 'alice' },
          ],
          sort: [{ parameter: 'JobID', direction: 'desc' }],
        }),
      }).then((r) => r.text());
    const viaBff = () => fetch(`${stack.urls.bff}/bff/v1/jobs?page=1&perPage=25`, { headers: auth }).then((r) => r.text());
    for (let i = 0; i < 20; i++) await Promise.all([direct(), viaBff()]);
    const d = [];
    const b = [];
    for (let i = 0; i < 150; i++) {
      d.push(await timed(direct));
      b.push(await timed(viaBff));
    }
    report('search_direct_p50', pct(d, 50), 'ms');
    report('search_bff_p50', pct(b, 50), 'ms');
    report('search_direct_p95', pct(d, 95), 'ms');
    report('search_bff_p95', pct(b, 95), 'ms');
    report('search_bff_over_direct_p50', pct(b, 50) / pct(d, 50), 'ratio');
    report('search_bff_over_direct_p95', pct(b, 95) / pct(d, 95), 'ratio');

    // 2. Submission of one Hello world job: directly, and as the portal does it (a launch of workflow
    //    hello-world, timed until the BFF has the job id back from DiracX).
    const sd = [];
    const sb = [];
    for (let i = 0; i < 20; i++) {
      sd.push(
        await timed(() =>
          fetch(`${stack.urls.diracx}/api/jobs/jdl`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify([jdl]),
          }).then((r) => r.text()),
        ),
      );
      sb.push(
        await timed(async () => {
          const body = {
            idempotencyKey: `bench-${i}-${Date.now()}`,
            name: 'Hello world',
            workflowId: 'hello-world',
            values: { GREETING: 'Hello', MESSAGE: 'bench' },
          };
          let launch = await fetch(`${stack.urls.bff}/bff/v1/launches`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }).then((r) => r.json());
          while (launch.status === 'pending' || launch.status === 'submitting') {
            await new Promise((r) => setTimeout(r, 10));
            launch = await fetch(`${stack.urls.bff}/bff/v1/launches/${launch.id}`, { headers: auth }).then((r) => r.json());
          }
          if (launch.submittedJobs !== 1) throw new Error(`hello-world launch ended ${launch.status}`);
        }),
      );
    }
    report('submit_direct_p50', pct(sd, 50), 'ms');
    report('submit_bff_p50', pct(sb, 50), 'ms');
    report('submit_bff_over_direct_p50', pct(sb, 50) / pct(sd, 50), 'ratio');

    // 3. A basket of 1,000 files -> 1,000 jobs through the BFF's launch engine, against the same
    //    1,000 JDLs submitted directly to DiracX (batches of 20, 2 in flight: what the engine does).
    const api = (p, init = {}) =>
      fetch(`${stack.urls.bff}${p}`, { ...init, headers: { ...auth, 'content-type': 'application/json', ...(init.headers ?? {}) } }).then(
        async (r) => ({ status: r.status, body: await r.json() }),
      );
    const projects = (await api('/bff/v1/datasets/projects')).body.items;
    const ids = [];
    for (const proj of projects) {
      for (let page = 1; ids.length < 1000; page++) {
        const files = (
          await api(`/bff/v1/datasets/files?projectId=${encodeURIComponent(proj.projectId)}&dataLevel=DL0&perPage=200&page=${page}`)
        ).body.items;
        if (files.length === 0) break;
        ids.push(...files.map((f) => f.id).slice(0, 1000 - ids.length));
      }
      if (ids.length >= 1000) break;
    }
    await api('/bff/v1/basket/items', { method: 'POST', body: JSON.stringify({ fileIds: ids }) });
    const basket = (await api('/bff/v1/basket')).body.items.map((i) => i.id);
    const launchBody = {
      idempotencyKey: `bench-1000-${Date.now()}`,
      name: 'bench 1000',
      workflowId: 'cta-dl0-dl3',
      values: {},
      sweeps: {},
      inputItemIds: basket.slice(0, 1000),
      inputMode: 'per-file',
    };
    const preview = (await api('/bff/v1/launches/preview', { method: 'POST', body: JSON.stringify(launchBody) })).body;
    // Direct first: DiracX's tables are smaller then, which favours the direct figure (conservative).
    const directJdls = Array.from({ length: 1000 }, (_, i) =>
      preview.sampleJdl.replace(/JobName = "[^"]+"/, `JobName = "direct-${i}"`).replace(/JobGroup = "[^"]+"/, 'JobGroup = "bench-direct"'),
    );
    const batches = [];
    for (let i = 0; i < directJdls.length; i += 20) batches.push(directJdls.slice(i, i + 20));
    const t1 = performance.now();
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < batches.length) {
          const b = batches[next++];
          const r = await fetch(`${stack.urls.diracx}/api/jobs/jdl`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify(b),
          });
          if (r.status !== 201) throw new Error(`direct submission ${r.status}`);
          await r.text();
        }
      }),
    );
    const direct1000 = performance.now() - t1;
    const t0 = performance.now();
    const created = await api('/bff/v1/launches', { method: 'POST', body: JSON.stringify(launchBody) });
    let launch = created.body;
    while (launch.status === 'pending' || launch.status === 'submitting') {
      await new Promise((r) => setTimeout(r, 100));
      launch = (await api(`/bff/v1/launches/${launch.id}`)).body;
    }
    const viaBff1000 = performance.now() - t0;
    if (launch.submittedJobs !== 1000) throw new Error(`launch ended ${launch.status} with ${launch.submittedJobs}/1000`);
    report('submit_1000_jobs_bff', viaBff1000 / 1000, 's');
    report('submit_1000_jobs_direct', direct1000 / 1000, 's');
    report('submit_1000_jobs_bff_over_direct', viaBff1000 / direct1000, 'ratio');

    await benchProductions(stack, auth, { report, timed, pct });
    // Scheduled submissions: a schedule's run (token exchange + launch) vs a manual launch.
    await benchSchedules({ stack, auth, report, pct });
    await benchOutputs(stack, auth, { report });
    // Stage first: N tape files → Rucio rules → conveyor (mock transfertool) → jobs submitted.
    await benchStaging(stack, auth, { report });

    // 4. JS the browser loads for the signed-in home page, gzipped.
    const browser = await chromium.launch(CHROMIUM_LAUNCH);
    const page = await browser.newPage();
    await page.goto(`${stack.urls.bff}/signin`);
    await page.getByRole('button', { name: /^sign in$/i }).click();
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    const js = new Set();
    page.on('response', (r) => {
      if (r.url().endsWith('.js')) js.add(new URL(r.url()).pathname);
    });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Launch Hello world' }).waitFor();
    await page.waitForLoadState('networkidle');
    let gz = 0;
    for (const p of js) gz += zlib.gzipSync(fs.readFileSync(path.join(ROOT, 'dist', p)), { level: 9 }).length;
    report('first_page_js_gzip', gz / 1024, 'KB');
    report('first_page_js_files', js.size, 'files');
    report('first_page_js_budget_used', gz / 1024 / 250, 'ratio');
    await browser.close();
  }
  // 5. The job monitor at each size of PORTAL_BENCH_JOBS (default 20,000 then 100,000 jobs).
  if (only === undefined || only === 'monitor')
    await benchMonitor({ urls: stack.urls, portalClientId: stack.portalClientId, vo: 'escape', report });
  // `--profile`: then where a sort's time goes (scripts/bench/monitor-profile.mjs), on the same stack and jobs.
  if (process.argv.includes('--profile')) {
    const file = path.join(ROOT, '.stack/bench/stack.json');
    fs.writeFileSync(file, JSON.stringify({ urls: stack.urls, portalClientId: stack.portalClientId, vo: 'escape' }));
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/bench/monitor-profile.mjs')], {
      stdio: 'inherit',
      env: { ...process.env, PORTAL_STACK_FILE: file },
    });
    await new Promise((resolve) => child.on('exit', resolve));
  }
} finally {
  await bff.stop();
  await stack.stop();
}
// 5. Accounting: the year-long, day-bucketed, by-site report over 1,000,000 records, SQLite vs PostgreSQL.
if (only === undefined) {
  await benchAccounting(report);
  await benchLocality(report);
  // A saved-query schedule's run over a 100,000-file catalogue source with 100 new files (SQLite, PostgreSQL).
  await benchIncremental(report);
  await benchCatalogue(report);
  // 6. 64 concurrent users for PORTAL_LOAD_SECONDS on two BFF replicas vs directly at DiracX (own stack, ports 8750-8759).
  await benchLoad(report);
}
// 7. The production topology: nginx (TLS) → two replicas → PostgreSQL, measured by its own suite.
if (only === undefined) {
  const file = path.join(ROOT, 'bench/topology.json');
  fs.rmSync(file, { force: true });
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/topology/topology.mjs'), '--bench'], { stdio: 'inherit' });
  await new Promise((resolve) => child.on('exit', resolve));
  if (fs.existsSync(file)) for (const [name, f] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')))) report(name, f.value, f.unit);
}
writeResults();
