import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeLaunch } from '../../features/launches/testing/launch-fixtures.ts';
import { makeProductionDetail, PRODUCTION_ID } from '../../features/productions/testing/production-fixtures.ts';
import { mockBff, problem } from '../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../shared/testing/render-with-providers.tsx';
import { ProductionPage } from './ProductionPage.tsx';

// The charts are drawn by MUI X in the browser (e2e screenshots); here they are stand-ins.
vi.mock('../../features/productions/components/ProgressLineChart.tsx', () => ({
  default: ({ points }: { points: unknown[] }) => <p>line chart of {points.length} points</p>,
}));
vi.mock('../../features/productions/components/FailureBarChart.tsx', () => ({
  default: ({ label }: { label: string }) => <p>bar chart {label}</p>,
}));

const progress = {
  points: [
    { time: '2026-03-02T10:00:00.000Z', submitted: 12, started: 0, done: 0, failed: 0 },
    { time: '2026-03-02T11:00:00.000Z', submitted: 12, started: 10, done: 8, failed: 2 },
  ],
  jobs: 12,
  truncated: false,
};

const renderPage = () =>
  renderWithProviders(<ProductionPage />, {
    route: `/productions/${PRODUCTION_ID}`,
    path: '/productions/:productionId',
    extraRoutes: [{ path: '/workflows/:workflowId/launch', element: <p>launch page</p> }],
  });

describe('ProductionPage', () => {
  it('shows the counts, pace, failures by minor status and site linking to the failed jobs, progress and the inputs', async () => {
    mockBff({ 'GET /bff/v1/productions/:id': makeProductionDetail(makeLaunch()), 'GET /bff/v1/productions/:id/progress': progress });
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Gamma sweep' })).toBeInTheDocument();
    expect(screen.getByText('In progress')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: '8 of 12 done, 1 running, 1 waiting, 2 failed' })).toBeInTheDocument();
    expect(screen.getByText('5 jobs/h')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'View the jobs' })).toHaveAttribute('href', '/jobs?jobGroup=gamma-sweep-1a2b3c4d');

    const byMinor = screen.getByRole('table', { name: 'By minor status' });
    expect(within(byMinor).getByRole('link', { name: 'Show the 1 failed jobs: Application Finished With Errors' })).toHaveAttribute(
      'href',
      '/jobs?jobGroup=gamma-sweep-1a2b3c4d&status=Failed&minorStatus=Application+Finished+With+Errors',
    );
    const bySite = screen.getByRole('table', { name: 'By site' });
    expect(within(bySite).getByRole('link', { name: 'Show the 2 failed jobs: LCG.CERN.ch' })).toHaveAttribute(
      'href',
      '/jobs?jobGroup=gamma-sweep-1a2b3c4d&status=Failed&site=LCG.CERN.ch',
    );
    // Exit codes the descriptor declares in error-codes, with their meaning.
    const byExit = screen.getByRole('table', { name: 'By exit code' });
    const exit3 = within(byExit).getByRole('rowheader', { name: /Exit code 3/ });
    expect(exit3).toHaveTextContent('Exit code 3The input file is not a CTA event file');

    expect(await screen.findByText('line chart of 2 points')).toBeInTheDocument();
    expect(screen.getByText(/12 submitted, 10 started, 8 done, 2 failed/)).toBeInTheDocument();

    const inputs = screen.getByRole('region', { name: 'Inputs' });
    expect(within(inputs).getByText('NSHOW (swept)')).toBeInTheDocument();
    expect(within(inputs).getByText('100, 200 (2 values)')).toBeInTheDocument();
  });

  it('reschedules all failed jobs after a confirmation (Cancel focused first) and reports a partial success', async () => {
    const bff = mockBff({
      'GET /bff/v1/productions/:id': makeProductionDetail(makeLaunch()),
      'GET /bff/v1/productions/:id/progress': progress,
      'POST /bff/v1/productions/:id/actions/:action': {
        action: 'reschedule-failed',
        requested: 2,
        succeeded: [503],
        failed: [{ jobId: 507, detail: 'Maximum number of reschedules exceeded (3)' }],
      },
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Reschedule all failed (2)' }));
    const dialog = screen.getByRole('dialog', { name: 'Reschedule the failed jobs?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(bff.requests('POST /bff/v1/productions/:id/actions/:action')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Reschedule all failed (2)' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Reschedule 2 jobs' }));
    expect(await screen.findByText('1 of 2 jobs rescheduled; 1 could not be')).toBeInTheDocument();
    expect(screen.getByText('Job 507: Maximum number of reschedules exceeded (3)')).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/productions/:id/actions/:action')[0]?.params).toEqual({
      id: PRODUCTION_ID,
      action: 'reschedule-failed',
    });
    // The counts are fetched again.
    await waitFor(() => expect(bff.requests('GET /bff/v1/productions/:id').length).toBeGreaterThan(1));
  });

  it('while the launch is still submitting, shows n of N submitted and no bulk actions yet', async () => {
    mockBff({
      'GET /bff/v1/productions/:id': makeProductionDetail(
        makeLaunch({ status: 'submitting', submittedJobs: 5, jobIds: [501, 502, 503, 504, 505] }),
      ),
    });
    renderPage();
    expect(await screen.findByText('5 of 12 jobs submitted')).toBeInTheDocument();
    expect(screen.getByText('Submitting')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Reschedule all failed/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Relaunch with these inputs' })).not.toBeInTheDocument();
  });

  it('relaunches with the launch’s request in router state', async () => {
    mockBff({
      'GET /bff/v1/productions/:id': makeProductionDetail(makeLaunch(), { state: 'completed' }),
      'GET /bff/v1/productions/:id/progress': progress,
    });
    const { user, router } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Relaunch with these inputs' }));
    expect(await screen.findByText('launch page')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/workflows/corsika/launch');
    expect(router.state.location.state).toMatchObject({
      relaunch: { workflowId: 'corsika', name: 'Gamma sweep relaunch', sweeps: { NSHOW: { kind: 'list', values: [100, 200] } } },
    });
  });

  it('says so when the production does not exist or is not visible, and shows other errors with a retry', async () => {
    mockBff({ 'GET /bff/v1/productions/:id': problem(404, 'NOT_FOUND', 'No such production, or it is not visible to you') });
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Production not found' })).toBeInTheDocument();
  });

  it('shows a failed first load with a retry', async () => {
    let calls = 0;
    mockBff({
      'GET /bff/v1/productions/:id': () =>
        ++calls === 1 ? problem(503, 'UPSTREAM_UNREACHABLE', 'DiracX is restarting') : Response.json(makeProductionDetail(makeLaunch())),
      'GET /bff/v1/productions/:id/progress': progress,
    });
    const { user } = renderPage();
    expect(await screen.findByText('DiracX is restarting')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Gamma sweep' })).toBeInTheDocument();
  });
});
