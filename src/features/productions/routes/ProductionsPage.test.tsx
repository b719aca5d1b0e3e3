import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { makeProduction, makeProductionPage } from '../testing/production-fixtures.ts';
import { ProductionsPage } from './ProductionsPage.tsx';

const renderPage = (route = '/productions', role: 'scientist' | 'pi' = 'pi') =>
  renderWithProviders(<ProductionsPage />, { route, path: '/productions', me: { role } });

describe('ProductionsPage', () => {
  it('shows a busy placeholder while loading', () => {
    mockBff({ 'GET /bff/v1/productions': never });
    renderPage();
    expect(screen.getByRole('status')).toHaveAttribute('aria-busy', 'true');
  });

  it('says so when there are no productions yet, with the way to the workflows', async () => {
    mockBff({ 'GET /bff/v1/productions': makeProductionPage([]) });
    renderPage('/productions', 'scientist');
    expect(await screen.findByRole('heading', { name: 'No productions yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Choose a workflow' })).toHaveAttribute('href', '/workflows');
    expect(screen.getByText(/^Your productions/)).toBeInTheDocument();
  });

  it('lists productions with owner, state in words, a progress bar described in text, pace and a link to each', async () => {
    mockBff({
      'GET /bff/v1/productions': makeProductionPage([
        makeProduction(),
        makeProduction({
          id: '7f1c2a9e-1b2c-4d3e-8f00-123456789abc',
          name: 'DL0 reprocessing',
          owner: 'bob',
          state: 'completed',
          counts: { done: 4, running: 0, waiting: 0, failed: 0, killed: 0 },
          totalJobs: 4,
          estimatedCompletion: null,
        }),
      ]),
    });
    renderPage();
    const table = await screen.findByRole('table', { name: 'Productions (2)' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByRole('link', { name: 'Gamma sweep' })).toHaveAttribute(
      'href',
      '/productions/6f1c2a9e-1b2c-4d3e-8f00-123456789abc',
    );
    expect(within(rows[0]!).getByRole('img', { name: '8 of 12 done, 1 running, 1 waiting, 2 failed' })).toBeInTheDocument();
    expect(within(rows[0]!).getByText('In progress')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('5 jobs/h')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('bob')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Completed')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('finished')).toBeInTheDocument();
  });

  it('keeps the filters in the URL and sends them to the BFF; an empty result offers to clear them', async () => {
    const bff = mockBff({
      'GET /bff/v1/productions': (req) => Response.json(makeProductionPage(req.query.get('owner') === 'bob' ? [] : [makeProduction()])),
    });
    const { user, router } = renderPage();
    await screen.findByRole('table');
    await user.selectOptions(screen.getByLabelText('Owner'), 'bob');
    expect(await screen.findByRole('heading', { name: 'No productions match these filters' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?owner=bob');
    expect(bff.requests('GET /bff/v1/productions').at(-1)?.query.get('owner')).toBe('bob');
    await user.selectOptions(screen.getByLabelText('State'), 'failures');
    expect(router.state.location.search).toBe('?owner=bob&state=failures');
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    expect(await screen.findByRole('table')).toBeInTheDocument();
    expect(router.state.location.search).toBe('');
  });

  it('shows a failed first load with a retry', async () => {
    let calls = 0;
    mockBff({
      'GET /bff/v1/productions': () =>
        ++calls === 1
          ? problem(503, 'UPSTREAM_UNREACHABLE', 'DiracX is restarting')
          : Response.json(makeProductionPage([makeProduction()])),
    });
    const { user } = renderPage();
    expect(await screen.findByText('DiracX is restarting')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('link', { name: 'Gamma sweep' })).toBeInTheDocument();
  });
});
