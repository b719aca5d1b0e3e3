import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockBff } from '../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../shared/testing/render-with-providers.tsx';
import NotificationBell from './NotificationBell.tsx';

describe('NotificationBell', () => {
  it('shows the unread count in its name and leads to the schedules page', async () => {
    mockBff({ 'GET /bff/v1/notifications': { unread: 3, items: [] } });
    renderWithProviders(<NotificationBell />);
    const bell = await screen.findByRole('link', { name: 'Notifications: 3 unread' });
    expect(bell).toHaveAttribute('href', '/schedules');
    expect(bell).toHaveTextContent('3');
  });

  it('says none when there is nothing new', async () => {
    mockBff({ 'GET /bff/v1/notifications': { unread: 0, items: [] } });
    renderWithProviders(<NotificationBell />);
    expect(await screen.findByRole('link', { name: 'Notifications: none unread' })).toBeInTheDocument();
  });
});
