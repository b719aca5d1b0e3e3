// The local execution sites (issue #12), measured on the bench stack:
//  - hello_click_to_output: a signed-in scientist clicks "Launch Hello world" in Chromium, follows the job
//    link and opens its files; the time until std.out shows the greeting (the site's poll, settle time and
//    job run included), median of 3;
//  - sites_1000_jobs_per_min: a 1,000-job launch (Hello world, a list sweep of 1,000 messages) run to a final
//    status by the local sites, from the launch's submission to the last job final; every job must end Done;
//  - site_claim_ms_{p50,p95}: what claiming one job costs a site (claim file, Waiting → Matched, read back),
//    from the sites' own log lines ("job matched", claimMs) for the jobs of that launch.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../lib/chromium.mjs';
import { DEMO_PASSWORD } from '../idp/users.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function benchHelloClick(stack, { report }) {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(180_000);
    await page.goto(`${stack.urls.bff}/signin`);
    await page.getByRole('button', { name: /^sign in$/i }).click();
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Launch Hello world' }).waitFor();
    const times = [];
    for (let i = 0; i < 3; i++) {
      if (i > 0) {
        await page.getByRole('link', { name: 'Home', exact: true }).click();
        await page.getByRole('button', { name: 'Launch Hello world' }).waitFor();
      }
      const message = `bench ${i} ${Date.now().toString(36)}`;
      await page.getByLabel('Message').fill(message);
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Launch Hello world' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: /submitted/ })
        .getByRole('link')
        .click();
      await page.getByText(/This job has finished/).waitFor();
      await page.getByRole('button', { name: 'Show files' }).click();
      await page
        .getByLabel('Contents of std.out')
        .filter({ hasText: `Hello, ${message}!` })
        .waitFor();
      times.push(performance.now() - t0);
    }
    report('hello_click_to_output_p50', median(times) / 1000, 's');
    report('hello_click_to_output_max', Math.max(...times) / 1000, 's');
  } finally {
    await browser.close();
  }
}

/** "job matched" lines of the sites' logs: job id → claimMs. */
function claimTimes(stack) {
  const logs = path.join(stack.stateDir, 'logs');
  const out = new Map();
  for (const f of fs.readdirSync(logs).filter((n) => n.startsWith('site-'))) {
    for (const line of fs.readFileSync(path.join(logs, f), 'utf8').split('\n')) {
      if (!line.includes('"job matched"')) continue;
      try {
        const e = JSON.parse(line);
        if (typeof e.claimMs === 'number') out.set(e.jobId, e.claimMs);
      } catch {
        /* a partial line */
      }
    }
  }
  return out;
}

export async function benchSites(stack, auth, { report, jobs = 1000 }) {
  const api = async (p, init = {}) => {
    const r = await fetch(`${stack.urls.bff}${p}`, { ...init, headers: { ...auth, 'content-type': 'application/json', ...init.headers } });
    return { status: r.status, body: await r.json() };
  };
  const t0 = performance.now();
  const created = await api('/bff/v1/launches', {
    method: 'POST',
    body: JSON.stringify({
      idempotencyKey: `bench-sites-${Date.now()}`,
      name: `bench sites ${jobs}`,
      workflowId: 'hello-world',
      values: { GREETING: 'Hello', MESSAGE: 'x' },
      sweeps: { MESSAGE: { kind: 'list', values: Array.from({ length: jobs }, (_, i) => `m${i}`) } },
    }),
  });
  if (created.status !== 202) throw new Error(`bench sites: launch ${created.status} ${JSON.stringify(created.body)}`);
  let launch = created.body;
  while (launch.status === 'pending' || launch.status === 'submitting') {
    await sleep(500);
    launch = (await api(`/bff/v1/launches/${launch.id}`)).body;
  }
  if (launch.submittedJobs !== jobs) throw new Error(`bench sites: launch ended ${launch.status} with ${launch.submittedJobs}/${jobs}`);
  let counts;
  for (;;) {
    counts = (await api(`/bff/v1/productions/${launch.id}`)).body.production.counts;
    if (counts.done + counts.failed + counts.killed >= jobs) break;
    await sleep(2000);
  }
  const minutes = (performance.now() - t0) / 60_000;
  if (counts.done !== jobs) throw new Error(`bench sites: ${counts.done} of ${jobs} jobs Done (${JSON.stringify(counts)})`);
  report('sites_1000_jobs_minutes', minutes, 'min');
  report('sites_1000_jobs_per_min', jobs / minutes, 'jobs/min');
  const claims = claimTimes(stack);
  const ms = (launch.jobIds ?? []).map((id) => claims.get(id)).filter((x) => x !== undefined);
  if (ms.length < jobs) throw new Error(`bench sites: claim times of ${ms.length} of ${jobs} jobs in the site logs`);
  report('site_claim_ms_p50', pct(ms, 50), 'ms');
  report('site_claim_ms_p95', pct(ms, 95), 'ms');
  report('site_claim_ms_mean', ms.reduce((a, b) => a + b, 0) / ms.length, 'ms');
}
