import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { apiToken, axe, shot, signIn, stack } from './support.ts';

const FINAL = ['Done', 'Completed', 'Failed', 'Killed', 'Deleted'];

async function diracxSearch(token: string, search: unknown[]): Promise<{ rows: Record<string, unknown>[]; total: number }> {
  const res = await fetch(`${stack().urls.diracx}/api/jobs/search?page=1&per_page=1000`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ parameters: ['JobID', 'Status', 'Owner'], search }),
  });
  const rows = (await res.json()) as Record<string, unknown>[];
  return { rows, total: Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? rows.length) };
}

test('as admin, the accounting chart and totals match the finished jobs DiracX reports', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  const admin = await apiToken('admin');
  await signIn(page, 'admin');
  await page.getByLabel('Message').fill('accounting e2e');
  await page.getByRole('button', { name: 'Launch Hello world' }).click();
  const jobId = Number(
    await page
      .getByRole('alert')
      .filter({ hasText: /submitted/ })
      .getByRole('link')
      .textContent(),
  );
  await expect
    .poll(async () => (await diracxSearch(admin, [{ parameter: 'JobID', operator: 'eq', value: jobId }])).rows[0]?.Status, {
      timeout: 90_000,
    })
    .toBe('Done');

  await page.goto('/accounting?groupBy=user&bucket=hour&range=24h');
  await expect(page.getByRole('heading', { level: 1, name: 'Accounting' })).toBeVisible();
  const adaRow = () =>
    page
      .getByRole('table', { name: 'Totals by user' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'ada', exact: true }) });
  // The collector runs every 5 s on the test stack: reload until it has caught up with DiracX.
  let expected = -1;
  await expect
    .poll(
      async () => {
        expected = (
          await diracxSearch(admin, [
            { parameter: 'Owner', operator: 'eq', value: 'ada' },
            { parameter: 'Status', operator: 'in', values: FINAL },
          ])
        ).total;
        await page.reload();
        await expect(
          page.getByRole('table', { name: 'Totals by user' }).or(page.getByText('No finished jobs in this range')),
        ).toBeVisible();
        const cells = await adaRow().getByRole('cell').allTextContents();
        return Number(cells[0]?.replace(/,/g, '') ?? -1) === expected && expected > 0;
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toBe(true);

  // The chart draws the same figures: its data table has ada's jobs per hour, summing to DiracX's count.
  await expect(
    page
      .getByRole('figure', { name: /Jobs per hour by user/ })
      .locator('svg')
      .first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Show the chart data as a table' }).click();
  const data = page.getByRole('table', { name: /^Chart data: Jobs per hour by user/ });
  const headers = await data.getByRole('columnheader').allTextContents();
  const col = headers.indexOf('ada');
  expect(col).toBeGreaterThan(0);
  let sum = 0;
  for (const row of await data.getByRole('row').all()) {
    const cells = await row.locator('th, td').allTextContents();
    if (cells[0] !== headers[0]) sum += Number(cells[col]?.replace(/,/g, '') ?? 0);
  }
  expect(sum).toBe(expected);
  await shot(page, '20-accounting-admin');

  await page.getByLabel('Metric').selectOption('wallHours');
  await page.getByLabel('Group by').selectOption('site');
  await expect(page.getByRole('table', { name: 'Totals by site' })).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await shot(page, '21-accounting-wall-by-site');

  // CSV export of the same report.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^accounting-site-hour-.*\.csv$/);
  const csv = fs.readFileSync((await file.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('bucket_start,site,jobs,cpu_hours,wall_hours');
  expect(problems).toEqual([]);
});

test('as a scientist, accounting is refused by the page and by the BFF', async ({ page, request }) => {
  await signIn(page, 'scientist', { returnTo: '/accounting' });
  await expect(page.getByRole('heading', { level: 1, name: 'Not available for your group' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Accounting' })).toHaveCount(0);
  await shot(page, '22-accounting-refused');
  const alice = await apiToken('scientist');
  const res = await request.get(`/bff/v1/accounting/usage?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`, {
    headers: { authorization: `Bearer ${alice}` },
  });
  expect(res.status()).toBe(403);
  expect(res.headers()['content-type']).toMatch(/^application\/problem\+json/);
  expect((await res.json()).code).toBe('FORBIDDEN');
});
