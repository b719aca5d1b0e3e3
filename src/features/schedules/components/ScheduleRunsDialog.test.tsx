import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ScheduleRun } from '../../../contracts/schedules.ts';
import { mockBff } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { makeSchedule } from '../testing/schedule-fixtures.ts';
import { ScheduleRunsDialog } from './ScheduleRunsDialog.tsx';

const run = (over: Partial<ScheduleRun>): ScheduleRun => ({
  id: '55555555-5555-4555-8555-555555555555',
  slotTime: '2026-03-02T01:00:00.000Z',
  manual: false,
  status: 'submitted',
  launchId: 'l1',
  jobGroup: 'dl0-nightly-1',
  jobIds: [7, 8],
  error: null,
  filesTaken: 2,
  filesLeft: 0,
  note: 'Took 2 new files.',
  createdAt: '',
  updatedAt: '',
  ...over,
});

describe('ScheduleRunsDialog (saved-query schedule)', () => {
  it('shows per run what it took, lists the files on demand, and words a run that found nothing new', async () => {
    const schedule = makeSchedule({ source: { kind: 'catalogue', filters: { projectId: 'P1' } } });
    const took = run({});
    const nothing = run({
      id: '66666666-6666-4666-8666-666666666666',
      slotTime: '2026-03-03T01:00:00.000Z',
      status: 'skipped',
      launchId: null,
      jobGroup: null,
      jobIds: [],
      filesTaken: 0,
      note: 'Nothing new: every matching file was processed by an earlier run; nothing was submitted.',
    });
    const bff = mockBff({
      'GET /bff/v1/schedules/:id': { ...schedule, runs: [nothing, took] },
      'GET /bff/v1/schedules/:id/files': {
        items: [
          { ref: '/cta/P1/DL0/run_1.fits.fz', name: 'run_1.fits.fz', kind: 'lfn', sizeBytes: 2_000_000 },
          { ref: '/cta/P1/DL0/run_2.fits.fz', name: 'run_2.fits.fz', kind: 'lfn', sizeBytes: null },
        ],
        total: 2,
      },
    });
    const { user } = renderWithProviders(<ScheduleRunsDialog schedule={schedule} onClose={() => {}} />);
    const table = await screen.findByRole('table');
    const [first, second] = within(table).getAllByRole('row').slice(1) as HTMLElement[];
    expect(first).toHaveTextContent('Nothing new');
    expect(first).toHaveTextContent('nothing was submitted');
    expect(within(first!).queryByRole('button', { name: /Show the/ })).toBeNull();
    expect(second).toHaveTextContent('Took 2 new files.');
    expect(bff.requests('GET /bff/v1/schedules/:id/files')).toHaveLength(0); // loaded when opened
    await user.click(within(second!).getByRole('button', { name: 'Show the 2 files' }));
    const list = await within(second!).findByRole('list', { name: 'Files this run took' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['run_1.fits.fz/cta/P1/DL0/run_1.fits.fz · 2 MB', 'run_2.fits.fz/cta/P1/DL0/run_2.fits.fz']);
    expect(bff.requests('GET /bff/v1/schedules/:id/files')[0]!.query.get('runId')).toBe(took.id);
  }, 30_000);
});
