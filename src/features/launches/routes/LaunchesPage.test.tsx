import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockBff, never } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { makeLaunch } from '../testing/launch-fixtures.ts';
import { LaunchesPage } from './LaunchesPage.tsx';

const renderPage = () => renderWithProviders(<LaunchesPage />, { route: '/launches', path: '/launches' });

describe('LaunchesPage', () => {
  it('shows a busy placeholder while loading', () => {
    mockBff({ 'GET /bff/v1/launches': never });
    renderPage();
    expect(screen.getByRole('status')).toHaveAttribute('aria-busy', 'true');
  });

  it('says so when there are no launches yet, with the way to the workflows', async () => {
    mockBff({ 'GET /bff/v1/launches': { items: [] } });
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No launches yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Choose a workflow' })).toHaveAttribute('href', '/workflows');
  });

  it('lists launches newest first with workflow, status in words, n/N submitted and a link to the progress page', async () => {
    mockBff({
      'GET /bff/v1/launches': {
        items: [
          makeLaunch({ id: '11111111-1111-4111-8111-111111111111', name: 'Older', createdAt: '2026-03-01T10:00:00.000Z', status: 'failed', submittedJobs: 0, failedJobs: 12 }),
          makeLaunch({ id: '22222222-2222-4222-8222-222222222222', name: 'Newer', workflowId: 'cta-dl0-dl3', createdAt: '2026-03-02T10:00:00.000Z', status: 'submitting', submittedJobs: 4 }),
        ],
      },
    });
    renderPage();
    const table = await screen.findByRole('table', { name: 'Your launches (2)' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0] as HTMLElement).getByRole('link', { name: 'Newer' })).toHaveAttribute('href', '/launches/22222222-2222-4222-8222-222222222222');
    expect(rows[0]).toHaveTextContent('cta-dl0-dl3');
    expect(rows[0]).toHaveTextContent('Submitting');
    expect(rows[0]).toHaveTextContent('4/12');
    expect(within(rows[1] as HTMLElement).getByRole('link', { name: 'Older' })).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('Failed');
    expect(rows[1]).toHaveTextContent('0/12');
    expect(rows[1]).toHaveTextContent('12 failed');
  });
});
