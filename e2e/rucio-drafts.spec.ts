import { expect, test } from '@playwright/test';
import { axe, shot, signIn } from './support.ts';

test('Rucio as a dataset source: search the real Rucio, look at files and replicas, add a dataset to the basket', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await signIn(page, 'scientist', { returnTo: '/basket' });
  const picker = page.getByRole('group', { name: 'Dataset source' });
  await picker.getByRole('button', { name: 'Rucio (local demo)' }).click();
  await expect(page).toHaveURL(/source=rucio/);
  await expect(page.getByRole('heading', { name: 'Find data in Rucio (local demo)' })).toBeVisible();
  const results = page.getByRole('region', { name: /matching DIDs/i });
  await expect(results.getByText('cta:prod5b.lst1.dl1', { exact: true })).toBeVisible();
  await shot(page, '20-rucio-search');

  await page.getByLabel('DID type').selectOption('dataset');
  await page.getByLabel('Project (metadata)').fill('prod5b');
  await page.getByRole('button', { name: 'Search' }).click();
  // The header and the three prod5b datasets: DL1, and since the storage topology of issue #16, DL0 and the raw
  // files with bytes on tape at PIC.
  await expect(results.getByRole('row')).toHaveCount(4);
  await page.getByRole('button', { name: 'Files and replicas of cta:prod5b.lst1.dl1.run2967' }).click();
  const files = page.getByRole('dialog', { name: 'Files of cta:prod5b.lst1.dl1.run2967' });
  await expect(files.getByText('20 files', { exact: false })).toBeVisible();
  await expect(files.getByText('CTA-DESY-DISK (available)').first()).toBeVisible();
  await shot(page, '21-rucio-files');
  await files.getByRole('button', { name: 'Close' }).click();
  await expect(files).toBeHidden();
  expect(await axe(page)).toEqual([]);

  await results.getByRole('checkbox', { name: 'Select cta:prod5b.lst1.dl1.run2967' }).check();
  await page.getByRole('button', { name: 'Add selected (1)' }).click();
  await expect(page.getByText(/^Added 1 DID to your basket$|1 DID was already in it/)).toBeVisible(); // (already there when the spec runs again on the same stack)
  const basket = page.getByRole('region', { name: /basket items/i });
  await expect(basket.getByText('prod5b.lst1.dl1.run2967', { exact: true })).toBeVisible();
  await shot(page, '22-rucio-in-basket');
  expect(consoleErrors).toEqual([]);
});

test('launch drafts: save the launch page, change it, open the draft again (kept by the portal)', async ({ page }) => {
  const name = `e2e draft ${Date.now().toString(36)}`;
  await signIn(page, 'scientist', { returnTo: '/workflows/corsika/launch' });
  await expect(page.getByRole('heading', { name: 'Parameters' })).toBeVisible();
  await page.getByLabel(/^Energy minimum \(GeV\)/).fill('123');
  await page.getByLabel('Production name').fill(name);
  await page.getByRole('button', { name: 'Save draft' }).click();
  const save = page.getByRole('dialog', { name: 'Save draft' });
  await expect(save.getByLabel('Draft name')).toHaveValue(name);
  await shot(page, '23-draft-save');
  await save.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(`Draft: “${name}”`)).toBeVisible();

  await page.getByLabel(/^Energy minimum \(GeV\)/).fill('999');
  await page.getByRole('button', { name: 'Open draft' }).click();
  const open = page.getByRole('dialog', { name: 'Open draft' });
  await expect(open.getByRole('button', { name: `Open “${name}”` })).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, '24-draft-open');
  await open.getByRole('button', { name: `Open “${name}”` }).click();
  await expect(page.getByText(`Opened the draft “${name}”`)).toBeVisible();
  await expect(page.getByLabel(/^Energy minimum \(GeV\)/)).toHaveValue('123');
  await expect(page.getByLabel('Production name')).toHaveValue(name);
  await shot(page, '25-draft-opened');
});
