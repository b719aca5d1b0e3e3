import { expect, test } from '@playwright/test';
import { allDone, apiToken, axe, bffCall, shot, signIn } from './support.ts';

// Stage first (issue #16), with bytes: raw files of cta:prod5b.lst1.dl0.run2968 (scripts/rucio/rucio.mjs), one only
// on tape at PIC and one also on disk there, launched at HPC.MareNostrum.es, a local site whose storage is PIC's. The
// tape file gets a Rucio rule to CTA-PIC-DISK, which the stack's conveyor (Rucio's mock transfertool, plus a copy of
// the bytes) fulfils; the disk file's job goes at once. Both jobs then run and read their file from PIC's disk.
test('stage first: basket with tape and disk files -> locality-ranked resources -> stage-first launch -> jobs run when staged', async ({
  page,
}) => {
  test.setTimeout(360_000);
  const { picTapeFiles } = (await import(new URL('../scripts/rucio/rucio.mjs', import.meta.url).href)) as {
    picTapeFiles(): string[];
  };
  const [tapeOnly, , onDisk] = picTapeFiles().map((name) => `cta:${name}`) as [string, string, string];
  const token = await apiToken('pi');
  await bffCall(token, 'DELETE', '/bff/v1/basket');
  await bffCall(token, 'POST', '/bff/v1/basket/rucio', { dids: tapeOnly });
  await bffCall(token, 'POST', '/bff/v1/basket/rucio', { dids: onDisk });

  await signIn(page, 'pi', { returnTo: '/workflows/cta-dl0-dl3/launch' });
  await page.getByLabel(/^Show all basket items/).check();
  await page.getByRole('checkbox', { name: /^Select all/ }).check();
  await expect(page.getByRole('list', { name: 'Queues that fit' }).getByRole('listitem').first()).toContainText('Data: ');
  const stage = page.getByRole('checkbox', { name: /^Stage first/ });
  await expect(stage).toHaveCount(0); // offered only once a site is pinned and some inputs are not on disk there
  await page.getByLabel('Site', { exact: true }).selectOption('HPC.MareNostrum.es');
  await expect(stage).toBeVisible();
  await expect(page.getByText(/^Stage first: bring 1 file \(.*\) to disk at HPC\.MareNostrum\.es/)).toBeVisible();
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
  await expect(staging).toContainText(`${onDisk} → CTA-PIC-DISK: On disk there already`);
  await expect(staging.getByRole('heading')).toHaveText('Staging (2 of 2 files on disk)', { timeout: 120_000 });
  await expect(staging).toContainText(`${tapeOnly} → CTA-PIC-DISK: Staged: on disk (Rucio rule `);
  await expect(page.getByText(/2 of 2 jobs? submitted/)).toBeVisible({ timeout: 60_000 });
  // The jobs run at the local site and read the bytes the conveyor copied from tape to disk.
  await allDone(token, new URL(page.url()).pathname.split('/').pop()!, 2);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Outputs', exact: true }).getByText(/^2 files, /)).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, '66-staging-progress-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await staging.scrollIntoViewIfNeeded();
  expect((await staging.boundingBox())!.width).toBeLessThanOrEqual(390);
  await shot(page, '67-staging-progress-390');

  await bffCall(token, 'DELETE', '/bff/v1/basket');
});
