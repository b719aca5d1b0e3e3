import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { renderJdl } from '../src/server/jdl/render.ts';
import { diracx } from './monitor-support.ts';
import { apiToken, axe, shot, signIn } from './support.ts';

/** Jobs that really run on the local sites (docs/execution-site.md), submitted as alice straight to DiracX. */
async function submit(jobGroup: string, attrs: Record<string, string | number>): Promise<number> {
  const jdl = renderJdl({
    JobName: jobGroup,
    JobGroup: jobGroup,
    StdOutput: 'std.out',
    StdError: 'std.err',
    OutputSandbox: ['std.out', 'std.err'],
    ...attrs,
  });
  const [job] = await diracx.submitJdl(await apiToken('scientist'), [jdl]);
  return job!.JobID;
}

/** Processes whose working directory is the job's directory at a local site: the payload and its children. */
function payloadPids(jobId: number): number[] {
  const work = path.join(path.dirname(process.env.PORTAL_STACK_FILE ?? '.stack/test/stack.json'), 'site', 'work');
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
        return cwd.startsWith(path.resolve(work) + path.sep) && path.basename(cwd) === String(jobId);
      } catch {
        return false; // gone, or not ours
      }
    })
    .map(Number);
}

const details = (page: Page) => page.getByRole('main');

test('a job that overruns its wall-clock time is killed by the watchdog, and its page says so', async ({ page }) => {
  test.setTimeout(180_000);
  const group = `e2e-watchdog-${Date.now().toString(36)}`;
  // CPUTime 20 HS06·s at 10 HS06 per core: 2 s of wall-clock time for a payload that would sleep 120 s.
  const id = await submit(group, { Executable: 'sleep', Arguments: '120', CPUTime: 20 });
  await signIn(page, 'scientist', { returnTo: `/jobs/${id}` });
  await expect(page.getByText(/This job has finished/)).toBeVisible({ timeout: 120_000 });
  await expect(details(page).getByText('Failed — Job has exceeded maximum wall clock time')).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'Killed by the watchdog after 2 s' })).toBeVisible();
  await page.getByRole('button', { name: 'Show files' }).click();
  await expect(page.getByLabel('Contents of std.err')).toContainText('[site] watchdog: killed after the wall-clock limit of 2 s');
  expect(payloadPids(id)).toEqual([]);
  expect(await axe(page)).toEqual([]);
  await shot(page, '45-job-watchdog');
});

test('killing a running job from the monitor really stops its process', async ({ page }) => {
  test.setTimeout(180_000);
  const group = `e2e-kill-${Date.now().toString(36)}`;
  const id = await submit(group, { Executable: 'sh', Arguments: "-c 'echo started && sleep 300'", CPUTime: 30000 });
  // The payload runs: a process of this host works in the job's directory.
  await expect.poll(() => payloadPids(id).length, { timeout: 120_000, intervals: [1_000] }).toBeGreaterThan(0);

  await signIn(page, 'scientist', { returnTo: `/jobs?jobGroup=${group}` });
  const row = page
    .getByRole('grid', { name: /jobs of/i })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: String(id), exact: true }) });
  await expect(row).toContainText('Running');
  await row.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Kill (1)' }).click();
  await page.getByRole('dialog', { name: 'Kill 1 job?' }).getByRole('button', { name: 'Kill' }).click();
  await expect(page.getByText('1 job killed')).toBeVisible();
  await expect(row).toContainText('Killed');
  // The site gets Kill in its next heartbeat answer and kills the payload's process group.
  await expect.poll(() => payloadPids(id), { timeout: 60_000, intervals: [1_000] }).toEqual([]);

  await page.goto(`/jobs/${id}`);
  await expect(
    details(page)
      .getByText(/^Killed/)
      .first(),
  ).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, '46-job-killed');
});
