import { expect, test, type Page } from '@playwright/test';
import { forceStatuses } from '../src/server/testing/job-states.ts';
import { diracx, submitJobs } from './monitor-support.ts';
import { apiToken, axe, shot, signIn } from './support.ts';

const grid = (page: Page) => page.getByRole('grid', { name: /jobs of/i });
const row = (page: Page, jobId: number) =>
  grid(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: String(jobId), exact: true }) });

test('the job monitor: filter, sort, page, details with a sandbox, kill and reschedule, with the table following', async ({ page }) => {
  const cspViolations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  const group = `e2e-mon-${Date.now().toString(36)}`;
  const alice = await apiToken('scientist');
  const [a, b, c] = await submitJobs(alice, group, ['mon-alpha', 'mon-beta', 'mon-gamma']);
  // b will be killed (it must still be running), c rescheduled (a Failed job); a runs (echo mon-alpha) to Done
  await forceStatuses(diracx, await apiToken('admin'), { [b!]: 'Running', [c!]: 'Failed', [a!]: 'Done' });

  await signIn(page, 'scientist', { returnTo: `/jobs?jobGroup=${group}` });
  await expect(grid(page).getByRole('link', { name: String(a) })).toBeVisible();
  await expect(grid(page).getByRole('row')).toHaveCount(4); // header + 3
  await expect(page.getByRole('button', { name: 'Failed 1' })).toBeVisible();
  // the chart of jobs submitted per day: today's bar holds the three jobs
  await expect(page.getByRole('img', { name: /Jobs submitted per day over the last 14 days, by status: 3 in all/ })).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, 'monitor-01-jobs');
  // a column pinned from the Columns panel (kept in the URL); then 390 px wide and the dark scheme
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('button', { name: 'Pin Name' }).click();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/pin=jobName/);
  await expect(grid(page).getByRole('columnheader').nth(1)).toHaveText(/Name/);
  await page.setViewportSize({ width: 390, height: 844 });
  // the page fits the phone's width (the grid scrolls inside its own box); waiting for it lets the drawer settle
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expect(grid(page).getByRole('columnheader').nth(1)).toBeVisible();
  await shot(page, 'monitor-01-jobs-390');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/dark/);
  expect(await axe(page)).toEqual([]);
  await shot(page, 'monitor-01-jobs-390-dark');
  await page.setViewportSize({ width: 1280, height: 860 });
  await shot(page, 'monitor-01-jobs-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // sort by name, both ways (server side, in the URL)
  await grid(page).getByRole('columnheader', { name: 'Name' }).click();
  await expect(page).toHaveURL(/sort=JobName/);
  await expect(grid(page).getByRole('row').nth(1)).toContainText('mon-gamma');
  await grid(page).getByRole('columnheader', { name: 'Name' }).click();
  await expect(page).toHaveURL(/order=asc/);
  await expect(grid(page).getByRole('row').nth(1)).toContainText('mon-alpha');

  // free-text filter, then Back restores the previous view
  await page.getByLabel('Search (job id or name)').fill('mon-beta');
  await page.getByLabel('Search (job id or name)').press('Enter');
  await expect(page).toHaveURL(/q=mon-beta/);
  await expect(grid(page).getByRole('row')).toHaveCount(2);
  await page.goBack();
  await expect(grid(page).getByRole('row')).toHaveCount(4);

  // the status quick filter
  await page.getByRole('button', { name: 'Failed 1' }).click();
  await expect(page).toHaveURL(/status=Failed/);
  await expect(grid(page).getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: /^All \d+/ }).click();

  // paging: two per page
  await page.goto(`/jobs?jobGroup=${group}&perPage=2&sort=JobName&order=asc`);
  await expect(grid(page).getByRole('row')).toHaveCount(3);
  await page.getByRole('button', { name: /next page/i }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(grid(page).getByRole('row')).toHaveCount(2);
  await expect(grid(page).getByRole('row').nth(1)).toContainText('mon-gamma');

  // a bad value in the link: a clear message, the rest of the view kept
  await page.goto(`/jobs?jobGroup=${group}&status=Nope`);
  await expect(page.getByText(/invalid values for status/)).toBeVisible();
  await expect(grid(page).getByRole('row')).toHaveCount(4);

  // details: attributes, history, sandbox with std.out inline, download
  await row(page, a!)
    .getByRole('link', { name: String(a) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`Job ${a}`) })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sandboxes' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show files' })).toBeVisible();
  await page.getByRole('button', { name: 'Show files' }).click();
  await expect(page.getByLabel('Contents of std.out')).toContainText('mon-alpha');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the output sandbox' }).click();
  expect((await download).suggestedFilename()).toBe(`job-${a}-output-sandbox.tar.zst`);
  expect(await axe(page)).toEqual([]);
  await shot(page, 'monitor-02-detail');
  await page.goBack();

  // a row's context menu, by keyboard (Shift+F10 on a focused cell) and by right click: history, sandboxes
  await row(page, a!).getByRole('gridcell').nth(2).focus();
  await page.keyboard.press('Shift+F10');
  await page
    .getByRole('menu', { name: `Job ${a}` })
    .getByRole('menuitem', { name: 'Status history' })
    .click();
  const history = page.getByRole('dialog', { name: `Status history of job ${a}` });
  await expect(history.getByText('Done').first()).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, 'monitor-02-row-history');
  await history.getByRole('button', { name: 'Close' }).click();
  await row(page, a!).getByRole('gridcell').nth(2).click({ button: 'right' });
  await page
    .getByRole('menu', { name: `Job ${a}` })
    .getByRole('menuitem', { name: 'Sandboxes and downloads' })
    .click();
  const sandboxes = page.getByRole('dialog', { name: `Sandboxes of job ${a}` });
  await expect(sandboxes.getByRole('button', { name: 'Download the output sandbox' })).toBeVisible();
  await sandboxes.getByRole('button', { name: 'Close' }).click();

  // kill the running job (keyboard: the dialog focuses Cancel first)
  await row(page, b!).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Kill (1)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Kill 1 job?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shot(page, 'monitor-03-confirm');
  await dialog.getByRole('button', { name: 'Kill' }).click();
  await expect(page.getByText('1 job killed')).toBeVisible();
  await expect(row(page, b!)).toContainText('Killed');

  // reschedule the failed job: it leaves Failed
  await row(page, c!).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Reschedule (1)' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reschedule' }).click();
  await expect(page.getByText('1 job rescheduled')).toBeVisible();
  await expect(row(page, c!)).not.toContainText('Failed');
  await shot(page, 'monitor-04-after-actions');
  expect(cspViolations).toEqual([]);
});
