import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeJob, makeJobDetail, makeJobPage, makeMe } from '../../../shared/testing/fixtures.ts';
import { deferred, json, mockBff, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { JobsPage } from './JobsPage.tsx';

const summary = {
  counts: [
    { status: 'Done', count: 2 },
    { status: 'Failed', count: 1 },
  ],
  total: 3,
};
const jobs = [
  makeJob({ jobId: 503, jobName: 'gamma', status: 'Failed' }),
  makeJob({ jobId: 502, jobName: 'beta', status: 'Done' }),
  makeJob({ jobId: 501, jobName: 'alpha', status: 'Done' }),
];

const noTimeline = { days: [{ day: '2026-11-25', counts: {} }] };

function render(route = '/jobs', me = makeMe()) {
  return renderWithProviders(<JobsPage />, { route, path: '/jobs', me, extraRoutes: [{ path: '/jobs/:jobId', element: <h1>Job</h1> }] });
}

// The page (MUI chrome, chart, grid) is slow to render in jsdom on a busy machine: generous timeouts, no timing asserted.
describe('JobsPage (job monitor)', { timeout: 60_000 }, () => {
  it('shows the jobs in a grid with the status summary; a summary chip filters through the URL', async () => {
    const bff = mockBff({
      'GET /bff/v1/jobs': (req) => json(makeJobPage(req.query.get('status') === 'Failed' ? jobs.slice(0, 1) : jobs)),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
    });
    const { user, router } = render();
    const grid = await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    expect(within(grid).getByRole('link', { name: '503' })).toHaveAttribute('href', '/jobs/503');
    expect(within(grid).getByText('gamma')).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Failed 1' }));
    await waitFor(() => expect(router.state.location.search).toBe('?status=Failed'));
    await waitFor(() => expect(within(screen.getByRole('grid')).queryByText('beta')).not.toBeInTheDocument());
    expect(bff.requests('GET /bff/v1/jobs').at(-1)?.url.searchParams.get('status')).toBe('Failed');
    // the summary is asked for the filters without the status (it is the quick filter)
    expect(bff.requests('GET /bff/v1/jobs/summary').every((r) => !r.url.searchParams.has('status'))).toBe(true);
    expect(screen.getByRole('button', { name: 'Failed 1' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('asks for the chart (one DiracX summary) only after the rows, once no search is running', async () => {
    const search = deferred();
    const bff = mockBff({
      'GET /bff/v1/jobs': search.handler,
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
    });
    render();
    await waitFor(() => expect(bff.requests('GET /bff/v1/jobs')).toHaveLength(1));
    expect(await screen.findByRole('button', { name: 'Failed 1' })).toBeInTheDocument();
    // the summary is in, the search is still running: no timeline yet
    expect(bff.requests('GET /bff/v1/jobs/timeline')).toHaveLength(0);
    search.resolve(json(makeJobPage(jobs)));
    await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    await waitFor(() => expect(bff.requests('GET /bff/v1/jobs/timeline')).toHaveLength(1), { timeout: 10_000 });
  });

  it('keeps the previous rows, marked busy, while a sort loads (asked for once)', async () => {
    const sorted = deferred();
    const bff = mockBff({
      'GET /bff/v1/jobs': (req) => (req.query.get('sort') === 'JobName' ? sorted.promise : json(makeJobPage(jobs))),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
    });
    const { user, router } = render();
    const grid = await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    expect(grid).not.toHaveAttribute('aria-busy');
    expect(screen.queryByRole('progressbar', { name: 'Refreshing jobs' })).not.toBeInTheDocument();
    await user.click(within(grid).getByRole('button', { name: 'Name' }));
    await waitFor(() => expect(router.state.location.search).toBe('?sort=JobName'));
    expect(bff.requests('GET /bff/v1/jobs').filter((r) => r.url.searchParams.get('sort') === 'JobName')).toHaveLength(1);
    // the answer is not in: the old rows stay, the grid says it is busy and already shows the new sort;
    // the progress bar only once the wait is long (a quick sort does not animate one)
    expect(screen.getByRole('grid')).toHaveAttribute('aria-busy', 'true');
    expect(screen.queryByRole('progressbar', { name: 'Refreshing jobs' })).not.toBeInTheDocument();
    expect(await screen.findByRole('progressbar', { name: 'Refreshing jobs' })).toBeInTheDocument();
    expect(within(screen.getByRole('grid')).getByRole('link', { name: '503' })).toBeInTheDocument();
    expect(within(screen.getByRole('grid')).getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
    sorted.resolve(json(makeJobPage([jobs[2]!, jobs[1]!])));
    await waitFor(() => expect(screen.getByRole('grid')).not.toHaveAttribute('aria-busy'));
    expect(screen.queryByRole('progressbar', { name: 'Refreshing jobs' })).not.toBeInTheDocument();
    expect(within(screen.getByRole('grid')).queryByRole('link', { name: '503' })).not.toBeInTheDocument();
    const rows = within(screen.getByRole('grid')).getAllByRole('row');
    expect(within(rows[1]!).getByRole('link')).toHaveTextContent('501');
    // a job's link (a plain <a>, no router Link per row) opens the job in the app
    expect(within(rows[1]!).getByRole('link')).toHaveAttribute('href', '/jobs/501');
    await user.click(within(rows[1]!).getByRole('link'));
    expect(await screen.findByRole('heading', { name: 'Job' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/jobs/501');
  });

  it('opens a row menu by right click or Shift+F10: the status history and the sandboxes in a dialog', async () => {
    const bff = mockBff({
      'GET /bff/v1/jobs': makeJobPage(jobs),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
      'GET /bff/v1/jobs/:id': makeJobDetail({ jobId: 502, status: 'Done' }),
      'GET /bff/v1/jobs/:id/sandboxes': { sandboxes: [] },
    });
    const { user } = render();
    const grid = await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    const row = within(grid).getAllByRole('row')[2]!;
    fireEvent.contextMenu(within(row).getAllByRole('gridcell')[2]!);
    const menu = await screen.findByRole('menu', { name: 'Job 502' });
    await user.click(within(menu).getByRole('menuitem', { name: 'Status history' }));
    const dialog = await screen.findByRole('dialog', { name: 'Status history of job 502' });
    expect(await within(dialog).findByText('Pilot Agent Submission')).toBeInTheDocument();
    expect(bff.requests('GET /bff/v1/jobs/:id').map((r) => r.url.pathname)).toContain('/bff/v1/jobs/502');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // the keyboard: Shift+F10 on a focused cell of the first row
    within(within(grid).getAllByRole('row')[1]!).getAllByRole('gridcell')[2]!.focus();
    await user.keyboard('{Shift>}{F10}{/Shift}');
    const keyMenu = await screen.findByRole('menu', { name: 'Job 503' });
    await user.click(within(keyMenu).getByRole('menuitem', { name: 'Sandboxes and downloads' }));
    const sandboxes = await screen.findByRole('dialog', { name: 'Sandboxes of job 503' });
    expect(await within(sandboxes).findByText(/no sandboxes yet/)).toBeInTheDocument();
  });

  it('copies the selected job ids, comma-separated', async () => {
    mockBff({ 'GET /bff/v1/jobs': makeJobPage(jobs), 'GET /bff/v1/jobs/timeline': noTimeline, 'GET /bff/v1/jobs/summary': summary });
    const { user } = render();
    const grid = await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    expect(screen.getByRole('button', { name: 'Copy ids' })).toBeDisabled();
    for (const row of within(grid).getAllByRole('row').slice(1, 3)) await user.click(within(row).getByRole('checkbox'));
    await user.click(screen.getByRole('button', { name: 'Copy ids (2)' }));
    expect(await navigator.clipboard.readText()).toBe('503,502');
    expect(await screen.findByText('2 job ids copied to the clipboard')).toBeInTheDocument();
  });

  it('says when an export holds only the first 10,000 jobs of the view', async () => {
    const bff = mockBff({
      'GET /bff/v1/jobs': makeJobPage(jobs, { total: 25_000 }),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
      'GET /bff/v1/jobs/export': () =>
        new Response('jobId\r\n', { headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="jobs-x.csv"' } }),
    });
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { user } = render();
    await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText(/the export holds the first 10,000 of 25,000 jobs/i)).toBeInTheDocument();
    expect(bff.requests('GET /bff/v1/jobs/export')).toHaveLength(1);
    click.mockRestore();
  });

  it('reads the whole view from the URL, sends it to the BFF and reports bad values while keeping the rest', async () => {
    const bff = mockBff({
      'GET /bff/v1/jobs': makeJobPage(jobs),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
    });
    render('/jobs?site=LCG.CERN.cern&status=Bogus&sort=JobName&order=asc&perPage=50&page=2');
    expect(await screen.findByText(/invalid values for status/)).toBeInTheDocument();
    await waitFor(() => expect(bff.requests('GET /bff/v1/jobs')).toHaveLength(1));
    const sent = bff.requests('GET /bff/v1/jobs')[0]!.url.searchParams;
    expect(Object.fromEntries(sent)).toEqual({ site: 'LCG.CERN.cern', sort: 'JobName', order: 'asc', perPage: '50', page: '2' });
    expect(screen.getByLabelText('Site')).toHaveValue('LCG.CERN.cern');
  });

  it('applies text filters on submit, with field errors for bad values; the owner filter is for PIs only', async () => {
    mockBff({ 'GET /bff/v1/jobs': makeJobPage(jobs), 'GET /bff/v1/jobs/timeline': noTimeline, 'GET /bff/v1/jobs/summary': summary });
    const { user, router } = render();
    await screen.findByRole('grid', {}, { timeout: 20_000 });
    expect(screen.queryByLabelText('Owner')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('JobGroup'), 'prod-7');
    await user.type(screen.getByLabelText('Search (job id or name)'), 'gam{Enter}');
    await waitFor(() => expect(router.state.location.search).toBe('?jobGroup=prod-7&q=gam'));
  });

  it('lets a PI filter by owner', async () => {
    mockBff({ 'GET /bff/v1/jobs': makeJobPage(jobs), 'GET /bff/v1/jobs/timeline': noTimeline, 'GET /bff/v1/jobs/summary': summary });
    const { user, router } = render('/jobs', makeMe({ role: 'pi' }));
    await user.type(await screen.findByLabelText('Owner'), 'alice{Enter}');
    await waitFor(() => expect(router.state.location.search).toBe('?owner=alice'));
  });

  it('shows "no match" with Clear filters, and the BFF’s message for a refused filter', async () => {
    mockBff({
      'GET /bff/v1/jobs': (req) =>
        req.query.get('site') === 'X' ? json(makeJobPage([], { total: 0 })) : problem(400, 'VALIDATION', 'You can only see your own jobs'),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': { counts: [], total: 0 },
    });
    const { user, router } = render('/jobs?site=X');
    expect(await screen.findByText('No jobs match these filters')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
    expect(await screen.findByText('You can only see your own jobs')).toBeInTheDocument();
  });

  it('kills the selected jobs behind a confirm dialog (Cancel focused) and reports which failed and why', async () => {
    const bff = mockBff({
      'GET /bff/v1/jobs': makeJobPage(jobs),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
      'POST /bff/v1/jobs/actions': { action: 'kill', succeeded: [503], failed: [{ jobId: 502, reason: 'DiracX: not allowed' }] },
    });
    const { user } = render();
    const grid = await screen.findByRole('grid', {}, { timeout: 20_000 });
    expect(screen.getByRole('button', { name: 'Kill' })).toBeDisabled();
    await user.click(within(grid).getAllByRole('checkbox', { name: /select row/i })[0]!);
    await user.click(within(grid).getAllByRole('checkbox', { name: /select row/i })[1]!);
    await user.click(screen.getByRole('button', { name: 'Kill (2)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Kill 2 jobs?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Kill' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('1 job killed, 1 failed')).toBeInTheDocument();
    expect(screen.getByText('Job 502: DiracX: not allowed')).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/jobs/actions')[0]?.body).toEqual({ action: 'kill', jobIds: [503, 502] });
    // the failed job stays selected for another try
    expect(await screen.findByRole('button', { name: 'Kill (1)' })).toBeEnabled();
  });

  it('shows the empty state with a way to launch a first job', async () => {
    mockBff({
      'GET /bff/v1/jobs': makeJobPage([]),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': { counts: [], total: 0 },
    });
    render();
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Launch Hello world' })).toHaveAttribute('href', '/');
  });

  it('shows a load error with Retry', async () => {
    mockBff({
      'GET /bff/v1/jobs': problem(503, 'UPSTREAM_UNREACHABLE', 'DiracX is not reachable right now.'),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
    });
    render();
    expect(await screen.findByText('DiracX is not reachable right now.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('shows and hides any attribute from the Columns panel: kept in the URL and as the user’s default', { timeout: 120_000 }, async () => {
    localStorage.clear();
    mockBff({
      'GET /bff/v1/jobs': makeJobPage([makeJob({ jobId: 503, userPriority: 7, heartBeatTime: '2026-12-05T08:00:00' })]),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
    });
    const { user, router, unmount } = render();
    const grid = await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    expect(within(grid).queryByRole('columnheader', { name: 'Priority' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Columns' }));
    // the 19 attributes diracx-web's monitor shows, each shown/hidden and pinned from here
    const all = ['Job ID', 'Name', 'Status', 'Minor status', 'Application status', 'Site', 'JobGroup', 'Job type', 'Owner'];
    all.push(
      'Owner group',
      'VO',
      'Priority',
      'Reschedules',
      'Submitted',
      'Started',
      'Ended',
      'Last update',
      'Last sign of life',
      'Rescheduled',
    );
    for (const name of all) {
      expect(await screen.findByRole('checkbox', { name })).toBeInTheDocument();
      expect(screen.getByRole('button', { name: `Pin ${name}` })).toBeInTheDocument();
    }
    await user.click(await screen.findByRole('checkbox', { name: 'Priority' }));
    await user.click(screen.getByRole('checkbox', { name: 'Site' }));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('columns')).toContain('userPriority'));
    const columns = new URLSearchParams(router.state.location.search).get('columns')!.split(',');
    expect(columns).not.toContain('site');
    expect(columns).toContain('jobName');
    expect(await within(screen.getByRole('grid')).findByRole('columnheader', { name: 'Priority' })).toBeInTheDocument();
    expect(within(screen.getByRole('grid')).getByText('7')).toBeInTheDocument();
    // remembered for this user (and instance) as the default of a link without columns
    expect(JSON.parse(localStorage.getItem('escape-portal:monitor-columns:local:alice')!)).toEqual(columns);
    unmount();
    render();
    const again = await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    expect(within(again).getByRole('columnheader', { name: 'Priority' })).toBeInTheDocument();
    expect(within(again).queryByRole('columnheader', { name: 'Site' })).not.toBeInTheDocument();
  });

  it('pins columns from the Columns panel and pages by up to 1,000 rows, both kept in the URL', { timeout: 120_000 }, async () => {
    localStorage.clear();
    const bff = mockBff({
      'GET /bff/v1/jobs': makeJobPage(jobs),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
    });
    const { user, router } = render();
    await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    await user.click(screen.getByRole('button', { name: 'Columns' }));
    await user.click(await screen.findByRole('button', { name: 'Pin Site' }));
    expect(await screen.findByRole('button', { name: 'Pin Site' })).toHaveAttribute('aria-pressed', 'true');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('pin')).toBe('site'));
    // the pinned column comes first, after the checkboxes
    expect(within(screen.getByRole('grid')).getAllByRole('columnheader')[1]).toHaveTextContent('Site');
    await user.click(screen.getByRole('combobox', { name: /rows per page/i }));
    await user.click(await screen.findByRole('option', { name: '1000' }));
    await waitFor(() => expect(bff.requests('GET /bff/v1/jobs').at(-1)?.url.searchParams.get('perPage')).toBe('1000'));
    expect(new URLSearchParams(router.state.location.search).get('pin')).toBe('site');
  });

  it('never trusts stored or linked columns: bad values fall back to the default, a bad link is named', async () => {
    localStorage.setItem('escape-portal:monitor-columns:local:alice', '["jobId","__proto__"]');
    mockBff({ 'GET /bff/v1/jobs': makeJobPage(jobs), 'GET /bff/v1/jobs/timeline': noTimeline, 'GET /bff/v1/jobs/summary': summary });
    render('/jobs?columns=jobId,password');
    expect(await screen.findByText(/invalid values for columns/)).toBeInTheDocument();
    const grid = await screen.findByRole('grid', { name: /your jobs/i }, { timeout: 20_000 });
    expect(within(grid).getByRole('columnheader', { name: 'Site' })).toBeInTheDocument();
    expect(within(grid).getByRole('columnheader', { name: 'Name' })).toBeInTheDocument();
  });

  it(
    'searches by any attribute and operator (checked before it is sent), each condition a chip, all cleared at once',
    { timeout: 120_000 },
    async () => {
      const bff = mockBff({
        'GET /bff/v1/jobs': makeJobPage(jobs),
        'GET /bff/v1/jobs/timeline': noTimeline,
        'GET /bff/v1/jobs/summary': summary,
      });
      localStorage.clear(); // no columns saved by an earlier test as this user's default
      const { user, router } = render('/jobs?where=Status:in:Done,Failed');
      expect(await screen.findByRole('button', { name: 'Remove condition Status in Done, Failed' })).toBeInTheDocument();
      // a text attribute (the first one offered) takes every operator diracx-web's search bar has
      await user.click(screen.getByRole('combobox', { name: 'Operator' }));
      expect((await screen.findAllByRole('option')).map((o) => o.textContent)).toEqual(
        expect.arrayContaining(['=', '≠', '<', '>', 'like', 'not like', 'in', 'not in']),
      );
      await user.keyboard('{Escape}');
      await user.click(screen.getByRole('combobox', { name: 'Attribute' }));
      await user.click(await screen.findByRole('option', { name: 'UserPriority' }));
      await user.click(screen.getByRole('combobox', { name: 'Operator' }));
      expect(screen.queryByRole('option', { name: 'like' })).not.toBeInTheDocument(); // no patterns on numbers
      await user.click(screen.getByRole('option', { name: '>' }));
      await user.type(screen.getByLabelText('Value'), 'high{Enter}');
      expect(await screen.findByText('UserPriority is a whole number')).toBeInTheDocument();
      await user.clear(screen.getByLabelText('Value'));
      await user.type(screen.getByLabelText('Value'), '3{Enter}');
      await waitFor(() =>
        expect(new URLSearchParams(router.state.location.search).getAll('where')).toEqual(['Status:in:Done,Failed', 'UserPriority:gt:3']),
      );
      await waitFor(() =>
        expect(bff.requests('GET /bff/v1/jobs').at(-1)?.url.searchParams.getAll('where')).toEqual([
          'Status:in:Done,Failed',
          'UserPriority:gt:3',
        ]),
      );
      // a chip is removed with the keyboard
      screen.getByRole('button', { name: 'Remove condition Status in Done, Failed' }).focus();
      await user.keyboard('{Delete}');
      await waitFor(() => expect(new URLSearchParams(router.state.location.search).getAll('where')).toEqual(['UserPriority:gt:3']));
      await user.click(screen.getByRole('button', { name: 'Clear search' }));
      await waitFor(() => expect(router.state.location.search).toBe(''));
    },
  );

  it('groups the chart by another attribute, in the URL; only the status grouping leaves the status filter out', async () => {
    const bff = mockBff({
      'GET /bff/v1/jobs': makeJobPage(jobs),
      'GET /bff/v1/jobs/timeline': noTimeline,
      'GET /bff/v1/jobs/summary': summary,
    });
    const { user, router } = render('/jobs?status=Failed');
    await user.click(await screen.findByRole('combobox', { name: 'Group by' }, { timeout: 20_000 }));
    await user.click(await screen.findByRole('option', { name: 'site' }));
    await waitFor(() => expect(router.state.location.search).toBe('?status=Failed&chartBy=Site'));
    await waitFor(() => expect(bff.requests('GET /bff/v1/jobs/timeline').at(-1)?.url.searchParams.get('groupBy')).toBe('Site'));
    expect(bff.requests('GET /bff/v1/jobs/timeline').at(-1)?.url.searchParams.get('status')).toBe('Failed');
    expect(bff.requests('GET /bff/v1/jobs/timeline')[0]?.url.searchParams.has('status')).toBe(false);
    expect(screen.getByText(/by site$/)).toBeInTheDocument();
  });

  it('saves the current view under a name, applies it later, and imports views from a JSON file', { timeout: 120_000 }, async () => {
    localStorage.clear();
    mockBff({ 'GET /bff/v1/jobs': makeJobPage(jobs), 'GET /bff/v1/jobs/timeline': noTimeline, 'GET /bff/v1/jobs/summary': summary });
    const { user, router } = render('/jobs?status=Failed&where=Site:eq:A&page=2');
    await user.click(await screen.findByRole('button', { name: 'Views' }));
    let dialog = await screen.findByRole('dialog', { name: 'Saved views' });
    await user.type(within(dialog).getByLabelText('Name of this view'), 'Failed at A{Enter}');
    expect(await within(dialog).findByText('Saved "Failed at A"')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    await waitFor(() => expect(router.state.location.search).toBe('?status=Failed'));
    await user.click(screen.getByRole('button', { name: 'Views' }));
    dialog = await screen.findByRole('dialog', { name: 'Saved views' });
    const file = new File(
      [
        JSON.stringify({
          kind: 'escape-portal/monitor-views',
          version: 1,
          views: [
            { name: 'Priority', search: 'where=UserPriority:gt:3&columns=jobId,userPriority' },
            { name: 'Evil', search: 'where=Password:eq:x' },
          ],
        }),
      ],
      'views.json',
      { type: 'application/json' },
    );
    await user.upload(within(dialog).getByLabelText('Import views (JSON file)'), file);
    expect(await within(dialog).findByText(/Imported 1 view; refused "Evil"/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Priority' })).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Failed at A' }));
    await waitFor(() => expect(router.state.location.search).toBe('?status=Failed&where=Site%3Aeq%3AA'));
    // kept for this user across visits
    const stored = JSON.parse(localStorage.getItem('escape-portal:monitor-views:local:alice')!);
    expect(stored.views.map((v: { name: string }) => v.name)).toEqual(['Failed at A', 'Priority']);
  });
});
