import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockBff, never, problem } from '../../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { makeSchedule } from '../testing/schedule-fixtures.ts';
import { SchedulesPage } from './SchedulesPage.tsx';

const renderPage = (route = '/schedules', me = {}) => renderWithProviders(<SchedulesPage />, { route, path: '/schedules', me });
const noNotes = { 'GET /bff/v1/notifications': { unread: 0, items: [] } };

describe('SchedulesPage', () => {
  it('shows a busy placeholder while loading', () => {
    mockBff({ ...noNotes, 'GET /bff/v1/schedules': never });
    renderPage();
    expect(screen.getByRole('status')).toHaveAttribute('aria-busy', 'true');
  });

  it('shows an error with a retry', async () => {
    mockBff({ ...noNotes, 'GET /bff/v1/schedules': problem(503, 'UPSTREAM_UNREACHABLE', 'The portal database is not reachable') });
    renderPage();
    expect(await screen.findByText('The portal database is not reachable')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('says how to make a schedule when there is none', async () => {
    mockBff({ ...noNotes, 'GET /bff/v1/schedules': { items: [] } });
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No schedules yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Choose a workflow' })).toHaveAttribute('href', '/workflows');
  });

  it('lists schedules with next run, the last run and its jobs (linked to the monitor), and pauses one', async () => {
    const lastRun = {
      id: 'r1',
      slotTime: '2026-03-01T01:00:00.000Z',
      manual: false,
      status: 'submitted' as const,
      launchId: 'l1',
      jobGroup: 'nightly-ab12cd34',
      jobIds: [42],
      error: null,
      filesTaken: null,
      filesLeft: null,
      note: null,
      createdAt: '',
      updatedAt: '',
    };
    const signIn = makeSchedule({
      id: '44444444-4444-4444-8444-444444444444',
      name: 'Revoked one',
      status: 'paused',
      credential: 'invalid',
      pausedReason: 'Sign in again to resume: DiracX no longer accepts the authorization for unattended runs.',
      nextRunAt: null,
      consecutiveFailures: 1,
      source: { kind: 'rucio', scope: 'cta', name: 'lst1.dl0.*' },
    });
    const bff = mockBff({
      'GET /bff/v1/notifications': {
        unread: 1,
        items: [
          {
            id: 'n1',
            level: 'error',
            message: 'Schedule "Revoked one" paused: Sign in again to resume.',
            scheduleId: signIn.id,
            createdAt: '',
            read: false,
          },
        ],
      },
      'GET /bff/v1/schedules': { items: [makeSchedule({ lastRun }), signIn] },
      'POST /bff/v1/schedules/:id/pause': () => json(makeSchedule({ status: 'paused', pausedReason: 'Paused by you.' })),
    });
    const { user } = renderPage();
    const table = await screen.findByRole('table', { name: 'Your schedules (2)' });
    const [first, second] = within(table).getAllByRole('row').slice(1) as HTMLElement[];
    expect(first).toHaveTextContent('Nightly hello');
    expect(first).toHaveTextContent('daily at 02:00 (Europe/Zurich)');
    expect(first).toHaveTextContent('Active');
    expect(within(first!).getByRole('link', { name: /Job 42/ })).toHaveAttribute('href', '/jobs?jobGroup=nightly-ab12cd34');
    expect(first).not.toHaveTextContent('New files of');
    expect(second).toHaveTextContent('New files of Rucio cta:lst1.dl0.*');
    expect(second).toHaveTextContent('Needs authorization');
    expect(second).toHaveTextContent('Sign in again to resume');
    expect(within(second!).getByRole('button', { name: 'Authorize' })).toBeInTheDocument();
    expect(within(second!).queryByRole('button', { name: 'Run now' })).toBeNull();
    expect(screen.getByText('1 new notification')).toBeInTheDocument();
    await user.click(within(first!).getByRole('button', { name: 'Pause' }));
    expect(bff.requests('POST /bff/v1/schedules/:id/pause')).toHaveLength(1);
  });

  it('reports the outcome of the authorization and shows owners to admins', async () => {
    mockBff({ ...noNotes, 'GET /bff/v1/schedules': { items: [makeSchedule({ mine: false, owner: 'alice' })] } });
    renderPage('/schedules?authorizeError=You%20signed%20in%20as%20paul', { role: 'admin' });
    expect(await screen.findByText('Unattended runs were not authorized')).toBeInTheDocument();
    expect(screen.getByText('You signed in as paul')).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'All schedules (1)' });
    expect(within(table).getByRole('columnheader', { name: 'Owner' })).toBeInTheDocument();
    expect(within(table).queryByRole('button', { name: 'Edit' })).toBeNull(); // only the owner edits
  });
});
