import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeJobDetail } from '../../../shared/testing/fixtures.ts';
import { json, mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { JobDetailPage } from './JobDetailPage.tsx';

const renderAt = (url: string) => renderWithProviders(<JobDetailPage />, { route: url, path: '/jobs/:jobId' });

describe('JobDetailPage', () => {
  it('shows a busy placeholder while loading', () => {
    mockBff({ 'GET /bff/v1/jobs/:id': never });
    renderAt('/jobs/7');
    expect(screen.getByRole('heading', { level: 1, name: 'Job 7' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText('Loading job 7…')).toBeInTheDocument();
  });

  it('shows the error with a Retry button, and recovers', async () => {
    let calls = 0;
    mockBff({
      'GET /bff/v1/jobs/:id': () =>
        ++calls === 1
          ? problem(502, 'UPSTREAM', 'DiracX answered 500', { requestId: 'req-9' })
          : json(makeJobDetail({ jobId: 7, status: 'Done' })),
    });
    const { user } = renderAt('/jobs/7');
    expect(await screen.findByText('DiracX answered 500')).toBeInTheDocument();
    expect(screen.getByText('Reference: req-9')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Job 7 — hello-world' })).toBeInTheDocument();
  });

  it('says "not found or not visible" on a 404', async () => {
    mockBff({ 'GET /bff/v1/jobs/:id': () => problem(404, 'NOT_FOUND', 'Job 8 not found') });
    renderAt('/jobs/8');
    expect(await screen.findByText('Job not found or not visible to you')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All jobs' })).toHaveAttribute('href', '/jobs');
  });

  it('treats a malformed id as not found without calling the BFF', () => {
    const bff = mockBff();
    renderAt('/jobs/abc');
    expect(screen.getByText('Job not found or not visible to you')).toBeInTheDocument();
    expect(bff.calls).toHaveLength(0);
  });

  it('says what a failed job’s exit code means, from its descriptor’s error-codes', async () => {
    const detail = makeJobDetail({
      jobId: 43,
      status: 'Failed',
      minorStatus: 'Application Finished With Errors',
      applicationStatus: 'Exit code 2',
    });
    mockBff({ 'GET /bff/v1/jobs/:id': { ...detail, exitCodeReason: 'File does not exist!' } });
    renderAt('/jobs/43');
    const term = await screen.findByText('Application status', { selector: 'dt' });
    expect(term.nextElementSibling).toHaveTextContent('Exit code 2 — File does not exist!');
  });

  it('shows the header, attributes, status history and JDL', async () => {
    const detail = makeJobDetail({ jobId: 42, status: 'Done', minorStatus: 'Execution Complete', jobGroup: 'prod-7' });
    mockBff({ 'GET /bff/v1/jobs/:id': (req) => json({ ...detail, job: { ...detail.job, jobId: Number(req.params.id) } }) });
    renderAt('/jobs/42');

    const h1 = await screen.findByRole('heading', { level: 1, name: 'Job 42 — hello-world' });
    expect(h1).toBeInTheDocument();
    expect(screen.getByText(/this job has finished/i)).toBeInTheDocument();

    const history = screen.getByRole('list', { name: 'Status history' });
    const items = within(history).getAllByRole('listitem');
    expect(items.map((li) => within(li).getAllByText(/Received|Waiting|Matched|Done/)[0]?.textContent)).toEqual([
      'Received',
      'Waiting',
      'Matched',
      'Done',
    ]);
    expect(within(history).getByText('Pilot Agent Submission')).toBeInTheDocument();
    expect(within(history).getByText(/source: Matcher/)).toBeInTheDocument();

    const details = screen.getByRole('region', { name: 'Details' });
    expect(within(details).getByText('JobGroup').nextElementSibling).toHaveTextContent('prod-7');
    expect(within(details).getByText('Owner').nextElementSibling).toHaveTextContent('alice');
    expect(within(details).getByText('Site').nextElementSibling).toHaveTextContent('LCG.CERN-HTC.ch');
    expect(screen.getByText(/Arguments = "Hello, world!";/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy' })).toBeInTheDocument();
  });

  it('keeps polling while the job is active and stops once it is final', async () => {
    let calls = 0;
    const bff = mockBff({
      'GET /bff/v1/jobs/:id': () => {
        calls += 1;
        return json(makeJobDetail({ jobId: 5, status: calls === 1 ? 'Running' : 'Done' }));
      },
    });
    renderAt('/jobs/5');
    expect(await screen.findByText(/refreshes every 2 s/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText(/this job has finished/i)).toBeInTheDocument(), { timeout: 4000 });
    const settled = bff.calls.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(bff.calls.length).toBe(settled);
  }, 10_000);

  it('lists the sandboxes again when the status changes: the output sandbox arrives as the job completes', async () => {
    let detailCalls = 0;
    mockBff({
      'GET /bff/v1/jobs/:id': () => json(makeJobDetail({ jobId: 6, status: ++detailCalls === 1 ? 'Running' : 'Done' })),
      'GET /bff/v1/jobs/:id/sandboxes': () =>
        json({
          sandboxes:
            detailCalls > 1 ? [{ kind: 'output', pfn: '/S3/sandboxes/escape/scientists/alice/sha256:ab.tar.zst', source: 'diracx' }] : [],
        }),
    });
    renderAt('/jobs/6');
    expect(await screen.findByText(/no sandboxes yet/)).toBeInTheDocument();
    expect(await screen.findByText('sha256:ab.tar.zst', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download the output sandbox' })).toBeInTheDocument();
  }, 10_000);
});
