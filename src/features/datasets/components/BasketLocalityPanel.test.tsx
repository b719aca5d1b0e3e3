import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LocalityAnswer } from '../../../contracts/locality.ts';
import { siteLocality } from '../../../shared/testing/locality-fixtures.ts';
import { mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { BasketLocalityPanel } from './BasketLocalityPanel.tsx';

const GB = 1_000_000_000;
const site = siteLocality;

const answer: LocalityAnswer = {
  summary: {
    files: 3,
    bytes: 7 * GB,
    unknownSizeFiles: 0,
    diskFiles: 2,
    tapeOnlyFiles: 1,
    tapeOnlyBytes: 3 * GB,
    noReplicaFiles: 0,
    unknownFiles: 0,
    sites: [
      site({ site: 'HPC.MareNostrum.es', localFiles: 2, localBytes: 4 * GB, stageFiles: 1, stageBytes: 3 * GB }),
      site({ site: 'LCG.CERN-HTC.ch', transferFiles: 3, transferBytes: 7 * GB, transferFromTapeFiles: 1 }),
    ],
    storage: [],
    rucioCalls: 1,
    warnings: ['1 ESAP item: the portal cannot tell where their data is.'],
  },
  files: [
    {
      itemId: 'i1',
      ref: '/cta/a.fits.fz',
      name: 'a.fits.fz',
      bytes: 3 * GB,
      source: 'catalogue',
      availability: 'tape',
      replicas: [{ se: 'CTA-PIC-TAPE', kind: 'tape', sites: ['HPC.MareNostrum.es'] }],
    },
    {
      itemId: 'i2',
      ref: '/cta/b.fits.fz',
      name: 'b.fits.fz',
      bytes: 2 * GB,
      source: 'catalogue',
      availability: 'disk',
      replicas: [
        { se: 'CTA-PIC-DISK', kind: 'disk', sites: ['HPC.MareNostrum.es'] },
        { se: 'CTA-CNAF-DISK', kind: 'disk', sites: [] },
      ],
    },
  ],
  page: 1,
  perPage: 25,
  total: 3,
};

describe('BasketLocalityPanel', () => {
  it('shows the volume, what each site needs and each file’s replicas, for the chosen items', async () => {
    const bff = mockBff({ 'POST /bff/v1/basket/locality': () => Response.json(answer) });
    renderWithProviders(<BasketLocalityPanel inputs={{ itemIds: ['i2', 'i1'] }} />);
    expect(
      await screen.findByText('3 files, 7 GB in all: 2 files on disk, 1 file only on tape (3 GB, staging needed)'),
    ).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/basket/locality')[0]!.body).toEqual({ itemIds: ['i2', 'i1'], page: 1, perPage: 25 });
    const sites = within(screen.getByRole('table', { name: 'What each site needs' }));
    expect(sites.getByRole('row', { name: /HPC.MareNostrum.es/ })).toHaveTextContent(
      "2 files (4 GB) on disk at this site's storage; 1 file only on tape: staging needed (3 GB)",
    );
    expect(sites.getByRole('row', { name: /LCG.CERN-HTC.ch/ })).toHaveTextContent(
      '7 GB must be transferred (3 files, 1 file of them staged from tape first)',
    );
    const files = within(screen.getByRole('table', { name: 'Replicas of each file' }));
    expect(files.getByRole('row', { name: /a.fits.fz/ })).toHaveTextContent('CTA-PIC-TAPE (tape, HPC.MareNostrum.es)');
    expect(files.getByRole('row', { name: /a.fits.fz/ })).toHaveTextContent('Only on tape: staging needed');
    expect(files.getByRole('row', { name: /b.fits.fz/ })).toHaveTextContent('CTA-CNAF-DISK (disk, no site of this portal)');
    expect(screen.getByText('1 ESAP item: the portal cannot tell where their data is.')).toBeInTheDocument();
  });

  it('asks nothing when no item is chosen, shows loading, and errors with Retry', async () => {
    const bff = mockBff({ 'POST /bff/v1/basket/locality': never });
    const { unmount } = renderWithProviders(<BasketLocalityPanel inputs={{ itemIds: [] }} />);
    expect(screen.getByText('Choose basket items to see where their data is.')).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/basket/locality')).toHaveLength(0);
    unmount();

    const again = renderWithProviders(<BasketLocalityPanel />);
    expect(await screen.findByText('Looking up where the files are…')).toBeInTheDocument();
    again.unmount();

    mockBff({ 'POST /bff/v1/basket/locality': () => problem(503, 'CATALOGUE_UNREACHABLE', 'Rucio is not reachable') });
    renderWithProviders(<BasketLocalityPanel />);
    expect(await screen.findByText('Rucio is not reachable')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
