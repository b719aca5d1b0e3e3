import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeJob, makeJobPage } from '../../../shared/testing/fixtures.ts';
import { mockBff, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { LAUNCH_ID, makeLaunch } from '../testing/launch-fixtures.ts';
import { LaunchProgressPage } from './LaunchProgressPage.tsx';

const renderPage = (id = LAUNCH_ID) =>
  renderWithProviders(<LaunchProgressPage />, {
    route: `/launches/${id}`,
    path: '/launches/:launchId',
    extraRoutes: [{ path: '/workflows/:workflowId/launch', element: <p>launch page</p> }],
  });

const jobs = makeJobPage(
  Array.from({ length: 3 }, (_, i) => makeJob({ jobId: 501 + i, jobName: `corsika-${i}`, status: 'Waiting', jobGroup: 'gamma-sweep-1a2b3c4d' })),
  { total: 12 },
);

describe('LaunchProgressPage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls every 2 s while the launch is submitting, then shows "12 of 12" and stops', async () => {
    const states = [
      makeLaunch({ status: 'pending', submittedJobs: 0, jobIds: [] }),
      makeLaunch({ status: 'submitting', submittedJobs: 5, jobIds: [501, 502, 503, 504, 505] }),
      makeLaunch({ status: 'submitted' }),
    ];
    let calls = 0;
    const bff = mockBff({
      'GET /bff/v1/launches/:id': () => Response.json(states[Math.min(calls++, states.length - 1)]),
      'GET /bff/v1/jobs': jobs,
    });
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Gamma sweep' })).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', { name: '0 of 12 jobs submitted' });
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    expect(bar).toHaveAttribute('aria-valuemax', '12');
    expect(screen.getByText('Pending')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'View the jobs' })).not.toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(await screen.findByText('5 of 12 jobs submitted')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '5');
    expect(screen.getByText('Submitting')).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(await screen.findByText('12 of 12 jobs submitted')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '12');
    expect(screen.getByText('Submitted')).toBeInTheDocument();
    expect(screen.getByText('All 12 jobs were submitted to DiracX.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'View the jobs' })).toHaveAttribute('href', '/jobs?jobGroup=gamma-sweep-1a2b3c4d');

    // The first jobs of the JobGroup, each linking to its page.
    const table = await screen.findByRole('table', { name: 'First jobs' });
    expect(within(table).getByRole('link', { name: 'Job 501' })).toHaveAttribute('href', '/jobs/501');
    expect(bff.requests('GET /bff/v1/jobs')[0]?.query.get('jobGroup')).toBe('gamma-sweep-1a2b3c4d');
    expect(screen.getByText('The first 3 of 12 jobs.')).toBeInTheDocument();

    // Done: no more polling.
    const polls = bff.requests('GET /bff/v1/launches/:id').length;
    expect(polls).toBe(3);
    await act(() => vi.advanceTimersByTimeAsync(6_000));
    expect(bff.requests('GET /bff/v1/launches/:id')).toHaveLength(polls);
  });

  it('lists the errors of a partly submitted launch by job', async () => {
    mockBff({
      'GET /bff/v1/launches/:id': makeLaunch({
        status: 'partial',
        submittedJobs: 10,
        failedJobs: 2,
        errors: [
          { jobIndex: 3, message: 'DiracX refused the JDL: bad CPUTime' },
          { jobIndex: 7, message: 'sandbox upload failed' },
        ],
      }),
      'GET /bff/v1/jobs': jobs,
    });
    renderPage();
    expect(await screen.findByText('10 of 12 jobs submitted')).toBeInTheDocument();
    expect(screen.getByText('2 failed')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuetext', '10 of 12 jobs submitted, 2 failed');
    expect(screen.getByText('Partly submitted')).toBeInTheDocument();
    const errors = screen.getByRole('region', { name: 'Errors (2)' });
    expect(within(errors).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'corsika-3 (job index 3): DiracX refused the JDL: bad CPUTime',
      'corsika-7 (job index 7): sandbox upload failed',
    ]);
  });

  it('relaunches with the launch’s request in router state', async () => {
    mockBff({ 'GET /bff/v1/launches/:id': makeLaunch(), 'GET /bff/v1/jobs': jobs });
    const { user, router } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Relaunch with these inputs' }));
    expect(await screen.findByText('launch page')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/workflows/corsika/launch');
    expect(router.state.location.state).toEqual({
      relaunch: {
        workflowId: 'corsika',
        name: 'Gamma sweep relaunch',
        values: { PRMPAR: 1, ERANGE_MIN: 500, ERANGE_MAX: 100000 },
        sweeps: { NSHOW: { kind: 'list', values: [100, 200] } },
        inputItemIds: [],
        inputMode: 'none',
        resources: { cores: 2, ramMB: 4096, cpuTimeMinutes: 2880 },
      },
    });
  });

  it('says so when the launch does not exist, and shows other errors with a retry', async () => {
    mockBff({ 'GET /bff/v1/launches/:id': problem(404, 'NOT_FOUND', 'No such launch') });
    renderPage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Launch not found' })).toBeInTheDocument();
  });

  it('shows a failed first load with a retry', async () => {
    let calls = 0;
    mockBff({
      'GET /bff/v1/launches/:id': () => (++calls === 1 ? problem(503, 'UPSTREAM_UNREACHABLE', 'DiracX is restarting') : Response.json(makeLaunch())),
      'GET /bff/v1/jobs': jobs,
    });
    const { user } = renderPage();
    expect(await screen.findByText('DiracX is restarting')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('12 of 12 jobs submitted')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('link', { name: 'View the jobs' })).toBeInTheDocument());
  });

  it('speaks of a one-job launch in the singular', async () => {
    mockBff({
      'GET /bff/v1/launches/:id': makeLaunch({ status: 'submitted', totalJobs: 1, submittedJobs: 1, jobIds: [501] }),
      'GET /bff/v1/jobs': makeJobPage([makeJob({ jobId: 501, jobName: 'corsika-0', status: 'Waiting' })], { total: 1 }),
    });
    renderPage();
    expect(await screen.findByText('1 of 1 job submitted')).toBeInTheDocument();
    expect(screen.getByText('The job was submitted to DiracX.')).toBeInTheDocument();
  });
});
