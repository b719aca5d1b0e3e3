import fs from 'node:fs';
import zlib from 'node:zlib';
import { expect, test } from '@playwright/test';
import { allDone, apiToken, axe, bffCall, shot, signIn } from './support.ts';

type Files = { items: { id: string; lfn: string }[] };
type Outputs = { files: { name: string; did: string }[] };

test('a scientist reads, previews, downloads and reuses the outputs of a CTA DL0→DL3 production, then downloads the IRF made from them', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  // Five catalogue DL0 files that have real bytes on LOCAL-DISK (scripts/rucio/rucio.mjs), one job each.
  const { localDl0Files } = (await import(new URL('../scripts/rucio/rucio.mjs', import.meta.url).href)) as {
    localDl0Files(): Promise<string[]>;
  };
  const local = new Set(await localDl0Files());
  const alice = await apiToken('scientist');
  const projectId = [...local][0]!.split('/')[4]!;
  const files = await bffCall<Files>(
    alice,
    'GET',
    `/bff/v1/datasets/files?projectId=${projectId}&dataLevel=DL0&sort=observationDate&dir=asc&perPage=100`,
  );
  const chosen = files.items.filter((f) => local.has(f.lfn)).slice(0, 5);
  expect(chosen).toHaveLength(5);
  await bffCall(alice, 'POST', '/bff/v1/basket/items', { fileIds: chosen.map((f) => f.id) });
  const basket = await bffCall<{ items: { id: string; ref: string }[] }>(alice, 'GET', '/bff/v1/basket');
  const lfns = new Set(chosen.map((f) => f.lfn));
  const name = `DL3 outputs ${Date.now().toString(36)}`;
  const launch = await bffCall<{ id: string }>(alice, 'POST', '/bff/v1/launches', {
    idempotencyKey: `e2e-${crypto.randomUUID()}`,
    name,
    workflowId: 'cta-dl0-dl3',
    values: {},
    inputItemIds: basket.items.filter((i) => lfns.has(i.ref)).map((i) => i.id),
    inputMode: 'per-file',
  });
  await allDone(alice, launch.id, 5);

  await signIn(page, 'scientist', { returnTo: `/productions/${launch.id}` });
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const panel = page.getByRole('region', { name: 'Outputs', exact: true });
  const table = panel.getByRole('table', { name: 'Outputs' });
  await expect(table.getByRole('row')).toHaveCount(6);
  await expect(panel.getByText(/^5 files, .* in user\.alice:\/escape\/user\/a\/alice\//)).toBeVisible();
  await expect(table.getByRole('cell', { name: 'LOCAL-DISK' }).first()).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, '40-production-outputs');

  // Preview a DL3 event list: what the job computed from its real input.
  const firstName = (await table.getByRole('row').nth(1).getByRole('cell').first().textContent())!;
  await panel.getByRole('button', { name: `Preview ${firstName}` }).click();
  const dialog = page.getByRole('dialog', { name: firstName });
  await expect(dialog.getByLabel(`Contents of ${firstName}`)).toContainText('# DL3 event list from run_');
  expect(await axe(page)).toEqual([]);
  await shot(page, '41-output-preview');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // Download it: the bytes the preview showed.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: `Download ${firstName}` }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(firstName);
  expect(fs.readFileSync((await download.path())!, 'utf8')).toMatch(/^# DL3 event list from run_/);

  // Chaining: the outputs go to the basket.
  await panel.getByRole('button', { name: 'Add outputs to basket' }).click();
  await expect(panel.getByText(/5 added to your basket/)).toBeVisible();

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(panel.getByRole('button', { name: 'Download all (.tar)' })).toBeVisible();
  // The page fits the phone: the progress chart follows its container when the page narrows (no sideways scrolling).
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390 + 1);
  expect(await axe(page)).toEqual([]);
  await shot(page, '42-production-outputs-390');
  await page.setViewportSize({ width: 1280, height: 900 });

  // The next step: IRF generation on the five DL3 outputs now in the basket (Rucio DIDs → InputData).
  const dids = new Set((await bffCall<Outputs>(alice, 'GET', `/bff/v1/productions/${launch.id}/outputs`)).files.map((f) => f.did));
  const inBasket = (await bffCall<{ items: { id: string; ref: string }[] }>(alice, 'GET', '/bff/v1/basket')).items.filter((i) =>
    dids.has(i.ref),
  );
  expect(inBasket).toHaveLength(5);
  const irfName = `IRF ${Date.now().toString(36)}`;
  const irf = await bffCall<{ id: string }>(alice, 'POST', '/bff/v1/launches', {
    idempotencyKey: `e2e-${crypto.randomUUID()}`,
    name: irfName,
    workflowId: 'irf-generation',
    values: {},
    inputItemIds: inBasket.map((i) => i.id),
    inputMode: 'all-in-one',
  });
  await allDone(alice, irf.id, 1);
  await page.goto(`/productions/${irf.id}`);
  await expect(page.getByRole('heading', { level: 1, name: irfName })).toBeVisible();
  const irfPanel = page.getByRole('region', { name: 'Outputs', exact: true });
  const irfFile = 'irf_2025A_prod6-alpha-north.fits.gz';
  const [irfDownload] = await Promise.all([
    page.waitForEvent('download'),
    irfPanel.getByRole('button', { name: `Download ${irfFile}` }).click(),
  ]);
  expect(irfDownload.suggestedFilename()).toBe(irfFile);
  // A gzipped FITS file: its primary header starts with SIMPLE = T.
  const fits = zlib.gunzipSync(fs.readFileSync((await irfDownload.path())!));
  expect(fits.subarray(0, 30).toString('latin1')).toMatch(/^SIMPLE {2}=\s+T/);
  expect(await axe(page)).toEqual([]);
  await shot(page, '43-irf-output');
  expect(consoleErrors).toEqual([]);
});
