import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Basket, BasketItem } from '../../contracts/datasets.ts';
import type { LaunchPreview } from '../../contracts/launches.ts';
import { workflowRequestSchema } from '../../contracts/workflows/rules.ts';
import { defaultLaunchName } from '../../features/launches/schemas/launch-text.ts';
import { relaunchStateFor } from '../../features/launches/schemas/launch-settings.ts';
import { LAUNCH_ID, makeLaunch } from '../../features/launches/testing/launch-fixtures.ts';
import { makeProductionDetail } from '../../features/productions/testing/production-fixtures.ts';
import { ProductionPage } from './ProductionPage.tsx';
import { defaultDraft, draftToBody } from '../../features/workflows/schemas/workflow-draft.ts';
import { catalogueFixture } from '../../features/workflows/testing/workflow-fixtures.ts';
import { json, mockBff, problem } from '../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../shared/testing/render-with-providers.tsx';
import { emptyLocality, siteLocality } from '../../shared/testing/locality-fixtures.ts';
import { WorkflowDetailPage } from '../../features/workflows/routes/WorkflowDetailPage.tsx';
import { LaunchWorkflowPage } from './LaunchWorkflowPage.tsx';

/**
 * The launch page composed from the features (mock BFF at the network edge): CORSIKA (no input
 * files) and CTA DL0 → DL3 (reads basket files), submission, errors, idempotency and relaunch.
 */

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const textbox = (name: string) => screen.getByLabelText(new RegExp(`^${escape(name)}(\\s*\\*)?$`), { selector: 'input' });
const describedBy = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

function item(id: string, name: string, dataLevel: BasketItem['dataLevel'], sizeBytes: number | null): BasketItem {
  return {
    id,
    kind: 'lfn',
    ref: `/cta/prod/2026/CTA-LST1-2026-0042/${dataLevel}/${name}`,
    name,
    sizeBytes,
    dataLevel,
    projectId: 'CTA-LST1-2026-0042',
    source: 'catalogue',
    group: null,
    addedAt: '2026-02-01T10:00:00.000Z',
    meta: {},
  };
}
/** The BFF's `GET /bff/v1/basket` over these items: one page (offset, limit), of `levels` when given, and the whole basket's figures. */
function basketOf(items: BasketItem[]) {
  return ({ query }: { query: URLSearchParams }) => {
    const levels = query.get('levels')?.split(',');
    const matching = levels ? items.filter((i) => i.dataLevel !== null && levels.includes(i.dataLevel)) : items;
    const offset = Number(query.get('offset') ?? 0);
    const known = items.filter((i) => i.sizeBytes !== null);
    const basket: Basket = {
      items: matching.slice(offset, offset + Number(query.get('limit') ?? matching.length)),
      ...(levels ? { matching: matching.length } : {}),
      count: items.length,
      totalBytes: known.reduce((s, i) => s + (i.sizeBytes ?? 0), 0),
      unknownSizeCount: items.length - known.length,
      offset,
    };
    return json(basket);
  };
}
const ctaBasket = basketOf([
  item('item-dl0-a', 'run_021034.DL0.fits.fz', 'DL0', 1_800_000_000),
  item('item-dl0-b', 'run_021035.DL0.fits.fz', 'DL0', 1_900_000_000),
  item('item-dl3-a', 'run_021034.DL3.fits.fz', 'DL3', 12_500_000),
]);

const fit = {
  fitting: 1,
  queues: [
    {
      queueId: 'LCG.CERN-HTC.ch/ce1/long',
      site: 'LCG.CERN-HTC.ch',
      ce: 'ce1.cern.ch',
      queue: 'long',
      fits: true,
      reasons: [],
      warnings: [],
    },
    {
      queueId: 'LCG.PIC.es/ce2/gpu',
      site: 'LCG.PIC.es',
      ce: 'ce2.pic.es',
      queue: 'gpu',
      fits: false,
      reasons: ['needs 48 h of CPU time, queue has 24 h', 'site banned by RSS: downtime'],
      warnings: [],
    },
  ],
};

