// The job monitor's benchmark (issue #5), against a DiracX seeded with many jobs (scripts/seed-jobs.mjs):
//  - in Chromium: navigation → first rows, a sort change, a filter change (summary chip), JS heap;
//  - the BFF's added latency on the monitor's search (BFF vs DiracX directly, alternating, p50/p95).
// Called by scripts/bench.mjs on its fresh stack, or alone against a running stack:
//   PORTAL_STACK_FILE=.stack/test/stack.json node scripts/bench/monitor.mjs
// PORTAL_BENCH_JOBS sets how many jobs to seed (default 100000; 0 = use what DiracX already holds).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../lib/chromium.mjs';
import { loginThroughIdp } from '../lib/login.mjs';
import { DEMO_PASSWORD } from '../idp/users.mjs';
import { seedJobs } from '../seed-jobs.mjs';
// The same columns the BFF asks DiracX for, so that the direct search does the same work.
import { JOB_COLUMNS } from '../../src/server/jobs/mapping.ts';

const GROUPS = { scientist: ['scientists', 'alice'], pi: ['pis', 'paul'], admin: ['admins', 'ada'] };

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export async function benchMonitor({
  urls,
  portalClientId,
  vo,
  report,
  count = Number(process.env.PORTAL_BENCH_JOBS ?? 100_000),
  log = console.log,
}) {
  // Tokens live 20 minutes: log in again when older than 10.
  const cache = new Map();
  const token = async (role) => {
    const c = cache.get(role);
    if (c && Date.now() - c.at < 10 * 60_000) return c.token;
    const [group, username] = GROUPS[role];
    const t = await loginThroughIdp({
      diracxUrl: urls.diracx,
      clientId: portalClientId,
      redirectUri: `${urls.bff}/auth/callback`,
      vo,
      group,
      username,
      password: DEMO_PASSWORD,
    });
    cache.set(role, { at: Date.now(), token: t.access_token });
    return t.access_token;
  };

  if (count > 0) {
    const seeded = await seedJobs({ diracxUrl: urls.diracx, tokens: token, count, concurrency: 3, log });
    report('monitor_seeded_jobs', seeded.jobs, 'jobs');
    report('monitor_seed_rate', seeded.jobs / seeded.seconds, 'jobs/s');
  }
  const adminAuth = async () => ({ authorization: `Bearer ${await token('admin')}`, 'content-type': 'application/json' });
  const totalRes = await fetch(`${urls.diracx}/api/jobs/summary`, {
    method: 'POST',
    headers: await adminAuth(),
    body: JSON.stringify({ grouping: ['VO'], search: [] }),
  });
  const total = (await totalRes.json()).reduce((n, r) => n + r.count, 0);
  report('monitor_jobs_in_diracx', total, 'jobs');

  // 1. The BFF's added latency on the monitor's default search (the admin's view: every job), and a
  //    filtered one (alice: status + site), alternating BFF and direct after a warm-up.
  const cases = [
    {
      name: 'all',
      role: 'admin',
      bff: '/bff/v1/jobs?page=1&perPage=25&sort=JobID&order=desc',
      direct: { search: [], sort: [{ parameter: 'JobID', direction: 'desc' }] },
    },
    {
      name: 'filtered',
      role: 'scientist',
      bff: '/bff/v1/jobs?page=1&perPage=25&sort=SubmissionTime&order=desc&status=Done,Failed&site=LCG.CERN.cern',
      direct: {
        search: [
          { parameter: 'VO', operator: 'eq', value: vo },
          { parameter: 'Owner', operator: 'eq', value: 'alice' },
          { parameter: 'Status', operator: 'in', values: ['Done', 'Failed'] },
          { parameter: 'Site', operator: 'eq', value: 'LCG.CERN.cern' },
        ],
        sort: [
          { parameter: 'SubmissionTime', direction: 'desc' },
          { parameter: 'JobID', direction: 'desc' },
        ],
      },
    },
    {
      // What the browser's sort change asks for: DiracX's own share of monitor_sort_change (JobName is not
      // indexed in DiracX's JobDB, so this is a sort of every visible job). Fewer rounds: each takes ~1 s.
      name: 'sorted_by_name',
      role: 'admin',
      rounds: 20,
      bff: '/bff/v1/jobs?page=1&perPage=25&sort=JobName&order=asc',
      direct: { search: [], sort: [{ parameter: 'JobName', direction: 'asc' }] },
    },
  ];
  for (const c of cases) {
    const t = await token(c.role);
    const direct = () =>
      fetch(`${urls.diracx}/api/jobs/search?page=1&per_page=25`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify({ parameters: JOB_COLUMNS, ...c.direct }),
      }).then((r) => r.text());
    const viaBff = () => fetch(`${urls.bff}${c.bff}`, { headers: { authorization: `Bearer ${t}` } }).then((r) => r.text());
    const rounds = c.rounds ?? 100;
    for (let i = 0; i < Math.ceil(rounds / 7); i++) await Promise.all([direct(), viaBff()]);
    const d = [];
    const b = [];
    for (let i = 0; i < rounds; i++) {
      // alternate which goes first so neither always gets the warmer cache
      const pair =
        i % 2
          ? [
              [direct, d],
              [viaBff, b],
            ]
          : [
              [viaBff, b],
              [direct, d],
            ];
      for (const [fn, into] of pair) {
        const t0 = performance.now();
        await fn();
        into.push(performance.now() - t0);
      }
    }
    report(`monitor_search_${c.name}_direct_p50`, pct(d, 50), 'ms');
    report(`monitor_search_${c.name}_bff_p50`, pct(b, 50), 'ms');
    report(`monitor_search_${c.name}_direct_p95`, pct(d, 95), 'ms');
    report(`monitor_search_${c.name}_bff_p95`, pct(b, 95), 'ms');
    report(`monitor_search_${c.name}_bff_over_direct_p50`, pct(b, 50) / pct(d, 50), 'ratio');
    report(`monitor_search_${c.name}_bff_over_direct_p95`, pct(b, 95) / pct(d, 95), 'ratio');
  }

  // 2. In Chromium, as the admin (the biggest view).
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${urls.bff}/signin`);
    await page.getByLabel('Group').selectOption('admins');
    await page.getByRole('button', { name: /^sign in$/i }).click();
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Launch Hello world' }).waitFor();
    const grid = page.getByRole('grid');
    const firstCell = () => grid.getByRole('row').nth(1).getByRole('gridcell').nth(1);

    // The monitor route's JavaScript on a full load with an empty cache: what it needs until the first
    // rows are shown, and all of it once the page is idle (the chart comes after the rows).
    {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      const js = new Map();
      const onResponse = (r) => {
        if (r.url().endsWith('.js'))
          js.set(
            new URL(r.url()).pathname,
            r.body().then((b) => zlib.gzipSync(b, { level: 9 }).length),
          );
      };
      page.on('response', onResponse);
      await page.goto(`${urls.bff}/jobs`);
      await grid.getByRole('row').nth(1).getByRole('gridcell').nth(1).waitFor();
      const untilRows = [...js.values()];
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(2_000); // the chart is asked for once the list has been quiet for 1 s
      await page.waitForLoadState('networkidle');
      page.off('response', onResponse);
      const sum = async (ps) => (await Promise.all(ps)).reduce((a, b) => a + b, 0) / 1024;
      report('monitor_route_js_until_rows_gzip', await sum(untilRows), 'KB');
      report('monitor_route_js_until_rows_files', untilRows.length, 'files');
      report('monitor_route_js_gzip', await sum([...js.values()]), 'KB');
      report('monitor_route_js_files', js.size, 'files');
    }

    const firstRows = [];
    const sorts = [];
    const filters = [];
    // 9 rounds, as diracx-web was measured side by side (issue #17)
    for (let i = 0; i < 9; i++) {
      // a full page load of /jobs (JS, session restore, search) → first rows
      const t0 = performance.now();
      await page.goto(`${urls.bff}/jobs`);
      await firstCell().waitFor();
      firstRows.push(performance.now() - t0);

      // sort change (by name) and filter change (the "Failed" summary chip): from the click until the
      // grid's first row is the first job of the BFF's answer for the new view
      const untilShown = async (match, act) => {
        const answer = page.waitForResponse((r) => r.url().includes('/bff/v1/jobs?') && match(new URL(r.url()).searchParams));
        const start = performance.now();
        await act();
        const first = (await (await answer).json()).items[0]?.jobId;
        await page.waitForFunction(
          (id) => document.querySelector('[role="grid"] [role="row"][data-rowindex="0"] [data-field="jobId"]')?.textContent === String(id),
          first,
        );
        return performance.now() - start;
      };
      sorts.push(
        await untilShown(
          (q) => q.get('sort') === 'JobName',
          () => grid.getByRole('columnheader', { name: 'Name' }).click(),
        ),
      );
      filters.push(
        await untilShown(
          (q) => q.get('status') === 'Failed',
          () => page.getByRole('button', { name: /^Failed \d+/ }).click(),
        ),
      );
    }
    for (const [name, xs] of [
      ['first_rows', firstRows],
      ['sort_change', sorts],
      ['filter_change', filters],
    ]) {
      report(`monitor_${name}_p50`, pct(xs, 50), 'ms');
      report(`monitor_${name}_p95`, pct(xs, 95), 'ms');
      report(`monitor_${name}_max`, Math.max(...xs), 'ms');
    }

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    report('monitor_js_heap_used', heap.usedSize / 1024 / 1024, 'MB');
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stack = JSON.parse(fs.readFileSync(process.env.PORTAL_STACK_FILE ?? '.stack/test/stack.json', 'utf8'));
  const results = {};
  await benchMonitor({
    urls: stack.urls,
    portalClientId: stack.portalClientId,
    vo: stack.vo,
    report: (name, value, unit) => {
      results[name] = { value: Number(value.toFixed(3)), unit };
      console.log(`${name}: ${value.toFixed(3)} ${unit}`);
    },
  });
}
