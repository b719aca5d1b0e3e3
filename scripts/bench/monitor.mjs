// The job monitor's benchmark (issue #5), against a DiracX seeded with many jobs (scripts/seed-jobs.mjs):
//  - in Chromium: navigation → first rows, a sort change, a filter change (summary chip), JS heap;
//  - the BFF's added latency on the monitor's search (BFF vs DiracX directly, alternating, p50/p95).
// Called by scripts/bench.mjs on its fresh stack, or alone against a running stack:
//   PORTAL_STACK_FILE=.stack/test/stack.json node scripts/bench/monitor.mjs
// PORTAL_BENCH_JOBS: the sizes to measure at, comma-separated (default 20000,100000, as issue #17 asks): the
// bench seeds up to each size in turn and measures there, figures named monitor_<size>_… (e.g. monitor_20k_…);
// 0 = measure once on what DiracX already holds.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../lib/chromium.mjs';
import { loginThroughIdp, signInInBrowser } from '../lib/login.mjs';
import { DEMO_PASSWORD, DEMO_USERS } from '../idp/users.mjs';
import { seedJobs } from '../seed-jobs.mjs';
// The same columns the BFF asks DiracX for, so that the direct search does the same work.
import { JOB_COLUMNS } from '../../src/server/jobs/mapping.ts';

