import { expect, test } from '@playwright/test';
import { apiToken, bffCall, shot, signIn } from './support.ts';

test('launch path: catalogue search -> basket -> resource filter -> CORSIKA form (error fixed) -> submit -> jobs Done', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // An empty basket to start from: other specs leave files in alice's basket.
  await bffCall(await apiToken('scientist'), 'DELETE', '/bff/v1/basket');
  await signIn(page, 'scientist', { returnTo: '/basket' });

  // 1. Find DL0 files of a project and put three in the basket.
  await expect(page.getByRole('heading', { level: 1, name: /basket/i })).toBeVisible();
  const project = page.getByLabel('Project');
  await expect(project.locator('option').nth(1)).toBeAttached();
  await project.selectOption({ index: 1 });
  await page.getByLabel('Data level').selectOption('DL0');
  const results = page.getByRole('region', { name: /matching files/i });
  await expect(results.getByRole('checkbox').nth(3)).toBeVisible();
  for (let i = 1; i <= 3; i++) await results.getByRole('checkbox').nth(i).check();
  await page.getByRole('button', { name: /^Add selected \(3\)/ }).click();
  const basket = page.getByRole('region', { name: /basket items/i });
  await expect(basket.getByRole('button', { name: /^Remove / })).toHaveCount(3);
  await shot(page, '10-basket');

  // 2. Resources: only GPU queues.
  await page.goto('/resources');
  await expect(page.getByText(/8 queues at 3 sites/)).toBeVisible();
  await page.getByLabel('GPU only').click();
  await expect(page.getByText(/2 of 8 queues|2 queues/)).toBeVisible();
  await shot(page, '11-resources-gpu');

  // 3. CORSIKA: a validation error, fixed.
  await page.goto('/workflows/corsika/launch');
  await expect(page.getByRole('heading', { name: 'Parameters' })).toBeVisible();
  await page.getByLabel(/^Energy minimum \(GeV\)/).fill('50000');
  await page.getByLabel(/^Energy maximum \(GeV\)/).fill('100');
  await page.getByRole('button', { name: 'Update summary' }).click();
  await expect(page.getByText(/must not (be greater|exceed)|greater than|at most|minimum .* maximum/i).first()).toBeVisible();
  await shot(page, '12-corsika-error');
  await page.getByLabel(/^Energy minimum \(GeV\)/).fill('10');
  await page.getByLabel(/^Energy maximum \(GeV\)/).fill('10000');
  await page.getByLabel('Production name').fill('e2e CORSIKA gammas');
  await page.getByRole('button', { name: 'Update summary' }).click();
  await expect(page.getByText(/This launch will create 1 job/)).toBeVisible();
  await shot(page, '13-corsika-summary');
  await page.getByRole('button', { name: 'Submit' }).click();

  // 4. Progress, then the jobs reach Done in DiracX.
  await expect(page).toHaveURL(/\/productions\/[0-9a-f-]{36}$/);
  await expect(page.getByText(/1 of 1 jobs? submitted/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('progressbar').first()).toBeVisible();
  await shot(page, '14-launch-progress');
  await page.getByRole('link', { name: 'View the jobs' }).click();
  await expect(page).toHaveURL(/jobGroup=/);
  await expect(page.getByRole('gridcell', { name: /Done/ }).first()).toBeVisible({ timeout: 90_000 });
  await shot(page, '15-launch-jobs-done');
});
