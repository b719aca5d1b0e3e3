import { expect, test } from '@playwright/test';
import { apiToken, axe, bffCall, shot, signIn } from './support.ts';

// The PI's basket: the scientist's is the other specs'.
test('data locality: a basket with tape and disk files -> where the data is -> queues ranked by locality (issue #16)', async ({ page }) => {
  test.setTimeout(180_000);
  const token = await apiToken('pi');
  await bffCall(token, 'DELETE', '/bff/v1/basket');
  // Catalogue DL0 files (on tape at PIC, some also staged to disk there) and DL3 files (on disk), and the Rucio DL0
  // dataset (5 of its 8 files only on tape at PIC).
  for (const level of ['DL0', 'DL3']) {
    const found = await bffCall<{ items: { id: string }[] }>(
      token,
      'GET',
      `/bff/v1/datasets/files?projectId=CTA-LST1-2026-0042&dataLevel=${level}&perPage=6&sort=name&dir=asc`,
    );
    await bffCall(token, 'POST', '/bff/v1/basket/items', { fileIds: found.items.map((f) => f.id) });
  }
  await bffCall(token, 'POST', '/bff/v1/basket/rucio', { dids: 'cta:prod5b.lst1.dl0.run2967' });

  await signIn(page, 'pi', { returnTo: '/basket' });
  const where = page.getByRole('region', { name: 'Where the data is' });
  await expect(where.getByRole('status')).toContainText(
    /^20 files, .* in all: \d+ files? on disk, \d+ files? only on tape \(.*, staging needed\)/,
  );
  const sites = where.getByRole('table', { name: 'What each site needs' });
  await expect(sites.getByRole('row', { name: /HPC\.MareNostrum\.es/ })).toContainText('only on tape: staging needed');
  await expect(sites.getByRole('row', { name: /LCG\.CERN-HTC\.ch/ })).toContainText(/must be transferred \(20 files/);
  const files = where.getByRole('table', { name: 'Replicas of each file' });
  await expect(files.getByRole('row', { name: /LST-1\.1\.Run02967\.0001\.dl0\.fits\.fz/ })).toContainText(
    'CTA-PIC-TAPE (tape, HPC.MareNostrum.es)',
  );
  await expect(files.getByText('Only on tape: staging needed').first()).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, '60-basket-locality-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(where.getByRole('status')).toBeVisible();
  // The panel fits the phone's width: its tables scroll sideways inside it.
  expect((await where.boundingBox())!.width).toBeLessThanOrEqual(390);
  await shot(page, '61-basket-locality-390');
  await page.setViewportSize({ width: 1280, height: 860 });

  // The launch page: choose every item; the resource step ranks the queues by where the data is.
  await page.goto('/workflows/cta-dl0-dl3/launch');
  await page.getByLabel(/^Show all basket items/).check();
  await page.getByRole('checkbox', { name: /^Select all/ }).check();
  const launchWhere = page.getByRole('region', { name: 'Where the data is' });
  await expect(launchWhere.getByRole('status')).toContainText(/^20 files/);
  await expect(page.getByText(/queues? fits? these needs, best placed for the input data first/)).toBeVisible();
  const fitting = page.getByRole('list', { name: 'Queues that fit' }).getByRole('listitem');
  await expect(fitting.first()).toContainText('Data: ');
  // The best placed fitting queue needs the least transfer: none of it is at CERN, where nothing is stored.
  await expect(fitting.first()).not.toContainText('LCG.CERN-HTC.ch');
  expect(await axe(page)).toEqual([]);
  await shot(page, '62-launch-locality-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(fitting.first()).toBeVisible();
  await shot(page, '63-launch-locality-390');

  // Every item of the basket without choosing them (the BFF reads them at launch): the table's boxes are
  // checked and disabled, the data panel covers the whole basket (13 items holding 20 files).
  await page.setViewportSize({ width: 1280, height: 860 });
  const whole = page.getByRole('switch', { name: /^Use every item in the basket \(13\)/ });
  await whole.check();
  await expect(page.getByText('Chosen: every item in your basket (13)')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /^Select / }).first()).toBeDisabled();
  await expect(launchWhere.getByRole('status')).toContainText(/^20 files/);
  expect(await axe(page)).toEqual([]);
  await whole.scrollIntoViewIfNeeded();
  await shot(page, '68-launch-whole-basket-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await whole.scrollIntoViewIfNeeded();
  await shot(page, '69-launch-whole-basket-390');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // The item names stay readable at 390 px: the table scrolls sideways rather than squeeze them to a few letters a line.
  const nameCell = page.getByRole('table', { name: 'Basket items for this launch' }).getByRole('rowheader').first();
  expect((await nameCell.boundingBox())!.width).toBeGreaterThanOrEqual(200);

  await bffCall(token, 'DELETE', '/bff/v1/basket');
});
