import { expect, test } from '@playwright/test';
import { apiToken, axe, bffCall, reportJobStatus, shot, signIn } from './support.ts';

type Detail = { production: { id: string; jobGroup: string; counts: { done: number; failed: number } }; launch: { jobIds: number[] } };
type History = { history: { time: string }[] };

test('as PI: a scientist’s production, its progress and failures, and a bulk reschedule of the failed jobs', async ({ page }) => {
  test.setTimeout(240_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  // alice launches a 3-job Hello world production; the demo executor runs it to Done.
  const alice = await apiToken('scientist');
  const name = `PI review ${Date.now().toString(36)}`;
  const launch = await bffCall<{ id: string }>(alice, 'POST', '/bff/v1/launches', {
    idempotencyKey: `e2e-${crypto.randomUUID()}`,
    name,
    workflowId: 'hello-world',
    values: { GREETING: 'Hello' },
    sweeps: { MESSAGE: { kind: 'list', values: ['a', 'b', 'c'] } },
  });
  await expect
    .poll(async () => (await bffCall<Detail>(alice, 'GET', `/bff/v1/productions/${launch.id}`)).production.counts.done, {
      timeout: 90_000,
      intervals: [2_000],
    })
    .toBe(3);
  const { launch: recorded } = await bffCall<Detail>(alice, 'GET', `/bff/v1/productions/${launch.id}`);
  const [j1, j2] = recorded.jobIds as [number, number];
  // The demo executor stamps Done a few seconds ahead; a later report must come after it.
  for (const id of [j1, j2]) {
    await expect
      .poll(
        async () => Date.parse((await bffCall<History>(alice, 'GET', `/bff/v1/jobs/${id}`)).history.at(-1)!.time) < Date.now() - 1_000,
        { timeout: 30_000 },
      )
      .toBe(true);
  }
  // Two jobs fail for real, as a pilot would report it.
  await reportJobStatus(await apiToken('admin'), {
    [j1]: { Status: 'Failed', MinorStatus: 'Application Finished With Errors' },
    [j2]: { Status: 'Failed', MinorStatus: 'Application Finished With Errors' },
  });

  // paul (PI of scientists) finds it among his group's productions.
  await signIn(page, 'pi', { returnTo: '/productions' });
  await expect(page.getByRole('heading', { level: 1, name: 'Productions' })).toBeVisible();
  await page.getByLabel('Owner').selectOption('alice');
  await expect(page).toHaveURL(/owner=alice/);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
  await expect(row.getByRole('img', { name: '1 of 3 done, 2 failed' })).toBeVisible();
  await expect(row.getByText('Finished with failures')).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, '20-productions-list');

  await row.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('img', { name: '1 of 3 done, 2 failed' })).toBeVisible();
  const byMinor = page.getByRole('table', { name: 'By minor status' });
  await expect(byMinor.getByRole('link', { name: 'Show the 2 failed jobs: Application Finished With Errors' })).toHaveAttribute(
    'href',
    /status=Failed&minorStatus=Application\+Finished\+With\+Errors/,
  );
  await expect(page.getByRole('region', { name: 'Progress over time' }).locator('svg').first()).toBeVisible();
  await expect(page.getByText(/3 submitted, 3 started, 1 done, 2 failed/)).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, '21-production-failures');

  // Bulk reschedule, after a confirmation that focuses Cancel.
  await page.getByRole('button', { name: 'Reschedule all failed (2)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reschedule the failed jobs?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shot(page, '22-production-confirm');
  await dialog.getByRole('button', { name: 'Reschedule 2 jobs' }).click();
  await expect(page.getByText('2 jobs rescheduled.')).toBeVisible();
  // The page follows the rescheduled jobs back to Done.
  await expect(page.getByRole('img', { name: '3 of 3 done' })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText('Completed', { exact: true })).toBeVisible();
  await shot(page, '23-production-rescheduled');
  expect(consoleErrors).toEqual([]);
});