const previewOf = (over: Partial<LaunchPreview> = {}): LaunchPreview => ({
  totalJobs: 1,
  inputFiles: 0,
  inputBytes: 0,
  jobGroup: 'corsika-air-shower-s-0a1b2c3d',
  sampleJdl: '[\n  JobName = "corsika-0";\n  Executable = "./escape-job.sh";\n  Arguments = "0";\n]',
  sampleCommandLine: 'corsika-run --runcard corsika_run1.inp --output corsika_run1.corsika.zst',
  sweptParameters: [],
  ...over,
});

type Routes = Parameters<typeof mockBff>[0];

function bffFor(detail = catalogueFixture.corsika, more: Routes = {}) {
  return mockBff({
    [`GET /bff/v1/workflows/${detail.id}`]: detail,
    'GET /bff/v1/basket': ctaBasket,
    'GET /bff/v1/resources': { sites: [], rss: { site: true, compute: true } },
    'POST /bff/v1/resources/fit': fit,
    'POST /bff/v1/launches/preview': previewOf(),
    'POST /bff/v1/launches': () => json(makeLaunch({ status: 'pending', submittedJobs: 0, jobIds: [] }), 202),
    ...more,
  });
}

function renderPage(id = 'corsika', state?: unknown) {
  return renderWithProviders(null, {
    routes: [
      { path: '/workflows/:workflowId/launch', element: <LaunchWorkflowPage /> },
      { path: '/productions/:productionId', element: <ProductionPage /> },
      { path: '/basket', element: <p>basket page</p> },
    ],
    route: { pathname: `/workflows/${id}/launch`, state },
  });
}

const ready = () => screen.findByRole('heading', { level: 2, name: 'Parameters' });
const submitButton = () => screen.getByRole('button', { name: 'Submit' });

