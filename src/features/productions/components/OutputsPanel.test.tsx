import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ProductionOutputs } from '../../../contracts/outputs.ts';
import { json, mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { OutputsPanel } from './OutputsPanel.tsx';

const ID = '11111111-2222-4333-8444-555555555555';
const DIR = '/escape/user/a/alice/dl3-1a2b3c4d';
const file = (jobId: number, name: string, bytes: number) => ({
  name,
  lfn: `${DIR}/${jobId}/${name}`,
  did: `user.alice:${DIR}/${jobId}/${name}`,
  jobId,
  bytes,
  adler32: '0a1b2c3d',
  rses: ['LOCAL-DISK'],
  readable: true,
});
const outputs: ProductionOutputs = {
  dataset: `user.alice:${DIR}`,
  files: [file(41, 'run_1.DL3.h5', 2048), file(42, 'run_2.DL3.h5', 1024)],
  totalFiles: 2,
  totalBytes: 3072,
  truncated: false,
};

const render = (onAdded = vi.fn()) => renderWithProviders(<OutputsPanel productionId={ID} version="v1" onAddedToBasket={onAdded} />);

describe('OutputsPanel', () => {
  it('shows a skeleton while loading', () => {
    mockBff({ 'GET /bff/v1/productions/:id/outputs': never });
    render();
    expect(screen.getByRole('heading', { name: 'Outputs' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText('Loading the outputs…')).toBeInTheDocument();
  });

  it('shows the error with Retry when the outputs cannot be listed', async () => {
    mockBff({ 'GET /bff/v1/productions/:id/outputs': problem(503, 'CATALOGUE_UNREACHABLE', 'Rucio is not reachable right now') });
    render();
    expect(await screen.findByText(/Rucio is not reachable right now/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('says when there are no outputs yet', async () => {
    mockBff({ 'GET /bff/v1/productions/:id/outputs': { ...outputs, files: [], totalFiles: 0, totalBytes: 0 } });
    render();
    expect(await screen.findByText('No outputs yet')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Download all/ })).not.toBeInTheDocument();
  });

  it('lists the outputs with totals, previews one, and adds them all to the basket', async () => {
    const bff = mockBff({
      'GET /bff/v1/productions/:id/outputs': outputs,
      'GET /bff/v1/productions/:id/outputs/preview': (req) =>
        json({ lfn: req.query.get('lfn'), bytes: 2048, text: '# DL3 event list from run_1.fits.fz\n1 12.5 0.1 90\n', truncated: false }),
      'POST /bff/v1/productions/:id/outputs/basket': {
        added: 2,
        alreadyPresent: 0,
        basket: { items: [], count: 2, totalBytes: 0, unknownSizeCount: 2 },
      },
    });
    const onAdded = vi.fn();
    render(onAdded);
    const table = await screen.findByRole('table', { name: 'Outputs' });
    expect(screen.getByText(/^2 files, 3\.07 kB in/)).toHaveTextContent(`in user.alice:${DIR}`);
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText('run_1.DL3.h5')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('LOCAL-DISK')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('41')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Preview run_1.DL3.h5' }));
    const dialog = await screen.findByRole('dialog', { name: 'run_1.DL3.h5' });
    expect(await within(dialog).findByLabelText('Contents of run_1.DL3.h5')).toHaveTextContent('DL3 event list from run_1.fits.fz');
    expect(bff.requests('GET /bff/v1/productions/:id/outputs/preview')[0]!.query.get('lfn')).toBe(`${DIR}/41/run_1.DL3.h5`);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    await user.click(screen.getByRole('button', { name: 'Add outputs to basket' }));
    expect(await screen.findByText(/2 added to your basket/)).toBeInTheDocument();
    expect(onAdded).toHaveBeenCalledTimes(1);
    expect(bff.requests('POST /bff/v1/productions/:id/outputs/basket')).toHaveLength(1);
  });
});
