import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../shared/testing/render-with-providers.tsx';
import { createRoutes } from './router.tsx';

describe('router', () => {
  it('is what the app shows for an unknown path (inside the shell)', async () => {
    renderWithProviders(null, { routes: createRoutes, route: '/no/such/page' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Main navigation' })).toBeInTheDocument();
  });
});
