import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockBff, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { makeSchedule } from '../testing/schedule-fixtures.ts';
import { ScheduleDialog } from './ScheduleDialog.tsx';

const launch = { name: 'hello', workflowId: 'hello-world', values: { GREETING: 'Hello' } };

describe('ScheduleDialog', () => {
  it('shows the next runs, puts the BFF’s cron message on the field, and creates then starts the authorization', async () => {
    const bff = mockBff({
      'POST /bff/v1/schedules/preview': (req) => {
        const spec = (req.body as { spec: { recurrence: { kind: string; expression?: string } } }).spec;
        if (spec.recurrence.kind === 'cron' && spec.recurrence.expression === '61 * * * *')
          return problem(400, 'VALIDATION', 'expression: invalid cron expression', {
            issues: [{ path: 'spec.recurrence.expression', message: 'invalid cron expression: Invalid value for minute: 61' }],
          });
        return json({ nextRuns: ['2026-03-02T01:00:00.000Z'], description: 'checked by the BFF' });
      },
      'POST /bff/v1/schedules': () => json({ message: 'stop here' }, 500),
    });
    const { user } = renderWithProviders(<ScheduleDialog mode={{ kind: 'create', launch }} onClose={() => {}} />);
    expect(await screen.findByText(/Runs checked by the BFF/)).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Repeat'), 'cron');
    const expr = screen.getByLabelText('Cron expression');
    await user.clear(expr);
    await user.type(expr, '61 * * * *');
    expect(await screen.findByText('invalid cron expression: Invalid value for minute: 61')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create and authorize' }));
    expect(bff.requests('POST /bff/v1/schedules')).toHaveLength(0); // not sent while invalid
    await user.clear(expr);
    await user.type(expr, '0 3 * * 1');
    await waitFor(() => expect(screen.queryByText(/Invalid value for minute/)).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Create and authorize' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/schedules')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/schedules')[0]!.body).toMatchObject({
      name: 'hello',
      launch,
      spec: { recurrence: { kind: 'cron', expression: '0 3 * * 1' } },
    });
    expect(await screen.findByText('The schedule was not created')).toBeInTheDocument();
  }, 30_000);

  it('explains a too-frequent interval and an end before the start', async () => {
    mockBff({
      'POST /bff/v1/schedules/preview': () =>
        problem(400, 'VALIDATION', 'every: too often', {
          issues: [{ path: 'spec.recurrence.every', message: 'runs more often than the minimum interval of 5 minutes' }],
        }),
    });
    const { user } = renderWithProviders(<ScheduleDialog mode={{ kind: 'create', launch }} onClose={() => {}} />);
    await user.selectOptions(screen.getByLabelText('Repeat'), 'minutes');
    expect(await screen.findByText('runs more often than the minimum interval of 5 minutes')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Ends (optional)'), { target: { value: '2000-01-01T00:00' } });
    expect(await screen.findByText('the end must be after the start')).toBeInTheDocument();
  }, 30_000);

  const dl0 = { name: 'dl0', workflowId: 'cta-dl0-dl3', values: {}, inputItemIds: ['b1', 'b2'], inputMode: 'per-file' as const };
  const preview = () => json({ nextRuns: ['2026-03-02T01:00:00.000Z'], description: 'daily' });

  it('query mode: a Rucio dataset, checked before sending, with a per-run limit', async () => {
    const bff = mockBff({ 'POST /bff/v1/schedules/preview': preview, 'POST /bff/v1/schedules': () => json({ message: 'stop here' }, 500) });
    const { user } = renderWithProviders(<ScheduleDialog mode={{ kind: 'create', launch: dl0 }} onClose={() => {}} />);
    expect(screen.getByRole('radio', { name: /The 2 basket items chosen here/ })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: /A saved query/ }));
    await user.selectOptions(screen.getByLabelText('Search in'), 'rucio');
    await user.click(screen.getByRole('button', { name: 'Create and authorize' }));
    expect(await screen.findByText(/the scope must be 1 to 25 letters/)).toBeInTheDocument();
    expect(bff.requests('POST /bff/v1/schedules')).toHaveLength(0);
    await user.type(screen.getByLabelText(/Rucio scope/), 'cta');
    await user.type(screen.getByLabelText(/Dataset, container or name pattern/), 'lst1.dl0.2026');
    await user.type(screen.getByLabelText('At most files per run (optional)'), '200');
    await user.click(screen.getByRole('button', { name: 'Create and authorize' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/schedules')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/schedules')[0]!.body).toMatchObject({
      launch: dl0,
      source: { kind: 'rucio', scope: 'cta', name: 'lst1.dl0.2026', maxFilesPerRun: 200 },
    });
  }, 30_000);

  it('query mode: catalogue filters as in Find data; a snapshot stays the default and Hello world offers no query', async () => {
    const bff = mockBff({ 'POST /bff/v1/schedules/preview': preview, 'POST /bff/v1/schedules': () => json({ message: 'stop here' }, 500) });
    const { user, unmount } = renderWithProviders(<ScheduleDialog mode={{ kind: 'create', launch: dl0 }} onClose={() => {}} />);
    await user.click(screen.getByRole('radio', { name: /A saved query/ }));
    await user.type(screen.getByLabelText(/^Project/), 'CTA-LST1-2026-0042');
    await user.selectOptions(screen.getByLabelText('Data level'), 'DL0');
    await user.click(screen.getByRole('button', { name: 'Create and authorize' }));
    await waitFor(() => expect(bff.requests('POST /bff/v1/schedules')).toHaveLength(1));
    expect(bff.requests('POST /bff/v1/schedules')[0]!.body).toMatchObject({
      source: { kind: 'catalogue', filters: { projectId: 'CTA-LST1-2026-0042', dataLevel: 'DL0' } },
    });
    unmount();
    renderWithProviders(<ScheduleDialog mode={{ kind: 'create', launch: { ...launch, inputMode: 'none' } }} onClose={() => {}} />);
    expect(screen.queryByRole('radio', { name: /A saved query/ })).toBeNull();
  }, 30_000);

  it('says up front that a stage-first launch cannot be scheduled yet', async () => {
    mockBff({ 'POST /bff/v1/schedules/preview': preview });
    renderWithProviders(<ScheduleDialog mode={{ kind: 'create', launch: { ...dl0, stageAt: 'HPC.MareNostrum.es' } }} onClose={() => {}} />);
    expect(screen.getByRole('alert')).toHaveTextContent(/^“Stage first” is not available for schedules yet/);
  });

  it('editing a query schedule says processed files are not redone and sends the edited query', async () => {
    const bff = mockBff({ 'POST /bff/v1/schedules/preview': preview, 'PATCH /bff/v1/schedules/:id': () => json(makeSchedule()) });
    const schedule = makeSchedule({
      launch: { ...makeSchedule().launch, workflowId: 'cta-dl0-dl3', inputMode: 'per-file' },
      source: { kind: 'catalogue', filters: { projectId: 'P1' } },
    });
    const { user } = renderWithProviders(<ScheduleDialog mode={{ kind: 'edit', schedule }} onClose={() => {}} />);
    expect(screen.getByText(/Files processed by earlier runs are not taken again/)).toBeInTheDocument();
    expect(screen.queryByRole('radio', { name: /A saved query/ })).toBeNull();
    const project = screen.getByLabelText(/^Project/);
    expect(project).toHaveValue('P1');
    await user.clear(project);
    await user.type(project, 'P2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(bff.requests('PATCH /bff/v1/schedules/:id')).toHaveLength(1));
    expect(bff.requests('PATCH /bff/v1/schedules/:id')[0]!.body).toMatchObject({
      source: { kind: 'catalogue', filters: { projectId: 'P2' } },
    });
  }, 30_000);
});
