import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Basket, BasketItem, DatasetFile, DatasetPage, ProjectSummary } from '../../../contracts/datasets.ts';
import { json, mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { makeBasketItem } from '../../../shared/testing/fixtures.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { BasketPage } from './BasketPage.tsx';

const PROJECT = 'CTA-LST1-2026-0042';

function file(i: number, over: Partial<DatasetFile> = {}): DatasetFile {
  const run = String(23000 + i).padStart(6, '0');
  return {
    id: `${PROJECT}.DL3.run_${run}`,
    lfn: `/cta/prod/2026/${PROJECT}/DL3/run_${run}.fits.fz`,
    name: `run_${run}.fits.fz`,
    projectId: PROJECT,
    dataLevel: 'DL3',
    sizeBytes: 12_500_000 + i,
    checksum: 'adler32:0a1b2c3d',
    storageElement: 'CTA-PIC-DISK',
    observationDate: '2026-01-06',
    telescope: 'LST-1',
    runNumber: 23000 + i,
    ...over,
  };
}

const projects: ProjectSummary[] = [
  { projectId: PROJECT, files: 3600, bytes: 5.6e12, levels: ['DL0', 'DL1', 'DL2', 'DL3'] },
  { projectId: 'CTA-SSTPROTO-2024-0003', files: 2400, bytes: 3.8e12, levels: ['DL0', 'DL1', 'DL2', 'DL3'] },
];

const page = (items: DatasetFile[], total = items.length, p = 1): DatasetPage => ({ items, total, page: p, perPage: 50 });

const item = makeBasketItem;
function basketOf(items: BasketItem[]): Basket {
  const known = items.filter((i) => i.sizeBytes !== null);
  return {
    items,
    count: items.length,
    totalBytes: known.reduce((s, i) => s + (i.sizeBytes ?? 0), 0),
    unknownSizeCount: items.length - known.length,
    offset: 0,
    groups: [...new Set(items.flatMap((i) => (i.group ? [i.group] : [])))].sort().map((name) => ({
      name,
      count: items.filter((i) => i.group === name).length,
    })),
  };
}
/** One page of a basket, as `GET /bff/v1/basket?offset=&limit=` answers. */
function pageOf(basket: Basket, query: URLSearchParams): Basket {
  const offset = Number(query.get('offset') ?? 0);
  const limit = query.get('limit');
  return limit === null ? basket : { ...basket, offset, items: basket.items.slice(offset, offset + Number(limit)) };
}
const fromFile = (f: DatasetFile, id = `item-${f.id}`): BasketItem =>
  item({
    id,
    kind: 'lfn',
    ref: f.lfn,
    name: f.name,
    sizeBytes: f.sizeBytes,
    dataLevel: f.dataLevel,
    projectId: f.projectId,
    source: 'catalogue',
    meta: { fileId: f.id },
  });

/** A tiny stateful BFF: the basket changes with the mutations. */
function statefulBff(initial: BasketItem[] = [], files: DatasetFile[] = [file(0), file(1), file(2)]) {
  let basket = basketOf(initial);
  const bff = mockBff({
    'GET /bff/v1/datasets/projects': { items: projects },
    'GET /bff/v1/datasets/files': () => json(page(files)),
    'GET /bff/v1/basket': (req) => json(pageOf(basket, req.query)),
    'POST /bff/v1/basket/items': (req) => {
      const body = req.body as { fileIds?: string[]; query?: object };
      const chosen = body.fileIds ? files.filter((f) => body.fileIds!.includes(f.id)) : files;
      const fresh = chosen.filter((f) => !basket.items.some((i) => i.ref === f.lfn));
      basket = basketOf([...basket.items, ...fresh.map((f) => fromFile(f))]);
      return json({ added: fresh.length, alreadyPresent: chosen.length - fresh.length, unknownIds: [], basket });
    },
    'DELETE /bff/v1/basket/items/:itemId': (req) => {
      basket = basketOf(basket.items.filter((i) => i.id !== req.params.itemId));
      return json(basket);
    },
    'DELETE /bff/v1/basket': () => {
      const removed = basket.count;
      basket = basketOf([]);
      return json({ removed, basket });
    },
    'PATCH /bff/v1/basket/items': (req) => {
      const { itemIds, group } = req.body as { itemIds: string[]; group: string | null };
      basket = basketOf(basket.items.map((i) => (itemIds.includes(i.id) ? { ...i, group } : i)));
      return json({ updated: itemIds.length, basket });
    },
  });
  return { bff, set: (items: BasketItem[]) => (basket = basketOf(items)) };
}

const renderPage = (route = '/basket') => renderWithProviders(<BasketPage />, { route, path: '/basket' });
const findTable = () => screen.findByRole('table', { name: 'Find data' });
/** `hidden`: while a dialog is open the page behind it is hidden from assistive technology. */
const basketTable = (hidden = false) => screen.findByRole('table', { name: 'Your basket', hidden });

// MUI tables and dialogs in jsdom: slower than the 5 s default on a busy machine.
describe('BasketPage', { timeout: 60_000 }, () => {
  it('shows busy skeletons while the catalogue and the basket load', () => {
    mockBff({ 'GET /bff/v1/datasets/projects': never, 'GET /bff/v1/datasets/files': never, 'GET /bff/v1/basket': never });
    renderPage();
    expect(screen.getByRole('heading', { level: 1, name: 'Basket' })).toBeInTheDocument();
    expect(screen.getByText('Searching the catalogue…')).toBeInTheDocument();
    expect(screen.getByText('Loading your basket…')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Project' })).toHaveDisplayValue('All projects (loading the list…)');
  });

  it('shows errors inline with Retry', async () => {
    mockBff({
      'GET /bff/v1/datasets/projects': () => problem(503, 'INTERNAL', 'down'),
      'GET /bff/v1/datasets/files': () => problem(503, 'INTERNAL', 'The catalogue database is unavailable'),
      'GET /bff/v1/basket': () => problem(500, 'INTERNAL', 'The basket could not be read'),
    });
    renderPage();
    expect(await screen.findByText('The catalogue database is unavailable')).toBeInTheDocument();
    expect(await screen.findByText('The basket could not be read')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Retry' })).toHaveLength(2);
    expect(await screen.findByText('The project list could not be loaded')).toBeInTheDocument();
  });

  it('tells an empty catalogue and basket apart from a search without matches', async () => {
    const bff = mockBff({
      'GET /bff/v1/datasets/projects': { items: [] },
      'GET /bff/v1/datasets/files': page([]),
      'GET /bff/v1/basket': basketOf([]),
    });
    const { router, user } = renderPage();
    expect(await screen.findByText('The catalogue is empty')).toBeInTheDocument();
    expect(await screen.findByText('Your basket is empty')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Empty basket' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Add all matches' })).toBeDisabled();

    await act(() => router.navigate('/basket?dataLevel=DL2'));
    expect(await screen.findByText('No files match these filters')).toBeInTheDocument();
    expect(bff.requests('GET /bff/v1/datasets/files').at(-1)?.query.get('dataLevel')).toBe('DL2');
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    await waitFor(() => expect(router.state.location.search).toBe(''));
  });

  it('searches with the filters from the URL and keeps them there', async () => {
    const { bff } = statefulBff();
    const { user, router } = renderPage('/basket?dataLevel=DL3&q=run_023&page=2&from=2026-01-01&to=2025-01-01&sort=bogus');
    await findTable();
    const first = bff.requests('GET /bff/v1/datasets/files')[0]!.query;
    expect(Object.fromEntries(first)).toEqual({
      dataLevel: 'DL3',
      from: '2026-01-01',
      q: 'run_023',
      page: '2',
      perPage: '50',
      sort: 'observationDate',
      dir: 'desc',
    });
    expect(screen.getByText('Before “Observed from”: ignored')).toBeInTheDocument();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Project' }), PROJECT);
    expect(screen.getByRole('option', { name: `${PROJECT} (3,600 files)` })).toBeInTheDocument();
    await waitFor(() => expect(bff.requests('GET /bff/v1/datasets/files').at(-1)?.query.get('projectId')).toBe(PROJECT));
    expect(router.state.location.search).toContain(`projectId=${PROJECT}`);
    expect(router.state.location.search).not.toContain('page=');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort by' }), 'Name (A to Z)');
    await waitFor(() => expect(bff.requests('GET /bff/v1/datasets/files').at(-1)?.query.get('sort')).toBe('name'));
    expect(bff.requests('GET /bff/v1/datasets/files').at(-1)?.query.get('dir')).toBe('asc');

    const text = screen.getByLabelText('Name or LFN contains');
    await user.clear(text);
    await user.type(text, 'run_0230{Enter}');
    await waitFor(() => expect(bff.requests('GET /bff/v1/datasets/files').at(-1)?.query.get('q')).toBe('run_0230'));
    fireEvent.change(screen.getByLabelText('Observed until'), { target: { value: '2026-03-31' } });
    await waitFor(() => expect(bff.requests('GET /bff/v1/datasets/files').at(-1)?.query.get('to')).toBe('2026-03-31'));
  });

  it('selects files and adds them; "select page" and "add all matches" too', async () => {
    const { bff } = statefulBff();
    const { user } = renderPage();
    const table = await findTable();
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((th) => th.firstChild?.textContent),
    ).toEqual(['run_023000.fits.fz', 'run_023001.fits.fz', 'run_023002.fits.fz']);
    expect(within(table).getAllByText('12.5 MB')).toHaveLength(3);
    expect(await screen.findByText('Your basket is empty')).toBeInTheDocument();

    const addSelected = screen.getByRole('button', { name: /^Add selected/ });
    expect(addSelected).toBeDisabled();
    await user.click(within(table).getByRole('checkbox', { name: 'Select run_023001.fits.fz' }));
    expect(screen.getByRole('button', { name: 'Add selected (1)' })).toBeEnabled();
    await user.click(screen.getByRole('button', { name: 'Add selected (1)' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/basket/items')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/basket/items')[0]!.body).toEqual({ fileIds: [file(1).id] });
    expect(await screen.findByText('Added 1 file to your basket')).toBeInTheDocument();
    const basket = await basketTable();
    expect(within(basket).getByText('run_023001.fits.fz')).toBeInTheDocument();
    expect(within(basket).getByText('DIRAC LFN')).toBeInTheDocument();
    expect(screen.getByText('1 item · 12.5 MB')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Add selected$/ })).toBeDisabled(); // selection cleared

    await user.click(within(table).getByRole('checkbox', { name: 'Select page' }));
    expect(screen.getByRole('button', { name: 'Add selected (3)' })).toBeEnabled();
    await user.click(within(table).getByRole('checkbox', { name: 'Select page' }));
    expect(screen.getByRole('button', { name: /^Add selected$/ })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Add all 3 matches' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/basket/items')).toHaveLength(2));
    expect(bff.requests('POST /bff/v1/basket/items')[1]!.body).toEqual({ query: {} });
    // (the snackbar still shows the first notice; this one is queued)
    expect(await screen.findByText('3 items · 37.5 MB')).toBeInTheDocument();
  });

  it('refuses "add all" above 10,000 matches and keeps the selection when adding fails', async () => {
    const { bff } = statefulBff();
    bff.use({
      'GET /bff/v1/datasets/files': () => json(page([file(0)], 20_000)),
      'POST /bff/v1/basket/items': () => problem(400, 'VALIDATION', 'A basket holds at most 20,000 items'),
    });
    const { user } = renderPage();
    const table = await findTable();
    expect(screen.getByRole('button', { name: 'Add all 20,000 matches' })).toBeDisabled();
    expect(screen.getByText(/takes at most 10,000 files/)).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Pages of matching files' })).toBeInTheDocument();
    await user.click(within(table).getByRole('checkbox', { name: 'Select run_023000.fits.fz' }));
    await user.click(screen.getByRole('button', { name: 'Add selected (1)' }));
    expect(await screen.findByText('A basket holds at most 20,000 items')).toBeInTheDocument();
    expect(within(table).getByRole('checkbox', { name: 'Select run_023000.fits.fz' })).toBeChecked();
  });

  it('finds the IRFs of the selected DL3 files and adds them', async () => {
    const a = fromFile(file(0), 'i-a');
    const irf = item({
      id: 'i-irf',
      ref: '/cta/irf/LST-1/2026H1/irf.fits.gz',
      name: 'irf_LST-1_2026H1_full-enclosure.fits.gz',
      sizeBytes: 5,
    });
    const { bff, set } = statefulBff([a]);
    bff.use({
      'POST /bff/v1/basket/irfs': () =>
        json({ dl3Files: 1, irfs: 1, added: 1, alreadyPresent: 0, withoutIrf: [], basket: basketOf(set([a, irf]).items) }),
    });
    const { user } = renderPage();
    const basket = await basketTable();
    await user.click(within(basket).getByRole('checkbox', { name: `Select ${a.name}` }));
    await user.click(screen.getByRole('button', { name: 'Find IRFs for the 1 selected DL3 file' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/basket/irfs')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/basket/irfs')[0]!.body).toEqual({ itemIds: ['i-a'] });
    expect(await screen.findByText('Found 1 IRF for 1 DL3 file: 1 added, 0 already in the basket')).toBeInTheDocument();
    expect(await within(basket).findByText(irf.name)).toBeInTheDocument();
  });

  it('removes an item, and groups selected items under a label', async () => {
    const a = fromFile(file(0), 'i-a');
    const b = item({
      id: 'i-b',
      kind: 'rucio',
      ref: 'ESCAPE_CTA_LAPP:gamma.simtel.zst',
      name: 'gamma.simtel.zst',
      source: 'rucio',
      meta: { scope: 'ESCAPE_CTA_LAPP' },
    });
    const c = item({
      id: 'i-c',
      kind: 'esap',
      ref: 'zooniverse:project/5483/subjects',
      name: 'Zooniverse project 5483 (subjects)',
      source: 'esap',
      meta: { archive: 'zooniverse' },
    });
    const { bff } = statefulBff([a, b, c]);
    const { user } = renderPage();
    const basket = await basketTable();
    expect(screen.getByText('3 items · 12.5 MB (+ 2 of unknown size)')).toBeInTheDocument();
    expect(within(basket).getByText('Rucio DID')).toBeInTheDocument();
    expect(within(basket).getByText('ESAP item')).toBeInTheDocument();
    expect(within(basket).getByText('ESAP · zooniverse')).toBeInTheDocument();

    await user.click(within(basket).getByRole('button', { name: 'Remove gamma.simtel.zst' }));
    await waitFor(() => expect(bff.requests('DELETE /bff/v1/basket/items/:itemId')).toHaveLength(1));
    expect(bff.requests('DELETE /bff/v1/basket/items/:itemId')[0]!.params.itemId).toBe('i-b');
    await waitFor(() => expect(within(basket).queryByText('gamma.simtel.zst')).not.toBeInTheDocument());
    expect(await screen.findByText('Removed gamma.simtel.zst from your basket')).toBeInTheDocument();

    await user.click(within(basket).getByRole('checkbox', { name: `Select ${a.name}` }));
    await user.click(within(basket).getByRole('checkbox', { name: `Select ${c.name}` }));
    expect(screen.getByText('2 items selected')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Group selected' }));
    expect(screen.getByText('a group label cannot be empty')).toBeInTheDocument();
    expect(bff.requests('PATCH /bff/v1/basket/items')).toHaveLength(0);
    await user.type(screen.getByLabelText('Group label'), 'Crab ON runs');
    await user.click(screen.getByRole('button', { name: 'Group selected' }));
    await waitFor(() => expect(bff.requests('PATCH /bff/v1/basket/items')).toHaveLength(1));
    expect(bff.requests('PATCH /bff/v1/basket/items')[0]!.body).toEqual({ itemIds: ['i-a', 'i-c'], group: 'Crab ON runs' });
    expect(await within(basket).findAllByText('Crab ON runs')).toHaveLength(2);
    expect(screen.getByText('Groups: Crab ON runs (2)')).toBeInTheDocument();
  });

  it('reads the basket a page at a time from the BFF, with the whole basket’s figures', async () => {
    const many = Array.from({ length: 30 }, (_, n) => fromFile(file(n), `i-${n}`));
    const { bff } = statefulBff(many);
    const { user } = renderPage();
    const basket = await basketTable();
    expect(bff.requests('GET /bff/v1/basket').map((r) => r.url.search)).toEqual(['?offset=0&limit=25']);
    expect(within(basket).getAllByRole('checkbox', { name: /^Select (?!all items shown)/ })).toHaveLength(25);
    expect(screen.getByText(/^30 items · /)).toBeInTheDocument();
    await user.click(within(screen.getByRole('navigation', { name: 'Pages of the basket' })).getByRole('button', { name: 'Go to page 2' }));
    expect(await within(basket).findByText(file(29).name)).toBeInTheDocument();
    expect(bff.requests('GET /bff/v1/basket').at(-1)!.url.search).toBe('?offset=25&limit=25');
    expect(screen.getByText('26–30 of 30')).toBeInTheDocument();
  });

  it('empties the basket only after a confirmation that focuses Cancel first', async () => {
    const { bff } = statefulBff([fromFile(file(0), 'i-a'), fromFile(file(1), 'i-b')]);
    const { user } = renderPage();
    await basketTable();
    await user.click(screen.getByRole('button', { name: 'Empty basket' }));
    const dialog = await screen.findByRole('dialog', { name: 'Empty your basket?' });
    expect(within(dialog).getByText(/removes all 2 items/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(bff.requests('DELETE /bff/v1/basket')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Empty basket' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Empty basket' }));
    expect(await screen.findByText('Your basket is empty')).toBeInTheDocument();
    expect(bff.requests('DELETE /bff/v1/basket')).toHaveLength(1);
    expect(await screen.findByText('Removed 2 items from your basket')).toBeInTheDocument();
  });

  it('pastes Rucio DIDs: invalid lines are listed with their numbers and the text is kept', async () => {
    const { bff, set } = statefulBff();
    const text = 'ESCAPE_CTA_LAPP:a.simtel.zst\nESCAPE_CTA_LAPP:b.simtel.zst\n\nnot-a-did';
    bff.use({
      'POST /bff/v1/basket/rucio': () => {
        const added = [
          item({ id: 'r1', kind: 'rucio', ref: 'ESCAPE_CTA_LAPP:a.simtel.zst', name: 'a.simtel.zst', source: 'rucio' }),
          item({ id: 'r2', kind: 'rucio', ref: 'ESCAPE_CTA_LAPP:b.simtel.zst', name: 'b.simtel.zst', source: 'rucio' }),
        ];
        return json({
          added: 2,
          alreadyPresent: 0,
          invalid: [{ line: 4, text: 'not-a-did', message: 'expected scope:name (no ":" found)' }],
          basket: basketOf(set(added).items),
        });
      },
    });
    const { user } = renderPage();
    await screen.findByText('Your basket is empty');
    await user.click(screen.getByRole('button', { name: 'Paste Rucio DIDs' }));
    const dialog = await screen.findByRole('dialog', { name: 'Paste Rucio DIDs' });
    const area = within(dialog).getByLabelText('Rucio DIDs');
    await user.click(area);
    await user.paste(text);
    expect(within(dialog).getByText('2 DIDs found, 1 entry with problems')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Add to basket' }));

    const list = await within(dialog).findByRole('list', { name: 'Lines that are not DIDs' });
    expect(within(list).getByText('Line 4:')).toBeInTheDocument();
    expect(list).toHaveTextContent('Line 4: not-a-did — expected scope:name (no ":" found)');
    expect(within(dialog).getByText('Added 2 DIDs to your basket. These lines were not added:')).toBeInTheDocument();
    expect(area).toHaveValue(text);
    expect(bff.requests('POST /bff/v1/basket/rucio')[0]!.body).toEqual({ dids: text });
    expect(within(await basketTable(true)).getByText('a.simtel.zst')).toBeInTheDocument();

    // a refused request keeps the text too
    bff.use({ 'POST /bff/v1/basket/rucio': () => problem(400, 'VALIDATION', '6000 DIDs were pasted; at most 5000 can be added at once') });
    await user.click(within(dialog).getByRole('button', { name: 'Add to basket' }));
    expect(await within(dialog).findByText('6000 DIDs were pasted; at most 5000 can be added at once')).toBeInTheDocument();
    expect(within(dialog).getByText('Nothing was added')).toBeInTheDocument();
    expect(area).toHaveValue(text);
  });

  it('imports an ESAP basket and summarises what was imported and skipped', async () => {
    const { bff, set } = statefulBff();
    bff.use({
      'POST /bff/v1/basket/esap': () =>
        json({
          added: 2,
          alreadyPresent: 1,
          skipped: [
            { index: 2, reason: 'no "archive" given, so the item cannot be interpreted' },
            {
              index: 3,
              reason: '"samp" record has no identifier (looked for id, PID, pid, did, obs_publisher_did, obs_id, doi, url, access_url)',
            },
          ],
          basket: basketOf(
            set([
              item({
                id: 'e1',
                kind: 'rucio',
                ref: 'LOFAR_ASTRON_GRANGE:L770123_SB244_uv.MS.tar',
                name: 'L770123_SB244_uv.MS.tar',
                source: 'esap',
                meta: { archive: 'rucio' },
              }),
              item({
                id: 'e2',
                kind: 'esap',
                ref: 'zooniverse:project/5483/classifications',
                name: 'Zooniverse project 5483 (classifications)',
                source: 'esap',
                meta: { archive: 'zooniverse' },
              }),
            ]).items,
          ),
        }),
    });
    const cart = {
      user_name: 'alice.escape',
      shopping_cart: [
        { item_data: JSON.stringify({ archive: 'rucio', record: { scope: 'LOFAR_ASTRON_GRANGE', name: 'L770123_SB244_uv.MS.tar' } }) },
        { item_data: JSON.stringify({ archive: 'zooniverse', catalog: 'project', project_id: 5483, category: 'classifications' }) },
        { item_data: JSON.stringify({ record: { name: 'x' } }) },
        { item_data: JSON.stringify({ archive: 'samp', record: { ra: 1 } }) },
      ],
    };
    const { user } = renderPage();
    await screen.findByText('Your basket is empty');
    await user.click(screen.getByRole('button', { name: 'Import ESAP basket' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import an ESAP basket' });
    const area = within(dialog).getByLabelText('ESAP basket JSON');

    // not JSON: said at once, nothing sent, the text stays
    await user.click(area);
    await user.paste('{"shopping_cart": [');
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(await within(dialog).findByText(/^This is not valid JSON/)).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/basket/esap')).toHaveLength(0);
    expect(area).toHaveValue('{"shopping_cart": [');

    await user.clear(area);
    await user.paste(JSON.stringify(cart));
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(await within(dialog).findByText('Imported 2 items · 1 item already in your basket · 2 items skipped')).toBeInTheDocument();
    const skipped = within(dialog).getByRole('list', { name: 'Skipped items' });
    expect(skipped).toHaveTextContent('Item 3: no "archive" given, so the item cannot be interpreted');
    expect(skipped).toHaveTextContent('Item 4: "samp" record has no identifier');
    expect(bff.requests('POST /bff/v1/basket/esap')[0]!.body).toEqual(cart);
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(within(await basketTable()).getByText('Zooniverse project 5483 (classifications)')).toBeInTheDocument();
  });

  it('reads an ESAP basket from a file', async () => {
    const { bff } = statefulBff();
    bff.use({ 'POST /bff/v1/basket/esap': () => json({ added: 1, alreadyPresent: 0, skipped: [], basket: basketOf([]) }) });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Import ESAP basket' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import an ESAP basket' });
    const content = JSON.stringify([{ item_data: JSON.stringify({ archive: 'rucio', record: { scope: 's', name: 'n' } }) }]);
    await user.upload(
      within(dialog).getByLabelText('ESAP basket file (JSON)'),
      new File([content], 'basket.json', { type: 'application/json' }),
    );
    await waitFor(() => expect(within(dialog).getByLabelText('ESAP basket JSON')).toHaveValue(content));
    expect(within(dialog).getByText('Read basket.json; you can check or edit it below.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(await within(dialog).findByText('Imported 1 item')).toBeInTheDocument();
  });
});
