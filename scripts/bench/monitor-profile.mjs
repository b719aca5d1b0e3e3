// Where the job monitor's time goes (issue #17), against a running stack that already holds jobs
// (e.g. the bench's state after `npm run bench`): the request waterfall of a full load of /jobs, and a
// sort change (Job ID, as the bench) split into click → request sent (router, loader, render), request →
// answer (of which the BFF's and DiracX's own time, from the BFF's /metrics) and answer → rows on screen
// (parse, React, the grid), with the hottest JS functions.
//   PORTAL_STACK_FILE=.stack/bench/stack.json node scripts/bench/monitor-profile.mjs
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../lib/chromium.mjs';
import { DEMO_PASSWORD, DEMO_USERS } from '../idp/users.mjs';
import { signInInBrowser } from '../lib/login.mjs';

const stack = JSON.parse(fs.readFileSync(process.env.PORTAL_STACK_FILE ?? '.stack/bench/stack.json', 'utf8'));
const base = stack.urls.bff;
const ROUNDS = Number(process.env.PORTAL_PROFILE_ROUNDS ?? 6);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The BFF's own time on GET /bff/v1/jobs and its DiracX searches (seconds summed, counts) from /metrics. */
async function serverTimes() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (re) => Number(text.match(re)?.[1] ?? 0);
  return {
    bff: value(/portal_http_request_duration_seconds_sum\{method="GET",route="\/bff\/v1\/jobs",status_class="2xx"\} (\S+)/),
    bffN: value(/portal_http_request_duration_seconds_count\{method="GET",route="\/bff\/v1\/jobs",status_class="2xx"\} (\S+)/),
    diracx: value(/portal_diracx_request_duration_seconds_sum\{instance="[^"]*",operation="search",outcome="2xx"\} (\S+)/),
    diracxN: value(/portal_diracx_request_duration_seconds_count\{instance="[^"]*",operation="search",outcome="2xx"\} (\S+)/),
  };
}

const browser = await chromium.launch(CHROMIUM_LAUNCH);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await signInInBrowser(
    page,
    base,
    DEMO_USERS.find((u) => u.username === 'ada'),
    DEMO_PASSWORD,
    'admins',
  );
  const firstCell = () => page.getByRole('grid').getByRole('row').nth(1).getByRole('gridcell').nth(1);

  // 1. A full load of /jobs with an empty cache: when each request started and ended.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await page.goto(`${base}/jobs`);
  await firstCell().waitFor();
  const shown = await page.evaluate(() => performance.now());
  const entries = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => ({
      name: new URL(e.name).pathname + new URL(e.name).search,
      start: e.startTime,
      end: e.responseEnd,
      size: e.encodedBodySize,
    })),
  );
  console.log(`full load of /jobs: first rows at ${shown.toFixed(0)} ms`);
  for (const e of entries.sort((a, b) => a.start - b.start))
    console.log(
      `  ${e.start.toFixed(0).padStart(6)} → ${e.end.toFixed(0).padStart(6)} ms  ${(e.size / 1024).toFixed(1).padStart(7)} KB  ${e.name.slice(0, 90)}`,
    );

  // 2. Sort changes as the bench does them (a fresh load of /jobs, then a click on "Job ID"), timed in the
  //    page's clock: click → search request started → answer received → first row of the answer shown.
  const phases = { beforeRequest: [], request: [], bffOwn: [], diracx: [], afterAnswer: [], total: [] };
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  let profiling = false;
  for (let i = 0; i < ROUNDS; i++) {
    await page.goto(`${base}/jobs`);
    await firstCell().waitFor();
    if (!profiling) {
      await cdp.send('Profiler.start');
      profiling = true;
    }
    await page.evaluate(() => {
      performance.clearResourceTimings();
      document.addEventListener('pointerdown', () => (window.__clickAt = performance.now()), { capture: true, once: true });
    });
    const before = await serverTimes();
    // Job ID is the default sort (left out of the URL): the click asks for oldest first
    const isSort = (url) => url.includes('/bff/v1/jobs?') && url.includes('order=asc');
    const answer = page.waitForResponse((r) => isSort(r.url()));
    await page.getByRole('grid').getByRole('columnheader', { name: 'Job ID' }).click();
    const first = (await (await answer).json()).items[0]?.jobId;
    const t = await page
      .waitForFunction((id) => {
        if (document.querySelector('[role="grid"] [role="row"][data-rowindex="0"] [data-field="jobId"]')?.textContent !== String(id))
          return null;
        const shownAt = performance.now();
        const r = performance.getEntriesByType('resource').find((e) => e.name.includes('/bff/v1/jobs?') && e.name.includes('order=asc'));
        return r ? { click: window.__clickAt, start: r.startTime, end: r.responseEnd, shown: shownAt } : null;
      }, first)
      .then((h) => h.jsonValue());
    const after = await serverTimes();
    // averaged over the searches in the window (a 5 s refresh rarely falls in one)
    const searches = Math.max(1, after.bffN - before.bffN);
    phases.bffOwn.push(((after.bff - before.bff - (after.diracx - before.diracx)) * 1000) / searches);
    phases.diracx.push(((after.diracx - before.diracx) * 1000) / Math.max(1, after.diracxN - before.diracxN));
    phases.beforeRequest.push(t.start - t.click);
    phases.request.push(t.end - t.start);
    phases.afterAnswer.push(t.shown - t.end);
    phases.total.push(t.shown - t.click);
  }
  const { profile } = await cdp.send('Profiler.stop');
  for (const [k, v] of Object.entries(phases))
    console.log(`sort ${k}: median ${median(v).toFixed(0)} ms  (${v.map((x) => x.toFixed(0)).join(', ')})`);

  // Self time per function over the sort rounds (sampled).
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  console.log('hottest functions during the sort rounds (self time, ms):');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${v.toFixed(0).padStart(6)}  ${k}`);
} finally {
  await browser.close();
}
