import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { helloWorldWorkflow, makeHelloLaunch } from '../../features/launches/testing/launch-fixtures.ts';
import { makeJob, makeJobPage } from '../../shared/testing/fixtures.ts';
import { json, mockBff, problem } from '../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../shared/testing/render-with-providers.tsx';
import { HomePage } from './HomePage.tsx';

/** The home page composes the Hello world launch (launches + workflows) with the recent jobs (jobs). */
describe('HomePage', () => {
  it('launches Hello world as a launch of the hello-world workflow, then refreshes the recent jobs', async () => {
    let jobs = makeJobPage([]);
    const bff = mockBff({
      'GET /bff/v1/workflows/hello-world': helloWorldWorkflow,
      'GET /bff/v1/jobs': () => json(jobs),
      'POST /bff/v1/launches': () => {
        jobs = makeJobPage([makeJob({ jobId: 4242, status: 'Received' })]);
        return json(makeHelloLaunch(4242), 202);
      },
    });
    const { user } = renderWithProviders(<HomePage />);
    expect(await screen.findByText('No jobs yet — launch Hello world above')).toBeInTheDocument();
    await user.type(await screen.findByLabelText('Message'), 'ESCAPE');
    await user.click(screen.getByRole('button', { name: 'Launch Hello world' }));

    expect(await screen.findByRole('link', { name: '4242' })).toHaveAttribute('href', '/jobs/4242');
    await waitFor(() => expect(bff.requests('GET /bff/v1/jobs')).toHaveLength(2));
    expect(await screen.findByRole('table', { name: 'Recent jobs' })).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/launches')[0]?.body).toMatchObject({
      workflowId: 'hello-world',
      values: { GREETING: 'Hello', MESSAGE: 'ESCAPE' },
    });
  });

  it('says when Hello world cannot be loaded, with Retry', async () => {
    mockBff({
      'GET /bff/v1/workflows/hello-world': () => problem(404, 'NOT_FOUND', 'No such workflow'),
      'GET /bff/v1/jobs': makeJobPage([]),
    });
    renderWithProviders(<HomePage />);
    expect(await screen.findByText('Hello world is not available')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
