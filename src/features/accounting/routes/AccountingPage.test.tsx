import { screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountingReport } from '../../../contracts/accounting.ts';
import { mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { toQuery, parseAccountingSearch } from '../schemas/accounting-search.ts';
import { AccountingPage } from './AccountingPage.tsx';

const report = (over: Partial<AccountingReport> = {}): AccountingReport => ({
  from: '2026-05-04T00:00:00.000Z',
  to: '2026-05-06T00:00:00.000Z',
  groupBy: 'site',
  bucket: 'day',
  buckets: ['2026-05-04T00:00:00.000Z', '2026-05-05T00:00:00.000Z'],
  series: [
    { key: 'LCG.CERN.ch', jobs: [3, 1], cpuHours: [6, 2], wallHours: [3, 1] },
    { key: 'LCG.PIC.es', jobs: [0, 2], cpuHours: [0, 1.5], wallHours: [0, 0.75] },
  ],
  totals: [
    { key: 'LCG.CERN.ch', jobs: 4, cpuHours: 8, wallHours: 4 },
    { key: 'LCG.PIC.es', jobs: 2, cpuHours: 1.5, wallHours: 0.75 },
  ],
  total: { jobs: 6, cpuHours: 9.5, wallHours: 4.75 },
  collectedUntil: '2026-05-06T10:00:00.000Z',
  ...over,
});
const empty = report({ series: [], totals: [], total: { jobs: 0, cpuHours: 0, wallHours: 0 } });

const renderPage = (route = '/accounting') => renderWithProviders(<AccountingPage />, { route, path: '/accounting' });

describe('AccountingPage', () => {
  // The chart (MUI X) is lazy-loaded by the page; load it once here so no test pays the first transform.
  beforeAll(() => import('../components/UsageChart.tsx'), 60_000);
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-05-20T12:34:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a busy skeleton while loading', () => {
    mockBff({ 'GET /bff/v1/accounting/usage': never });
    renderPage();
    expect(screen.getByText('Loading accounting…')).toBeInTheDocument();
  });

  it('shows the refusal or failure with Retry', async () => {
    mockBff({
      'GET /bff/v1/accounting/usage': () => problem(403, 'FORBIDDEN', 'Accounting is for administrators (a group with JobAdministrator)'),
    });
    renderPage();
    expect(await screen.findByText('Accounting is for administrators (a group with JobAdministrator)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('says when nothing finished in the range, and offers a longer one', async () => {
    const bff = mockBff({ 'GET /bff/v1/accounting/usage': empty });
    const { user, router } = renderPage();
    expect(await screen.findByText('No finished jobs in this range')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show the last 12 months' }));
    expect(router.state.location.search).toContain('range=12m');
    expect(bff.requests('GET /bff/v1/accounting/usage').at(-1)?.query.get('from')).toBe('2025-05-21T00:00:00.000Z');
  });

  it('draws the totals table and the chart data table, and asks the BFF for the chosen grouping', async () => {
    const bff = mockBff({ 'GET /bff/v1/accounting/usage': report() });
    const { user, router } = renderPage();
    const totals = await screen.findByRole('table', { name: 'Totals by site' });
    const rows = within(totals)
      .getAllByRole('row')
      .map((r) => r.textContent);
    expect(rows).toEqual(['SiteJobsCPU hoursWall-clock hours', 'LCG.CERN.ch484', 'LCG.PIC.es21.50.75', 'Total69.54.75']);
    const first = bff.requests('GET /bff/v1/accounting/usage')[0]!.query;
    expect(Object.fromEntries(first)).toEqual({
      groupBy: 'site',
      bucket: 'day',
      from: '2026-04-21T00:00:00.000Z',
      to: '2026-05-21T00:00:00.000Z',
    });

    await user.click(await screen.findByRole('button', { name: 'Show the chart data as a table' }, { timeout: 10_000 }));
    const data = screen.getByRole('table', { name: /^Chart data: Jobs per day by site/ });
    expect(
      within(data)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual(['DayLCG.CERN.chLCG.PIC.es', '4 May30', '5 May12']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Metric' }), 'cpuHours');
    expect(within(screen.getByRole('table', { name: /^Chart data: CPU hours per day/ })).getAllByRole('row')[2]!.textContent).toBe(
      '5 May21.5',
    );

    await user.selectOptions(screen.getByRole('combobox', { name: 'Group by' }), 'user');
    expect(router.state.location.search).toContain('groupBy=user');
    expect(bff.requests('GET /bff/v1/accounting/usage').at(-1)?.query.get('groupBy')).toBe('user');
  });

  it('widens the bucket when a long range would give too many bars', async () => {
    const bff = mockBff({ 'GET /bff/v1/accounting/usage': report() });
    const { user } = renderPage('/accounting?bucket=hour&range=24h');
    await screen.findByRole('table', { name: 'Totals by site' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Time range' }), '12m');
    expect(bff.requests('GET /bff/v1/accounting/usage').at(-1)?.query.get('bucket')).toBe('day');
  });

  it('exports the CSV of the same query with the token', async () => {
    const bff = mockBff({
      'GET /bff/v1/accounting/usage': report(),
      'GET /bff/v1/accounting/usage.csv': () =>
        new Response('bucket_start,site,jobs\r\n', {
          headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="accounting-site-day.csv"' },
        }),
    });
    const created: string[] = [];
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      created.push(this.download);
    });
    const { user } = renderPage('/accounting?groupBy=vo');
    await screen.findByRole('table', { name: 'Totals by site' });
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await vi.waitFor(() => expect(created).toEqual(['accounting-site-day.csv']));
    expect(bff.requests('GET /bff/v1/accounting/usage.csv')[0]!.query.get('groupBy')).toBe('vo');
    click.mockRestore();
  });
});

describe('accounting URL state', () => {
  it('falls back on bad values and builds whole-day custom ranges', () => {
    const s = parseAccountingSearch(new URLSearchParams('metric=bogus&range=custom&from=2026-01-01&to=2026-01-31&bucket=week'));
    expect(s).toMatchObject({ metric: 'jobs', groupBy: 'site', range: 'custom', bucket: 'week' });
    expect(toQuery(s)).toEqual({ groupBy: 'site', bucket: 'week', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    expect(toQuery(parseAccountingSearch(new URLSearchParams('range=24h')), Date.parse('2026-05-20T12:34:00Z'))).toMatchObject({
      from: '2026-05-19T13:00:00.000Z',
      to: '2026-05-20T13:00:00.000Z',
    });
  });
});
