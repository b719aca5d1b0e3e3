import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FailureSamples as Samples } from '../../../contracts/productions.ts';
import { json, mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { FailureSamples } from './FailureSamples.tsx';

const ID = '11111111-2222-4333-8444-555555555555';
const samples: Samples = {
  looked: 200,
  truncated: true,
  items: [
    {
      minorStatus: 'Input Data Resolution',
      applicationStatus: '/cta/x.fits: no replica',
      jobId: 41,
      count: 3,
      stderrTail: '[site] input data: /cta/x.fits: no replica\n',
      note: null,
    },
    {
      minorStatus: 'Application not found',
      applicationStatus: null,
      jobId: 42,
      count: 1,
      stderrTail: null,
      note: 'This job has no output sandbox.',
    },
  ],
};
const render = () => renderWithProviders(<FailureSamples productionId={ID} version="v1" />);

describe('FailureSamples', () => {
  it('shows a skeleton while loading', () => {
    mockBff({ 'GET /bff/v1/productions/:id/failures/stderr': never });
    render();
    expect(screen.getByText('Loading the std.err of failed jobs…')).toBeInTheDocument();
  });

  it('shows the error with Retry when the samples cannot be read', async () => {
    mockBff({ 'GET /bff/v1/productions/:id/failures/stderr': problem(503, 'UPSTREAM_UNREACHABLE', 'DiracX is not reachable right now.') });
    render();
    expect(await screen.findByText('The std.err of failed jobs could not be loaded')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /retry/i })).toBeInTheDocument();
  });

  it('shows the end of std.err per minor status, linking to the job, and what could not be read', async () => {
    mockBff({ 'GET /bff/v1/productions/:id/failures/stderr': json(samples) });
    render();
    expect(await screen.findByLabelText('End of std.err of job 41')).toHaveTextContent('[site] input data: /cta/x.fits: no replica');
    expect(screen.getByText('Input Data Resolution')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'job 41' })).toHaveAttribute('href', '/jobs/41');
    expect(screen.getByText('This job has no output sandbox.')).toBeInTheDocument();
    expect(screen.queryByLabelText('End of std.err of job 42')).toBeNull();
    expect(screen.getByText('From the newest 200 failed jobs.')).toBeInTheDocument();
  });
});
