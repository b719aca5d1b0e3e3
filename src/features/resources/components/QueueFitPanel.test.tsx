import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { QueueFit } from '../../../contracts/resources.ts';
import { siteLocality } from '../../../shared/testing/locality-fixtures.ts';
import { mockBff } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { QueueFitPanel } from './QueueFitPanel.tsx';

const queues: QueueFit[] = [
  {
    queueId: 'HPC.MareNostrum.es/mn5/mc48',
    site: 'HPC.MareNostrum.es',
    ce: 'mn5',
    queue: 'mc48',
    fits: true,
    reasons: [],
    warnings: [],
    locality: siteLocality({ site: 'HPC.MareNostrum.es', localFiles: 120, localBytes: 1e9 }),
  },
  {
    queueId: 'LCG.CERN-HTC.ch/ce/short',
    site: 'LCG.CERN-HTC.ch',
    ce: 'ce',
    queue: 'short',
    fits: true,
    reasons: [],
    warnings: [],
    locality: siteLocality({ site: 'LCG.CERN-HTC.ch', transferFiles: 120, transferBytes: 38e9 }),
  },
];

describe('QueueFitPanel with input data', () => {
  it('sends the chosen items and shows the queues ranked by where the data is', async () => {
    const bff = mockBff({ 'POST /bff/v1/resources/fit': () => Response.json({ fitting: 2, queues }) });
    renderWithProviders(<QueueFitPanel requirement={{ cores: 1 }} inputs={{ itemIds: ['b', 'a'] }} debounceMs={0} />);
    const list = within(await screen.findByRole('list', { name: 'Queues that fit' }));
    const items = list.getAllByRole('listitem');
    expect(items[0]).toHaveTextContent("Data: all 120 files on disk at this site's storage");
    expect(items[1]).toHaveTextContent('Data: 38 GB must be transferred (120 files)');
    expect(bff.requests('POST /bff/v1/resources/fit')[0]!.body).toEqual({ cores: 1, inputItemIds: ['b', 'a'] });
  });

  it('asks without inputs when none are chosen (capability fit only)', async () => {
    const bff = mockBff({ 'POST /bff/v1/resources/fit': () => Response.json({ fitting: 0, queues: [] }) });
    renderWithProviders(<QueueFitPanel requirement={{ cores: 2 }} debounceMs={0} />);
    expect(await screen.findByText('This portal has no queues in its resource catalogue.')).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/resources/fit')[0]!.body).toEqual({ cores: 2 });
  });
});
