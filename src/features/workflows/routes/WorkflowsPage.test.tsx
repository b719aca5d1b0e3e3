import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { workflowListFixture } from '../testing/workflow-fixtures.ts';
import { WorkflowsPage } from './WorkflowsPage.tsx';

const renderPage = () => renderWithProviders(<WorkflowsPage />, { route: '/workflows', path: '/workflows' });

describe('WorkflowsPage', () => {
  it('shows a busy placeholder while loading', () => {
    mockBff({ 'GET /bff/v1/workflows': never });
    renderPage();
    expect(screen.getByRole('status')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText('Loading the workflow catalogue…')).toBeInTheDocument();
  });

  it('shows the error with a retry that reloads', async () => {
    let calls = 0;
    mockBff({
      'GET /bff/v1/workflows': () =>
        ++calls === 1
          ? problem(503, 'UPSTREAM_UNREACHABLE', 'The portal is restarting', { requestId: 'req-9' })
          : Response.json(workflowListFixture),
    });
    const { user } = renderPage();
    expect(await screen.findByText('The portal is restarting')).toBeInTheDocument();
    expect(screen.getByText('Reference: req-9')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('link', { name: 'Hello world' })).toBeInTheDocument();
  });

  it('says so when the catalogue is empty', async () => {
    mockBff({ 'GET /bff/v1/workflows': { items: [] } });
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No workflows are available' })).toBeInTheDocument();
  });

  it('lists each workflow as a card with its resources, container and tags, linking to its form', async () => {
    mockBff({ 'GET /bff/v1/workflows': workflowListFixture });
    renderPage();
    const corsika = await screen.findByRole('article', { name: 'CORSIKA air-shower simulation' });
    expect(within(corsika).getByRole('link', { name: 'CORSIKA air-shower simulation' })).toHaveAttribute('href', '/workflows/corsika');
    expect(within(corsika).getByText('1 core · 2 GB RAM · 24 h')).toBeInTheDocument();
    expect(within(corsika).getByText('harbor.cta-observatory.org/corsika:7.7550 (docker)')).toBeInTheDocument();
    expect(
      within(within(corsika).getByRole('list', { name: 'Tags' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['astroparticle', 'air showers', 'simulation']);
    const cta = screen.getByRole('article', { name: 'CTA DL0 → DL3 reprocessing' });
    expect(within(cta).getByText('4 cores · 8 GB RAM · 12 h')).toBeInTheDocument();
    expect(within(cta).getByText('Reads basket files: one job per file')).toBeInTheDocument();
    const irf = screen.getByRole('article', { name: 'IRF generation' });
    expect(within(irf).getByText('Reads basket files: one job for all of them')).toBeInTheDocument();
    expect(within(screen.getByRole('article', { name: 'Hello world' })).getByText('1 core · 0.5 GB RAM · 5 min')).toBeInTheDocument();
    expect(screen.getAllByRole('article')).toHaveLength(4);
  });
});