// Whole generated forms with MUI in jsdom: slower than the 5 s default on a busy machine.
describe('LaunchWorkflowPage', { timeout: 60_000 }, () => {
  it('launches CORSIKA (no input files): numbered sections, the right body, then the progress page', async () => {
    const bff = bffFor(catalogueFixture.corsika, {
      'GET /bff/v1/productions/:id': makeProductionDetail(makeLaunch({ status: 'submitting', submittedJobs: 3, jobIds: [501, 502, 503] })),
    });
    const { user, router } = renderPage('corsika');
    await ready();
    expect(screen.getByRole('heading', { level: 1, name: 'Launch CORSIKA air-shower simulation' })).toBeInTheDocument();
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      '1Parameters',
      '2Resources',
      '3Summary',
      '4Submit',
    ]);
    expect(screen.queryByRole('heading', { name: 'Input data' })).not.toBeInTheDocument();
    expect(bff.requests('GET /bff/v1/basket')).toHaveLength(0);

    // Resources: prefilled from the workflow, with the queues that fit (the others collapsed, with reasons).
    expect(textbox('Cores')).toHaveValue('1');
    expect(textbox('RAM (GB)')).toHaveValue('2');
    expect(textbox('Wall time (hours)')).toHaveValue('24');
    expect(await screen.findByText('1 of 2 queues fit these needs')).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Queues that fit' })).getByText('LCG.CERN-HTC.ch · ce1.cern.ch · long'),
    ).toBeInTheDocument();
    const others = screen.getByRole('button', { name: 'Show the 1 queue that does not fit' });
    expect(others).toHaveAttribute('aria-expanded', 'false');
    await user.click(others);
    expect(screen.getByText('Does not fit: needs 48 h of CPU time, queue has 24 h; site banned by RSS: downtime')).toBeVisible();
    expect(bff.requests('POST /bff/v1/resources/fit')[0]?.body).toEqual({ cores: 1, ramMB: 2048, wallTimeMinutes: 1440 });

    const name = textbox('Production name');
    expect(name).toHaveValue(defaultLaunchName('CORSIKA air-shower simulation'));
    await user.click(submitButton());

    await waitFor(() => expect(router.state.location.pathname).toBe(`/productions/${LAUNCH_ID}`));
    expect(await screen.findByText('3 of 12 jobs submitted')).toBeInTheDocument();

    const [previewCall] = bff.requests('POST /bff/v1/launches/preview');
    const [launchCall] = bff.requests('POST /bff/v1/launches');
    const d = catalogueFixture.corsika.descriptor;
    const expectedValues = workflowRequestSchema(d).parse(draftToBody(d, defaultDraft(d))).values;
    expect(launchCall?.body).toEqual({
      idempotencyKey: expect.stringMatching(/^[A-Za-z0-9_-]{8,128}$/),
      name: defaultLaunchName('CORSIKA air-shower simulation'),
      workflowId: 'corsika',
      workflowVersion: 1,
      values: expectedValues,
      sweeps: {},
      inputItemIds: [],
      inputMode: 'none',
      resources: { cores: 1, ramMB: 2048, wallTimeMinutes: 1440 },
    });
    expect((launchCall?.body as { values: Record<string, unknown> }).values.ERANGE_MIN).toBe(10);
    // The summary was refreshed with the very same request just before submitting.
    expect(previewCall?.body).toEqual(launchCall?.body);
  });

  it('“Launch…” on the workflow page opens the launch page with the form’s draft', async () => {
    bffFor(catalogueFixture.corsika);
    const { user, router } = renderWithProviders(null, {
      routes: [
        { path: '/workflows/:workflowId', element: <WorkflowDetailPage /> },
        { path: '/workflows/:workflowId/launch', element: <LaunchWorkflowPage /> },
      ],
      route: '/workflows/corsika',
    });
    const min = await screen.findByLabelText(/^Energy minimum \(GeV\)(\s*\*)?$/, { selector: 'input' });
    await user.clear(min);
    await user.type(min, '50');
    await user.click(screen.getByRole('button', { name: 'Launch…' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/workflows/corsika/launch'));
    await ready();
    expect(textbox('Energy minimum (GeV)')).toHaveValue('50');
  });

  it('CTA DL0 → DL3: lists the basket’s DL0 items, blocks Submit until one is chosen, then sends it per file', async () => {
    const bff = bffFor(catalogueFixture.cta, {
      'POST /bff/v1/launches/preview': previewOf({ inputFiles: 1, inputBytes: 1_800_000_000, jobGroup: 'cta-dl0-dl3-reproc-0a1b2c3d' }),
    });
    const { user } = renderPage('cta-dl0-dl3');
    await ready();
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      '1Parameters',
      '2Input data',
      '3Resources',
      '4Summary',
      '5Submit',
    ]);
    const inputs = screen.getByRole('region', { name: 'Input data' });
    const table = await within(inputs).findByRole('table', { name: 'Basket items for this launch' });
    expect(within(table).getByRole('checkbox', { name: 'Select run_021034.DL0.fits.fz' })).not.toBeChecked();
    expect(within(table).getByRole('checkbox', { name: 'Select run_021035.DL0.fits.fz' })).toBeInTheDocument();
    expect(within(table).queryByText('run_021034.DL3.fits.fz')).not.toBeInTheDocument();
    expect(within(inputs).getByText(/1 other item of other or unknown data levels is hidden/)).toBeInTheDocument();
    expect(within(inputs).getByRole('radio', { name: /One job per file/ })).toBeChecked();
    expect(within(inputs).getByRole('radio', { name: /One job for all files/ })).not.toBeChecked();

    // "Show all" reveals the DL3 item; off again.
    const showAll = within(inputs).getByRole('switch', { name: 'Show all basket items (not only DL0)' });
    await user.click(showAll);
    expect(await within(inputs).findByRole('checkbox', { name: 'Select run_021034.DL3.fits.fz' })).toBeInTheDocument();
    // Read from the BFF without the level filter, the switch stays to turn it back on.
    const showAllOn = within(inputs).getByRole('switch', { name: 'Show all basket items (not only DL0)' });
    expect(showAllOn).toBeChecked();
    await user.click(showAllOn);
    await waitFor(() => expect(within(inputs).queryByText('run_021034.DL3.fits.fz')).not.toBeInTheDocument());

    // Nothing chosen: a clear message, and nothing is sent.
    await user.click(submitButton());
    const message = 'Choose at least one basket item for “DL0 file”: this workflow reads input files.';
    expect(await within(inputs).findByText(message)).toBeInTheDocument();
    expect(screen.getByText('Not submitted yet')).toBeInTheDocument();
    expect(screen.getByText('Choose the input files in “Input data”.')).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/launches/preview')).toHaveLength(0);
    expect(bff.requests('POST /bff/v1/launches')).toHaveLength(0);

    await user.click(within(inputs).getByRole('checkbox', { name: 'Select run_021034.DL0.fits.fz' }));
    expect(within(inputs).queryByText(message)).not.toBeInTheDocument();
    expect(within(inputs).getByText('Chosen: 1 item')).toBeInTheDocument();

    // The summary, on demand.
    await user.click(screen.getByRole('button', { name: 'Update summary' }));
    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(await within(summary).findByText('This launch will create 1 job.')).toBeInTheDocument();
    expect(within(summary).getByText('1 file · 1.8 GB')).toBeInTheDocument();
    // Said once on the page: the form counts jobs per input file in its own words.
    expect(screen.getAllByText(/^This launch will create/)).toHaveLength(1);
    expect(screen.getByText('These parameters make 1 job per input file.')).toBeInTheDocument();
    expect(within(summary).getByText('cta-dl0-dl3-reproc-0a1b2c3d')).toBeInTheDocument();
    expect(within(summary).getByLabelText('First job’s JDL')).toHaveTextContent('Executable = "./escape-job.sh";');
    expect(within(summary).getByText(/^corsika-run --runcard corsika_run1\.inp/)).toBeInTheDocument();

    await user.click(submitButton());
    await waitFor(() => expect(bff.requests('POST /bff/v1/launches')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/launches')[0]?.body).toMatchObject({
      workflowId: 'cta-dl0-dl3',
      inputItemIds: ['item-dl0-a'],
      inputMode: 'per-file',
      resources: { cores: 4, ramMB: 8192, wallTimeMinutes: 720 },
    });
  });

  it('marks the summary out of date when a parameter or a setting changes, until it is updated again', async () => {
    const bff = bffFor(catalogueFixture.corsika);
    const { user } = renderPage('corsika');
    await ready();
    const stale = /You changed something since this summary was made/;
    await user.click(screen.getByRole('button', { name: 'Update summary' }));
    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(await within(summary).findByText('This launch will create 1 job.')).toBeInTheDocument();
    expect(within(summary).queryByText(stale)).not.toBeInTheDocument();

    await user.type(textbox('Energy minimum (GeV)'), '0');
    expect(await within(summary).findByText(stale)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Update summary' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/launches/preview')).toHaveLength(2));
    await waitFor(() => expect(within(summary).queryByText(stale)).not.toBeInTheDocument());

    await user.type(textbox('Production name'), ' b');
    expect(await within(summary).findByText(stale)).toBeInTheDocument();
  });

  it('keeps what was entered across a reload of the tab (sessionStorage), and forgets it once submitted', async () => {
    bffFor(catalogueFixture.corsika, {
      'GET /bff/v1/productions/:id': makeProductionDetail(makeLaunch({ status: 'pending', submittedJobs: 0 })),
    });
    const first = renderPage('corsika');
    await ready();
    await first.user.clear(textbox('Cores'));
    await first.user.type(textbox('Cores'), '8');
    await first.user.clear(textbox('Production name'));
    await first.user.type(textbox('Production name'), 'Kept across reloads');
    await first.user.clear(textbox('Energy minimum (GeV)'));
    await first.user.type(textbox('Energy minimum (GeV)'), '42');
    first.unmount();

    const { user, router } = renderPage('corsika');
    await ready();
    expect(textbox('Cores')).toHaveValue('8');
    expect(textbox('Production name')).toHaveValue('Kept across reloads');
    expect(textbox('Energy minimum (GeV)')).toHaveValue('42');
    await user.click(submitButton());
    await waitFor(() => expect(router.state.location.pathname).toBe(`/productions/${LAUNCH_ID}`));
    expect(sessionStorage.getItem('escape-portal:launch-settings:corsika')).toBeNull();
  });

  it('reads the basket a page at a time, and launches every DL0 item of the basket without choosing them', async () => {
    const bff = bffFor(catalogueFixture.cta);
    const { user } = renderPage('cta-dl0-dl3');
    await ready();
    const inputs = screen.getByRole('region', { name: 'Input data' });
    const whole = await within(inputs).findByRole('switch', { name: /^Use every DL0 item in the basket \(2\)/ });
    await user.click(whole);
    expect(within(inputs).getByText('Chosen: every DL0 item in your basket (2)')).toBeInTheDocument();
    expect(within(inputs).getByRole('checkbox', { name: 'Select run_021034.DL0.fits.fz' })).toBeDisabled();
    // Where the data is, and the queues ranked for it: the basket's DL0 items, read by the BFF, not every level.
    await waitFor(() => expect(bff.requests('POST /bff/v1/basket/locality').at(-1)?.body).toMatchObject({ levels: ['DL0'] }));
    expect(bff.requests('POST /bff/v1/basket/locality').at(-1)?.body).not.toHaveProperty('itemIds');
    await waitFor(() =>
      expect(bff.requests('POST /bff/v1/resources/fit').at(-1)?.body).toMatchObject({ inputBasket: { levels: ['DL0'] } }),
    );
    await user.click(submitButton());
    await waitFor(() => expect(bff.requests('POST /bff/v1/launches')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/launches')[0]?.body).toMatchObject({ inputItemIds: [], inputBasket: { levels: ['DL0'] } });
    // Every read of the basket was one page, never the whole basket.
    const reads = bff.requests('GET /bff/v1/basket');
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) expect(r.query.get('limit')).toBe('50');
  });

  it('an empty basket shows the way to the basket', async () => {
    bffFor(catalogueFixture.cta, { 'GET /bff/v1/basket': basketOf([]) });
    renderPage('cta-dl0-dl3');
    await ready();
    const inputs = screen.getByRole('region', { name: 'Input data' });
    expect(await within(inputs).findByRole('heading', { name: 'Your basket is empty' })).toBeInTheDocument();
    expect(within(inputs).getByRole('link', { name: 'Go to the basket' })).toHaveAttribute('href', '/basket');
  });

  it('puts a 400’s issues on the right fields and keeps what was entered', async () => {
    const bff = bffFor(catalogueFixture.corsika, {
      'POST /bff/v1/launches': problem(400, 'VALIDATION', 'values.ERANGE_MIN: Above what the CORSIKA build supports', {
        issues: [{ path: 'values.ERANGE_MIN', message: 'Above what the CORSIKA build supports' }],
      }),
    });
    const { user, router } = renderPage('corsika');
    await ready();
    const min = textbox('Energy minimum (GeV)');
    await user.clear(min);
    await user.type(min, '5000');
    const name = textbox('Production name');
    await user.clear(name);
    await user.type(name, 'High energy gammas');

    await user.click(submitButton());
    expect(await screen.findByText('The launch was not submitted')).toBeInTheDocument();
    await waitFor(() => expect(min).toHaveAttribute('aria-invalid', 'true'));
    expect(describedBy(min)).toContain('Above what the CORSIKA build supports');
    expect(min).toHaveFocus();
    expect(min).toHaveValue('5000');
    expect(name).toHaveValue('High energy gammas');
    expect(router.state.location.pathname).toBe('/workflows/corsika/launch');
    expect(bff.requests('POST /bff/v1/launches')[0]?.body).toMatchObject({
      name: 'High energy gammas',
      values: expect.objectContaining({ ERANGE_MIN: 5000 }),
    });
  });

  it('puts an inputItemIds issue on the input data section', async () => {
    bffFor(catalogueFixture.cta, {
      'POST /bff/v1/launches/preview': problem(400, 'VALIDATION', '1 input item(s) are no longer in your basket', {
        issues: [{ path: 'inputItemIds', message: 'missing: item-dl0-b' }],
      }),
    });
    const { user } = renderPage('cta-dl0-dl3');
    await ready();
    const inputs = screen.getByRole('region', { name: 'Input data' });
    await user.click(await within(inputs).findByRole('checkbox', { name: 'Select run_021035.DL0.fits.fz' }));
    await user.click(submitButton());
    expect(await within(inputs).findByText('1 input item(s) are no longer in your basket (missing: item-dl0-b)')).toBeInTheDocument();
    expect(within(inputs).getByRole('checkbox', { name: 'Select run_021035.DL0.fits.fz' })).toBeChecked();
  });

  it('reuses the idempotency key when retrying after an error, and renews it when the inputs change', async () => {
    let calls = 0;
    const bff = bffFor(catalogueFixture.corsika, {
      'POST /bff/v1/launches': () =>
        ++calls <= 2
          ? problem(503, 'UPSTREAM_UNREACHABLE', 'DiracX is unreachable')
          : json(makeLaunch({ status: 'pending', submittedJobs: 0 }), 202),
      'GET /bff/v1/productions/:id': makeProductionDetail(makeLaunch({ status: 'pending', submittedJobs: 0 })),
    });
    const { user, router } = renderPage('corsika');
    await ready();
    await user.click(submitButton());
    expect(await screen.findByText('DiracX is unreachable')).toBeInTheDocument();
    await waitFor(() => expect(submitButton()).toBeEnabled());
    await user.click(submitButton());
    await waitFor(() => expect(bff.requests('POST /bff/v1/launches')).toHaveLength(2));
    await waitFor(() => expect(submitButton()).toBeEnabled());
    const keys = () => bff.requests('POST /bff/v1/launches').map((r) => (r.body as { idempotencyKey: string }).idempotencyKey);
    expect(keys()[1]).toBe(keys()[0]);

    // A different request is a different launch: a new key.
    const name = textbox('Production name');
    await user.clear(name);
    await user.type(name, 'Second try');
    await user.click(submitButton());
    await waitFor(() => expect(router.state.location.pathname).toBe(`/productions/${LAUNCH_ID}`));
    expect(keys()).toHaveLength(3);
    expect(keys()[2]).not.toBe(keys()[0]);
  });

  it('picks one of several published versions (newest by default) and launches the one shown', async () => {
    const v2 = { ...catalogueFixture.hello, catalogueVersion: 2, version: '1.1', sha256: 'b'.repeat(64) };
    const versions = [
      { version: 2, toolVersion: '1.1', createdAt: '2026-12-02T00:00:00.000Z' },
      { version: 1, toolVersion: '1.0', createdAt: '2026-12-01T00:00:00.000Z' },
    ];
    const bff = bffFor(catalogueFixture.hello, {
      'GET /bff/v1/workflows/hello-world': (req) =>
        req.query.get('version') === '3'
          ? problem(409, 'CONFLICT', 'Version 3 of "hello-world" is disabled; choose another version (the newest is 2)')
          : json(req.query.get('version') === '1' ? { ...catalogueFixture.hello, versions } : { ...v2, versions }),
      'POST /bff/v1/launches/preview': previewOf(),
    });
    const { user, router } = renderPage('hello-world');
    await ready();
    const picker = screen.getByRole('combobox', { name: 'Version' });
    expect(picker).toHaveValue('2');
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['2 · 1.1 (newest)', '1 · 1.0']);
    await user.selectOptions(picker, '1');
    await waitFor(() => expect(router.state.location.search).toBe('?version=1'));
    expect(await screen.findByRole('combobox', { name: 'Version' })).toHaveValue('1');
    expect(bff.requests('GET /bff/v1/workflows/hello-world').at(-1)?.query.get('version')).toBe('1');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/launches')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/launches')[0]?.body).toMatchObject({ workflowId: 'hello-world', workflowVersion: 1 });

    // A version that can no longer be launched (disabled meanwhile) says so and offers the newest.
    await router.navigate('/workflows/hello-world/launch?version=3');
    expect(await screen.findByText('Version 3 of “hello-world” cannot be launched')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Use the newest version' }));
    expect(await screen.findByRole('combobox', { name: 'Version' })).toHaveValue('2');
    expect(router.state.location.search).toBe('');
  });

  it('“Relaunch with these inputs” on the production page prefills the launch page', async () => {
    const launched = makeLaunch({ descriptorSha256: catalogueFixture.corsika.sha256 });
    const bff = bffFor(catalogueFixture.corsika, {
      'GET /bff/v1/productions/:id': makeProductionDetail(launched, { state: 'completed' }),
      'GET /bff/v1/productions/:id/progress': { points: [], jobs: 0, truncated: false },
    });
    const { user, router } = renderWithProviders(null, {
      routes: [
        { path: '/workflows/:workflowId/launch', element: <LaunchWorkflowPage /> },
        { path: '/productions/:productionId', element: <ProductionPage /> },
      ],
      route: `/productions/${LAUNCH_ID}`,
    });
    await user.click(await screen.findByRole('button', { name: 'Relaunch with these inputs' }));
    await ready();
    expect(router.state.location.pathname).toBe('/workflows/corsika/launch');
    // The version the launch used.
    expect(router.state.location.search).toBe('?version=1');
    expect(screen.getByText('Filled in from an earlier launch. Change what you need, then submit.')).toBeInTheDocument();
    expect(textbox('Production name')).toHaveValue('Gamma sweep relaunch');
    expect(textbox('Energy minimum (GeV)')).toHaveValue('500');
    expect(screen.getByLabelText('Sweep Number of showers', { selector: 'input' })).toBeChecked();
    expect(textbox('Cores')).toHaveValue('2');
    expect(textbox('RAM (GB)')).toHaveValue('4');
    expect(textbox('Wall time (hours)')).toHaveValue('48');
    // The prefill is consumed: the history entry no longer carries it (a reload keeps later edits instead).
    await waitFor(() => expect(router.state.location.state).toBeNull());
    // The relaunch is pinned to the descriptor the launch used (its hash), not just to a version number.
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/launches')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/launches')[0]?.body).toMatchObject({
      workflowVersion: 1,
      descriptorSha256: catalogueFixture.corsika.sha256,
    });
  });

  it('relaunches a stage-first launch stage-first at the same site, and keeps the choice in a draft', async () => {
    const PIC = 'HPC.MareNostrum.es';
    const launched = makeLaunch({
      name: 'DL0 reproc',
      workflowId: 'cta-dl0-dl3',
      descriptorSha256: catalogueFixture.cta.sha256,
      request: {
        name: 'DL0 reproc',
        workflowId: 'cta-dl0-dl3',
        values: {},
        inputItemIds: ['item-dl0-a'],
        inputMode: 'per-file',
        resources: { cores: 4, sites: [PIC] },
        stageAt: PIC,
      },
    });
    const bff = bffFor(catalogueFixture.cta, {
      'POST /bff/v1/basket/locality': {
        summary: { ...emptyLocality, files: 1, sites: [siteLocality({ site: PIC, stageFiles: 1, stageBytes: 1_800_000_000 })] },
        files: [],
        page: 1,
        perPage: 1,
        total: 1,
      },
      'POST /bff/v1/launch-drafts': (req) =>
        json({ id: '00000000-0000-4000-8000-000000000001', ...(req.body as object), createdAt: 'x', updatedAt: 'x' }, 201),
    });
    const { user } = renderPage('cta-dl0-dl3', relaunchStateFor(launched));
    await ready();
    const choice = await screen.findByRole('checkbox', { name: new RegExp(`^Stage first: bring 1 file .* to disk at ${escape(PIC)}`) });
    expect(choice).toBeChecked();

    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save draft' });
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/launch-drafts')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/launch-drafts')[0]!.body).toMatchObject({
      content: { settings: { stageFirst: true, resources: { site: PIC }, inputItemIds: ['item-dl0-a'] } },
    });

    await user.click(submitButton());
    await waitFor(() => expect(bff.requests('POST /bff/v1/launches')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/launches')[0]?.body).toMatchObject({ stageAt: PIC, resources: { sites: [PIC] } });
  });

  it('saves the page as a server-side draft, opens it again, saves over it, renames and deletes it', async () => {
    type Stored = { id: string; name: string; workflowId: string; content: unknown; createdAt: string; updatedAt: string };
    const stored: Stored[] = [];
    const summary = ({ content: _c, ...rest }: Stored) => rest;
    const bff = bffFor(catalogueFixture.corsika, {
      'GET /bff/v1/launch-drafts': () => json({ items: stored.map(summary) }),
      'POST /bff/v1/launch-drafts': (req) => {
        const body = req.body as Omit<Stored, 'id' | 'createdAt' | 'updatedAt'>;
        const d = {
          id: `00000000-0000-4000-8000-00000000000${stored.length + 1}`,
          ...body,
          createdAt: '2026-11-25T21:00:00.000Z',
          updatedAt: '2026-11-25T21:00:00.000Z',
        };
        stored.push(d);
        return json(d, 201);
      },
      'GET /bff/v1/launch-drafts/:id': (req) => json(stored.find((d) => d.id === req.params.id)),
      'PATCH /bff/v1/launch-drafts/:id': (req) => {
        const d = stored.find((x) => x.id === req.params.id)!;
        Object.assign(d, req.body as object);
        return json(d);
      },
      'DELETE /bff/v1/launch-drafts/:id': (req) => {
        stored.splice(
          stored.findIndex((x) => x.id === req.params.id),
          1,
        );
        return new Response(null, { status: 204 });
      },
    });
    const { user } = renderPage('corsika');
    await ready();
    await user.clear(textbox('Cores'));
    await user.type(textbox('Cores'), '8');
    await user.clear(textbox('Production name'));
    await user.type(textbox('Production name'), 'Gamma scan');

    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    let dialog = await screen.findByRole('dialog', { name: 'Save draft' });
    expect(within(dialog).getByLabelText('Draft name')).toHaveValue('Gamma scan');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByText('Draft: “Gamma scan”')).toBeInTheDocument();
    const [created] = bff.requests('POST /bff/v1/launch-drafts');
    expect(created!.body).toMatchObject({
      name: 'Gamma scan',
      workflowId: 'corsika',
      content: { settings: { name: 'Gamma scan', resources: { cores: '8' } }, form: { values: { ERANGE_MIN: 10 } } },
    });

    // Change the page, then open the draft: the page is as it was saved.
    await user.clear(textbox('Cores'));
    await user.type(textbox('Cores'), '2');
    await user.click(screen.getByRole('button', { name: 'Open draft' }));
    dialog = await screen.findByRole('dialog', { name: 'Open draft' });
    await user.click(await within(dialog).findByRole('button', { name: 'Open “Gamma scan”' }));
    expect(
      await screen.findByText('Opened the draft “Gamma scan”. Change what you need, then save it again or submit.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(textbox('Cores')).toHaveValue('8'));
    expect(textbox('Production name')).toHaveValue('Gamma scan');

    // Save over it.
    await user.clear(textbox('Cores'));
    await user.type(textbox('Cores'), '16');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    dialog = await screen.findByRole('dialog', { name: 'Save draft' });
    await user.click(within(dialog).getByRole('button', { name: 'Save over “Gamma scan”' }));
    await waitFor(() => expect(bff.requests('PATCH /bff/v1/launch-drafts/:id')).toHaveLength(1));
    expect(bff.requests('PATCH /bff/v1/launch-drafts/:id')[0]!.body).toMatchObject({
      name: 'Gamma scan',
      content: { settings: { resources: { cores: '16' } } },
    });

    // Rename, then delete it from the list.
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: 'Open draft' }));
    dialog = await screen.findByRole('dialog', { name: 'Open draft' });
    await user.click(await within(dialog).findByRole('button', { name: 'Rename “Gamma scan”' }));
    const field = within(dialog).getByLabelText('New name for “Gamma scan”');
    await user.clear(field);
    await user.type(field, 'Gamma scan v2');
    await user.click(within(dialog).getByRole('button', { name: 'Rename' }));
    expect(await within(dialog).findByText('Gamma scan v2')).toBeInTheDocument();
    expect(screen.getByText('Draft: “Gamma scan v2”')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Delete “Gamma scan v2”' }));
    await user.click(within(dialog).getByRole('button', { name: 'Really delete “Gamma scan v2”' }));
    expect(await within(dialog).findByText(/You have no draft of this workflow yet/)).toBeInTheDocument();
    expect(screen.queryByText(/^Draft: /)).not.toBeInTheDocument();
  }, 180_000);
});
