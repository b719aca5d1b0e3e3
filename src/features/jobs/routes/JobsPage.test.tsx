import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeJob, makeJobPage } from '../../../shared/testing/fixtures.ts';
import { json, mockBff } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { JobsPage } from './JobsPage.tsx';

describe('JobsPage', () => {
  it('pages through the jobs with ?page= in the URL', async () => {
    const bff = mockBff({
      'GET /bff/v1/jobs': (req) => {
        const page = Number(req.query.get('page'));
        const perPage = Number(req.query.get('perPage'));
        const items = Array.from({ length: page === 1 ? perPage : 5 }, (_, i) => makeJob({ jobId: 1000 - (page - 1) * perPage - i, status: 'Done' }));
        return json(makeJobPage(items, { total: perPage + 5, page, perPage }));
      },
    });
    const { user, router } = renderWithProviders(<JobsPage />, { route: '/jobs', path: '/jobs' });
    const table = await screen.findByRole('table', { name: /your jobs/i });
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    expect(screen.getByRole('heading', { level: 2, name: 'Your jobs (30)' })).toBeInTheDocument();

    expect(screen.getByText('1–25 of 30')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Go to page 2' }));
    await waitFor(() => expect(router.state.location.search).toBe('?page=2'));
    await waitFor(() => expect(within(screen.getByRole('table', { name: /your jobs/i })).getAllByRole('row')).toHaveLength(6));
    expect(screen.getByText('26–30 of 30')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'page 2' })).toHaveAttribute('aria-current', 'page');
    expect(bff.requests('GET /bff/v1/jobs').map((r) => r.url.search)).toEqual(['?page=1&perPage=25', '?page=2&perPage=25']);
  });

  it('shows the empty state with a way to launch a first job', async () => {
    mockBff({ 'GET /bff/v1/jobs': makeJobPage([]) });
    renderWithProviders(<JobsPage />, { route: '/jobs', path: '/jobs' });
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Launch Hello world' })).toHaveAttribute('href', '/');
  });

  it('shows only the jobs of one JobGroup with ?jobGroup= (a launch’s “View the jobs”), and can show all again', async () => {
    const bff = mockBff({
      'GET /bff/v1/jobs': (req) => {
        const group = req.query.get('jobGroup');
        const items = group ? [makeJob({ jobId: 501, jobGroup: group })] : [makeJob({ jobId: 501 }), makeJob({ jobId: 400 })];
        return json(makeJobPage(items, { perPage: 25 }));
      },
    });
    const { user, router } = renderWithProviders(<JobsPage />, { route: '/jobs?jobGroup=gamma-sweep-1a2b3c4d', path: '/jobs' });
    expect(await screen.findByRole('heading', { level: 2, name: 'Jobs of gamma-sweep-1a2b3c4d (1)' })).toBeInTheDocument();
    expect(bff.requests('GET /bff/v1/jobs')[0]?.url.search).toBe('?page=1&perPage=25&jobGroup=gamma-sweep-1a2b3c4d');
    await user.click(screen.getByRole('button', { name: 'Show all jobs' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
    expect(await screen.findByRole('heading', { level: 2, name: 'Your jobs (2)' })).toBeInTheDocument();
  });
});
