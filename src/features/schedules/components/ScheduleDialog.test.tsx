import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockBff, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
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
});
