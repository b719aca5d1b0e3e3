import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ComputeElement, Queue, ResourceCatalogue, Site } from '../../../contracts/resources.ts';
import { mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { ResourcesPage } from './ResourcesPage.tsx';

function queue(site: string, ce: string, name: string, over: Partial<Queue> = {}): Queue {
  return {
    id: `${site}/${ce}/${name}`,
    site,
    grid: 'LCG',
    ce,
    queue: name,
    ceType: 'HTCondorCE',
    batchSystem: 'Condor',
    kind: 'HTC',
    cores: 1,
    wholeNode: false,
    gpus: 0,
    maxRamMB: 2048,
    maxCpuTimeMinutes: 240,
    si00: 2500,
    cpuTimeHS06Seconds: 144000,
    maxWallTimeMinutes: null,
    tags: [],
    requiredTags: [],
    maxTotalJobs: null,
    maxWaitingJobs: null,
    platform: null,
    os: null,
    architecture: null,
    localCEType: null,
    ...over,
  };
}
function ce(name: string, queues: Queue[], status: ComputeElement['status'] = { state: 'active', allowed: true }): ComputeElement {
  return { name, ceType: 'HTCondorCE', submissionMode: 'Direct', batchSystem: 'Condor', status, queues };
}
function site(name: string, ces: ComputeElement[], status: Site['status'] = { state: 'active', allowed: true }): Site {
  return { name, grid: 'LCG', localName: null, description: null, kind: 'HTC', coordinates: null, mail: null, status, ces };
}

const catalogue: ResourceCatalogue = {
  rss: { site: true, compute: true },
  sites: [
    {
      ...site('LCG.CERN-HTC.ch', [
        ce('ce-htc01.cern.ch', [
          queue('LCG.CERN-HTC.ch', 'ce-htc01.cern.ch', 'short'),
          queue('LCG.CERN-HTC.ch', 'ce-htc01.cern.ch', 'long', { maxCpuTimeMinutes: 2880 }),
        ]),
      ]),
      load: { waiting: 1200, running: 37 },
    },
    site('LCG.DESY-GPU.de', [
      ce(
        'ce-gpu.desy.de',
        [
          queue('LCG.DESY-GPU.de', 'ce-gpu.desy.de', 'gpu', {
            gpus: 2,
            cores: 8,
            kind: 'HPC',
            tags: ['GPU', 'MultiProcessor'],
            maxWallTimeMinutes: 1440,
            maxCpuTimeMinutes: 11520,
          }),
        ],
        { state: 'degraded', allowed: true, warnings: ['draining for maintenance'] },
      ),
    ]),
    site('CLOUD.Fed.eu', [ce('vm.fed.eu', [queue('CLOUD.Fed.eu', 'vm.fed.eu', 'vms', { kind: 'cloud', cores: 4 })], null)], null),
    site('LCG.Down.it', [ce('ce.down.it', [queue('LCG.Down.it', 'ce.down.it', 'q', { cores: 64, kind: 'HPC', wholeNode: true })])], {
      state: 'banned',
      allowed: false,
      reason: 'site downtime',
    }),
  ],
};

const renderPage = (route = '/resources') => renderWithProviders(<ResourcesPage />, { route, path: '/resources' });
const queueNames = () =>
  within(screen.getByRole('table', { name: 'Queues' }))
    .getAllByRole('rowheader')
    .map((th) => th.firstChild?.textContent);

describe('ResourcesPage', () => {
  it('shows a busy skeleton while loading', () => {
    mockBff({ 'GET /bff/v1/resources': never });
    renderPage();
    expect(screen.getByText('Loading the resource catalogue…')).toBeInTheDocument();
  });

  it('shows an error with Retry', async () => {
    mockBff({ 'GET /bff/v1/resources': () => problem(503, 'INTERNAL', 'No resource catalogue is configured on this portal') });
    renderPage();
    expect(await screen.findByText('No resource catalogue is configured on this portal')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('lists every queue with its live status in words', async () => {
    mockBff({ 'GET /bff/v1/resources': catalogue });
    renderPage();
    const table = await screen.findByRole('table', { name: 'Queues' });
    expect(queueNames()).toEqual(['short', 'long', 'gpu', 'vms', 'q']);
    expect(within(table).getAllByText('Active')).toHaveLength(2);
    expect(within(table).getByText('Degraded: draining for maintenance')).toBeInTheDocument();
    expect(within(table).getByText('Status unknown')).toBeInTheDocument();
    expect(within(table).getByText('Banned: site downtime')).toBeInTheDocument();
    expect(screen.getByText('5 queues at 4 sites')).toBeInTheDocument();
    // the site's current load from DiracX's job summary, on each of its queues; unknown elsewhere
    expect(within(table).getAllByText(/1,200 waiting · 37 running/)).toHaveLength(2);
  });

  it('filters by GPU, cores, time and kind, and clears the filters', async () => {
    mockBff({ 'GET /bff/v1/resources': catalogue });
    const { user, router } = renderPage();
    await screen.findByRole('table', { name: 'Queues' });

    await user.click(screen.getByRole('switch', { name: 'GPU only' }));
    expect(queueNames()).toEqual(['gpu']);
    expect(router.state.location.search).toBe('?gpu=1');
    await user.click(screen.getByRole('switch', { name: 'GPU only' }));

    fireEvent.change(screen.getByLabelText('Min. cores'), { target: { value: '4' } });
    expect(queueNames()).toEqual(['gpu', 'vms', 'q']);

    fireEvent.change(screen.getByLabelText('Min. time (hours)'), { target: { value: '24' } });
    expect(queueNames()).toEqual(['gpu']); // the others stop after 4 h of CPU time
    fireEvent.change(screen.getByLabelText('Min. time (hours)'), { target: { value: '' } });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Kind' }), 'HPC');
    expect(queueNames()).toEqual(['gpu', 'q']);
    expect(screen.getByText('2 of 5 queues match, at 2 sites')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Min. cores'), { target: { value: '128' } });
    expect(await screen.findByText('No queues match these filters')).toBeInTheDocument();
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    expect(queueNames()).toHaveLength(5);
    expect(router.state.location.search).toBe('');
  });

  it('reads the filters from the URL', async () => {
    mockBff({ 'GET /bff/v1/resources': catalogue });
    renderPage('/resources?kind=cloud&minCores=oops');
    await screen.findByRole('table', { name: 'Queues' });
    expect(queueNames()).toEqual(['vms']);
  });

  it('says when live status is unavailable', async () => {
    mockBff({ 'GET /bff/v1/resources': { ...catalogue, rss: { site: false, compute: true } } });
    renderPage();
    expect(await screen.findByText(/live status is not available/i)).toBeInTheDocument();
  });

  it('shows an empty catalogue', async () => {
    mockBff({ 'GET /bff/v1/resources': { sites: [], rss: { site: true, compute: true } } });
    renderPage();
    expect(await screen.findByText('No resources are configured')).toBeInTheDocument();
  });
});
