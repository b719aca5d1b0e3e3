import { expect, test } from '@playwright/test';
import { apiToken, axe, bffCall, shot, signIn } from './support.ts';

// Stage first (issue #16): a tape-only DL0 file at PIC and a DL1 file on disk at DESY, launched at DESY: the
// DL0 file gets a Rucio rule to CTA-DESY-DISK (the stack's conveyor with the mock transfertool), the DL1 job goes at once.
test('stage first: basket with tape and disk files -> locality-ranked resources -> stage-first launch -> jobs submitted when staged', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const token = await apiToken('pi');
  await bffCall(token, 'DELETE', '/bff/v1/basket');
  await bffCall(token, 'POST', '/bff/v1/basket/rucio', { dids: 'cta:LST-1.1.Run02967.0004.dl0.fits.fz' });
  await bffCall(token, 'POST', '/bff/v1/basket/rucio', { dids: 'cta:LST-1.1.Run02967.0001.dl1.h5' });

  await signIn(page, 'pi', { returnTo: '/workflows/cta-dl0-dl3/launch' });
  await page.getByLabel(/^Show all basket items/).check();
  await page.getByRole('checkbox', { name: /^Select all/ }).check();
  await expect(page.getByRole('list', { name: 'Queues that fit' }).getByRole('listitem').first()).toContainText('Data: ');
  const stage = page.getByRole('checkbox', { name: /^Stage first/ });
  await expect(stage).toHaveCount(0); // offered only once a site is pinned and some inputs are not on disk there
  await page.getByLabel('Site', { exact: true }).selectOption('LCG.DESY-GPU.de');
  await expect(stage).toBeVisible();
  await expect(page.getByText(/^Stage first: bring 1 file \(.*\) to disk at LCG\.DESY-GPU\.de/)).toBeVisible();
  await stage.focus();
  await page.keyboard.press('Space');
  await expect(stage).toBeChecked();
  expect(await axe(page)).toEqual([]);
  await shot(page, '64-stage-first-choice-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await stage.scrollIntoViewIfNeeded();
  await shot(page, '65-stage-first-choice-390');
  await page.setViewportSize({ width: 1280, height: 860 });

  await page.getByLabel('Production name').fill('e2e stage first');
  await page.getByRole('button', { name: 'Update summary' }).click();
  await expect(page.getByText(/This launch will create 2 jobs/)).toBeVisible();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page).toHaveURL(/\/productions\/[0-9a-f-]{36}$/);
  const staging = page.getByRole('region', { name: /^Staging/ });
  await expect(staging).toContainText('cta:LST-1.1.Run02967.0001.dl1.h5 → CTA-DESY-DISK: On disk there already');
  await expect(staging.getByRole('heading')).toHaveText('Staging (2 of 2 files on disk)', { timeout: 120_000 });
  await expect(staging).toContainText(
    /cta:LST-1\.1\.Run02967\.0004\.dl0\.fits\.fz → CTA-DESY-DISK: Staged: on disk \(Rucio rule [0-9a-f]+\)/,
  );
  await expect(page.getByText(/2 of 2 jobs? submitted/)).toBeVisible({ timeout: 60_000 });
  expect(await axe(page)).toEqual([]);
  await shot(page, '66-staging-progress-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await staging.scrollIntoViewIfNeeded();
  expect((await staging.boundingBox())!.width).toBeLessThanOrEqual(390);
  await shot(page, '67-staging-progress-390');

  await bffCall(token, 'DELETE', '/bff/v1/basket');
});
