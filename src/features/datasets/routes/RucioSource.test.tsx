import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Basket } from '../../../contracts/datasets.ts';
import type { RucioDidInfo } from '../../../contracts/rucio.ts';
import { json, mockBff, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { BasketPage } from './BasketPage.tsx';

const emptyBasket: Basket = { items: [], count: 0, totalBytes: 0, unknownSizeCount: 0 };
const did = (name: string, type: RucioDidInfo['type'] = 'FILE'): RucioDidInfo => ({
  scope: 'cta',
  name,
  did: `cta:${name}`,
  type,
  bytes: 300_000_000,
  length: type === 'FILE' ? 1 : 20,
});
const files = Array.from({ length: 30 }, (_, i) => did(`LST-1.1.Run02967.${String(i + 1).padStart(4, '0')}.dl1.h5`));

function bff(withRucio = true) {
  return mockBff({
    'GET /bff/v1/datasets/sources': {
      items: [{ type: 'catalogue', label: 'Portal catalogue' }, ...(withRucio ? [{ type: 'rucio', label: 'CTA Rucio' }] : [])],
      rucioDefaultScope: 'cta',
    },
    'GET /bff/v1/datasets/projects': { items: [] },
    'GET /bff/v1/datasets/files': { items: [], total: 0, page: 1, perPage: 50 },
    'GET /bff/v1/basket': emptyBasket,
    'GET /bff/v1/datasets/rucio/dids': (req) => {
      const page = Number(req.query.get('page') ?? 1);
      const all = req.query.get('type') === 'dataset' ? [did('prod5b.lst1.dl1.run2967', 'DATASET')] : files;
      return json({ items: all.slice((page - 1) * 25, page * 25), page, perPage: 25, hasMore: all.length > page * 25 });
    },
    'GET /bff/v1/datasets/rucio/files': {
      did: 'cta:prod5b.lst1.dl1.run2967',
      totalBytes: 600_000_000,
      truncated: false,
      files: [
        {
          scope: 'cta',
          name: 'a.h5',
          did: 'cta:a.h5',
          bytes: 300_000_000,
          adler32: '1a5c0597',
          events: 1,
          replicas: [{ rse: 'CTA-DESY-DISK', state: 'AVAILABLE', pfns: ['https://x/a.h5'] }],
        },
        { scope: 'cta', name: 'b.h5', did: 'cta:b.h5', bytes: 300_000_000, adler32: '0000ffff', events: 1, replicas: [] },
      ],
    },
    'POST /bff/v1/basket/rucio-search': (req) => {
      const dids = (req.body as { dids: string[] }).dids;
      return json({ added: dids.length, alreadyPresent: 0, unknown: [], basket: emptyBasket });
    },
  });
}

describe('Find data in Rucio', { timeout: 60_000 }, () => {
  it('offers no source picker when only the portal catalogue is configured', async () => {
    const mock = bff(false);
    renderWithProviders(<BasketPage />, { route: '/basket', path: '/basket' });
    await screen.findByText('The catalogue is empty');
    expect(mock.requests('GET /bff/v1/datasets/sources')).toHaveLength(1);
    expect(screen.queryByRole('group', { name: 'Dataset source' })).not.toBeInTheDocument();
  });

  it('searches the default scope, pages, lists files with replicas and adds selected DIDs', async () => {
    const mock = bff();
    const { user, router } = renderWithProviders(<BasketPage />, { route: '/basket', path: '/basket' });
    const picker = await screen.findByRole('group', { name: 'Dataset source' });
    await user.click(within(picker).getByRole('button', { name: 'CTA Rucio' }));
    expect(router.state.location.search).toBe('?source=rucio');
    await screen.findByRole('heading', { name: 'Find data in CTA Rucio' });
    const table = await screen.findByRole('table', { name: 'Find data in CTA Rucio' });
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    expect(mock.requests('GET /bff/v1/datasets/rucio/dids')[0]!.query.get('scope')).toBe('cta');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('cta:LST-1.1.Run02967.0030.dl1.h5')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await user.selectOptions(screen.getByLabelText('DID type'), 'dataset');
    await user.type(screen.getByLabelText('Project (metadata)'), 'prod5b');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText('cta:prod5b.lst1.dl1.run2967');
    const last = mock.requests('GET /bff/v1/datasets/rucio/dids').at(-1)!;
    expect(Object.fromEntries(last.query)).toMatchObject({ scope: 'cta', type: 'dataset', project: 'prod5b' });
    expect(last.query.has('page')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Files and replicas of cta:prod5b.lst1.dl1.run2967' }));
    const dialog = await screen.findByRole('dialog', { name: 'Files of cta:prod5b.lst1.dl1.run2967' });
    expect(await within(dialog).findByText('CTA-DESY-DISK (available)')).toBeInTheDocument();
    expect(within(dialog).getByText('no replica')).toBeInTheDocument();
    expect(within(dialog).getByText('1a5c0597')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    await user.click(screen.getByRole('checkbox', { name: 'Select cta:prod5b.lst1.dl1.run2967' }));
    await user.click(screen.getByRole('button', { name: 'Add selected (1)' }));
    expect(await screen.findByText('Added 1 DID to your basket')).toBeInTheDocument();
    expect(mock.requests('POST /bff/v1/basket/rucio-search')[0]!.body).toEqual({ dids: ['cta:prod5b.lst1.dl1.run2967'] });
  });

  it('checks the form before searching, and shows Rucio being down as an error', async () => {
    const mock = bff();
    mock.use({ 'GET /bff/v1/datasets/rucio/dids': () => problem(503, 'CATALOGUE_UNREACHABLE', 'CTA Rucio is not reachable right now') });
    const { user } = renderWithProviders(<BasketPage />, { route: '/basket?source=rucio', path: '/basket' });
    expect(await screen.findByText('CTA Rucio is not reachable right now')).toBeInTheDocument();
    expect(screen.getByText('The data catalogue is unreachable')).toBeInTheDocument();
    const calls = mock.requests('GET /bff/v1/datasets/rucio/dids').length;
    await user.clear(screen.getByLabelText('Scope'));
    await user.type(screen.getByLabelText('Scope'), 'bad scope!');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText(/the scope must be 1 to 25 letters/)).toBeInTheDocument();
    expect(mock.requests('GET /bff/v1/datasets/rucio/dids')).toHaveLength(calls);
  });
});
