import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeJobPage } from '../../shared/testing/fixtures.ts';
import { mockBff } from '../../shared/testing/mock-bff.ts';
import { fakeAuth, renderWithProviders } from '../../shared/testing/render-with-providers.tsx';
import type { Me } from '../../contracts/auth.ts';
import { createRoutes } from '../router.tsx';

function renderApp(route: string, me: Partial<Me>, signOut = vi.fn(async () => {})) {
  mockBff({ 'GET /bff/v1/jobs': makeJobPage([]) });
  return { ...renderWithProviders(null, { routes: createRoutes, route, auth: fakeAuth(me, { signOut }) }), signOut };
}

const navLinks = () =>
  within(screen.getByRole('navigation', { name: 'Main navigation' }))
    .getAllByRole('link')
    .map((a) => a.textContent);

describe('App shell', () => {
  it('shows a scientist the pages they can use (their own productions), not Accounting', async () => {
    renderApp('/', { role: 'scientist' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, alice' })).toBeInTheDocument();
    expect(navLinks()).toEqual(['Home', 'Basket', 'Resources', 'Workflows', 'Jobs', 'Productions', 'Schedules']);
  });

  it('shows Productions to a PI and everything to an admin', async () => {
    renderApp('/', { role: 'pi', group: 'pis' });
    await screen.findByRole('heading', { level: 1, name: 'Welcome, alice' });
    expect(navLinks()).toContain('Productions');
    expect(navLinks()).not.toContain('Accounting');
  });

  it('shows everything to an admin', async () => {
    renderApp('/', { role: 'admin', group: 'admins' });
    await screen.findByRole('heading', { level: 1, name: 'Welcome, alice' });
    expect(navLinks()).toEqual([
      'Home',
      'Basket',
      'Resources',
      'Workflows',
      'Jobs',
      'Productions',
      'Accounting',
      'Schedules',
      'Workflow catalogue',
    ]);
  });

  it('guards restricted pages client-side too', async () => {
    renderApp('/accounting', { role: 'pi', group: 'pis' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Not available for your group' })).toBeInTheDocument();
    expect(screen.getByText(/“pis”/)).toBeInTheDocument();
  });

  it('lets an allowed role in', async () => {
    renderApp('/productions', { role: 'pi', group: 'pis' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Productions' })).toBeInTheDocument();
    expect(screen.getByText('The productions of the groups you lead, yours included.')).toBeInTheDocument();
  });

  it('marks the current page in the navigation and has the landmarks', async () => {
    renderApp('/basket', { role: 'scientist' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Basket' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Basket' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('main')).toHaveAttribute('id', 'main');
    expect(screen.getByRole('link', { name: 'Skip to main content' })).toHaveAttribute('href', '#main');
    expect(screen.getByText('alice · escape / scientists')).toBeInTheDocument();
    expect(document.title).toBe('Basket · ESCAPE Batch Portal');
  });

  it('signs out from the user menu', async () => {
    const { user, signOut } = renderApp('/', { role: 'scientist' });
    await user.click(await screen.findByRole('button', { name: 'User menu for alice' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));
    expect(signOut).toHaveBeenCalledTimes(1);
  });
});
