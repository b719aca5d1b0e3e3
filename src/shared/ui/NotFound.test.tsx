import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../testing/render-with-providers.tsx';
import { NotFound } from './NotFound.tsx';

describe('NotFound', () => {
  it('says the page was not found and links home', async () => {
    const { user, router } = renderWithProviders(<NotFound />, { route: '/nope', extraRoutes: [{ path: '/', element: <p>home page</p> }] });
    expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Go to the home page' }));
    expect(router.state.location.pathname).toBe('/');
    expect(await screen.findByText('home page')).toBeInTheDocument();
  });
});