const ADA = DEMO_USERS.find((u) => u.username === 'ada');
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
  sizes = (process.env.PORTAL_BENCH_JOBS ?? '20000,100000').split(',').map(Number),
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

  const adminAuth = async () => ({ authorization: `Bearer ${await token('admin')}`, 'content-type': 'application/json' });
  const jobsInDiracx = async () => {
    const res = await fetch(`${urls.diracx}/api/jobs/summary`, {
      method: 'POST',
      headers: await adminAuth(),
      body: JSON.stringify({ grouping: ['VO'], search: [] }),
    });
    return (await res.json()).reduce((n, r) => n + r.count, 0);
  };

  /** 1. The BFF's added latency on the monitor's searches, at the current size. */
  async function apiCases(tag) {
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
        // DiracX's own share of monitor_<size>_sort_change: the Job ID header clicked (desc → asc)
        name: 'sorted_by_id_asc',
        role: 'admin',
        bff: '/bff/v1/jobs?page=1&perPage=25&sort=JobID&order=asc',
        direct: { search: [], sort: [{ parameter: 'JobID', direction: 'asc' }] },
      },
      {
        // ... and of monitor_<size>_filter_change: then the "Done" summary chip
        name: 'done_by_id_asc',
        role: 'admin',
        bff: '/bff/v1/jobs?page=1&perPage=25&sort=JobID&order=asc&status=Done',
        direct: { search: [{ parameter: 'Status', operator: 'eq', value: 'Done' }], sort: [{ parameter: 'JobID', direction: 'asc' }] },
      },
      {
        // DiracX's own share of monitor_<size>_sort_by_name_change (JobName is not indexed in DiracX's JobDB,
        // so this sorts every visible job). Fewer rounds: each is slow.
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
      report(`monitor_${tag}_search_${c.name}_direct_p50`, pct(d, 50), 'ms');
      report(`monitor_${tag}_search_${c.name}_bff_p50`, pct(b, 50), 'ms');
      report(`monitor_${tag}_search_${c.name}_direct_p95`, pct(d, 95), 'ms');
      report(`monitor_${tag}_search_${c.name}_bff_p95`, pct(b, 95), 'ms');
      report(`monitor_${tag}_search_${c.name}_bff_over_direct_p50`, pct(b, 50) / pct(d, 50), 'ratio');
      report(`monitor_${tag}_search_${c.name}_bff_over_direct_p95`, pct(b, 95) / pct(d, 95), 'ratio');
    }
  }

  // 2. In Chromium, as the admin (the biggest view).
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    // A fresh signed-in page per size: seeding the next size takes longer than a token lives.
    let page;
    const signIn = async () => {
      await page?.context().close();
      page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
      await signInInBrowser(page, urls.bff, ADA, DEMO_PASSWORD, 'admins');
    };
    await signIn();
    const grid = () => page.getByRole('grid');
    const firstCell = () => grid().getByRole('row').nth(1).getByRole('gridcell').nth(1);

    // What the user waits for, on the page's own clock: from the pointer press until the grid's first row is
    // the first job of the BFF's answer for the new view (checked at each animation frame). The driver's own
    // time (Playwright finding the header, its actionability checks) is reported apart, as `_with_driver`.
    const FIRST_ROW_JOB = '[role="grid"] [role="row"][data-rowindex="0"] [data-field="jobId"]';
    const driverTimes = new Map();
    const untilShown = async (name, match, act) => {
      const answer = page.waitForResponse((r) => r.url().includes('/bff/v1/jobs?') && match(new URL(r.url()).searchParams));
      await page.evaluate(() =>
        document.addEventListener('pointerdown', () => (window.__pressedAt = performance.now()), { capture: true, once: true }),
      );
      const start = performance.now();
      await act();
      const first = (await (await answer).json()).items[0]?.jobId;
      const shown = await page.waitForFunction(
        ([sel, id]) => document.querySelector(sel)?.textContent === String(id) && performance.now() - window.__pressedAt,
        [FIRST_ROW_JOB, first],
        { polling: 'raf' },
      );
      driverTimes.set(name, [...(driverTimes.get(name) ?? []), performance.now() - start]);
      return shown.jsonValue();
    };

    // The monitor route's JavaScript on a full load with an empty cache (the same at any size): what it
    // needs until the first rows are shown, and all of it once the page is idle.
    async function routeJs() {
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
      await firstCell().waitFor();
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

    /** The operations, 9 rounds each as diracx-web was measured side by side (issue #17). */
    async function browserRounds(tag) {
      const xs = { first_rows: [], sort_change: [], filter_change: [], sort_by_name_change: [] };
      for (let i = 0; i < 9; i++) {
        // a full page load of /jobs (JS, session restore, search) → first rows
        // (page clock: from the navigation's start, which performance.now() counts from)
        await page.goto(`${urls.bff}/jobs`);
        const firstRows = await page.waitForFunction((sel) => document.querySelector(sel) && performance.now(), FIRST_ROW_JOB, {
          polling: 'raf',
        });
        xs.first_rows.push(await firstRows.jsonValue());
        // sort by Job ID (the default is newest first: the click asks for oldest first), then Status=Done
        xs.sort_change.push(
          await untilShown(
            'sort_change',
            // JobID is the default sort, which the SPA leaves out of the URL
            (q) => (q.get('sort') ?? 'JobID') === 'JobID' && q.get('order') === 'asc',
            () => grid().getByRole('columnheader', { name: 'Job ID' }).click(),
          ),
        );
        xs.filter_change.push(
          await untilShown(
            'filter_change',
            (q) => q.get('status') === 'Done',
            () => page.getByRole('button', { name: /^Done \d+/ }).click(),
          ),
        );
        // and, from the default view, a sort by a column DiracX has no index for
        await page.goto(`${urls.bff}/jobs`);
        await firstCell().waitFor();
        xs.sort_by_name_change.push(
          await untilShown(
            'sort_by_name_change',
            (q) => q.get('sort') === 'JobName',
            () => grid().getByRole('columnheader', { name: 'Name' }).click(),
          ),
        );
      }
      for (const [name, values] of Object.entries(xs)) {
        report(`monitor_${tag}_${name}_p50`, pct(values, 50), 'ms');
        report(`monitor_${tag}_${name}_p95`, pct(values, 95), 'ms');
        report(`monitor_${tag}_${name}_max`, Math.max(...values), 'ms');
      }
      for (const [name, values] of driverTimes) report(`monitor_${tag}_${name}_with_driver_p50`, pct(values, 50), 'ms');
      driverTimes.clear();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      report(`monitor_${tag}_js_heap_used`, heap.usedSize / 1024 / 1024, 'MB');
    }

    for (const size of sizes) {
      const have = await jobsInDiracx();
      if (size > have) {
        const seeded = await seedJobs({ diracxUrl: urls.diracx, tokens: token, count: size - have, concurrency: 3, log });
        report(`monitor_seed_rate_to_${size}`, seeded.jobs / seeded.seconds, 'jobs/s');
      }
      const total = await jobsInDiracx();
      const tag = size === 0 ? 'existing' : size % 1000 === 0 ? `${size / 1000}k` : String(size);
      report(`monitor_${tag}_jobs_in_diracx`, total, 'jobs');
      await apiCases(tag);
      if (size === sizes[0]) await routeJs();
      else await signIn();
      await browserRounds(tag);
    }
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
