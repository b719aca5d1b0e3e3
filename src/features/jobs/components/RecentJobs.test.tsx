import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeJob, makeJobPage } from '../../../shared/testing/fixtures.ts';
import { mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { RecentJobs } from './RecentJobs.tsx';

describe('RecentJobs', () => {
  it('asks for the 10 newest jobs and shows a busy skeleton meanwhile', async () => {
    const bff = mockBff({ 'GET /bff/v1/jobs': never });
    renderWithProviders(<RecentJobs />);
    expect(screen.getByText('Loading recent jobs…')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveAttribute('aria-busy', 'true');
    await waitFor(() => expect(bff.calls[0]?.url.search).toBe('?page=1&perPage=10'));
  });

  it('shows the empty state', async () => {
    mockBff({ 'GET /bff/v1/jobs': makeJobPage([]) });
    renderWithProviders(<RecentJobs />);
    expect(await screen.findByText('No jobs yet — launch Hello world above')).toBeInTheDocument();
  });

  it('shows an error with Retry', async () => {
    mockBff({ 'GET /bff/v1/jobs': () => problem(500, 'INTERNAL', 'Database unavailable') });
    renderWithProviders(<RecentJobs />);
    expect(await screen.findByText('Database unavailable')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('lists jobs in a table named by its heading, with links and status text', async () => {
    mockBff({
      'GET /bff/v1/jobs': makeJobPage([
        makeJob({ jobId: 12, status: 'Waiting', minorStatus: 'Pilot Agent Submission' }),
        makeJob({ jobId: 11, status: 'Done' }),
      ]),
    });
    renderWithProviders(<RecentJobs />);
    const table = await screen.findByRole('table', { name: 'Recent jobs' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByRole('link', { name: 'Job 12' })).toHaveAttribute('href', '/jobs/12');
    expect(within(rows[1]!).getByText('Waiting')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Pilot Agent Submission')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Done')).toBeInTheDocument();
    expect(screen.getByText(/updating every 3 s/)).toBeInTheDocument();
  });

  it('does not poll when every job is final', async () => {
    mockBff({ 'GET /bff/v1/jobs': makeJobPage([makeJob({ jobId: 1, status: 'Done' })]) });
    renderWithProviders(<RecentJobs />);
    await screen.findByRole('table', { name: 'Recent jobs' });
    expect(screen.queryByText(/updating every/)).not.toBeInTheDocument();
  });
});
