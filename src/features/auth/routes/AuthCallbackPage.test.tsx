import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeAuth, renderWithProviders } from '../../../shared/testing/render-with-providers.tsx';
import { AuthCallbackPage } from './AuthCallbackPage.tsx';

describe('AuthCallbackPage', () => {
  it('completes the sign-in once and returns to where the user was', async () => {
    const completeSignIn = vi.fn(async () => '/jobs/5');
    const { router } = renderWithProviders(<AuthCallbackPage />, {
      route: '/auth/callback?code=abc&state=s1',
      path: '/auth/callback',
      extraRoutes: [{ path: '/jobs/5', element: <h1>Job 5</h1> }],
      auth: fakeAuth(null, { completeSignIn }),
    });
    expect(await screen.findByRole('heading', { name: 'Job 5' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/jobs/5');
    expect(completeSignIn).toHaveBeenCalledTimes(1);
  });

  it('says the sign-in was cancelled when the IdP login was cancelled', async () => {
    const completeSignIn = vi.fn(async () => {
      throw new Error('access_denied');
    });
    renderWithProviders(<AuthCallbackPage />, {
      route: '/auth/callback?error=access_denied&state=s2',
      path: '/auth/callback',
      auth: fakeAuth(null, { completeSignIn }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign-in was cancelled' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/signin');
  });

  it('shows other failures with their message', async () => {
    const completeSignIn = vi.fn(async () => {
      throw new Error('No matching state found in storage');
    });
    renderWithProviders(<AuthCallbackPage />, {
      route: '/auth/callback?code=zzz&state=s3',
      path: '/auth/callback',
      auth: fakeAuth(null, { completeSignIn }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign-in failed' })).toBeInTheDocument();
    expect(screen.getByText('No matching state found in storage')).toBeInTheDocument();
  });
});
