import { screen, waitFor } from '@testing-library/react';
import type { User } from 'oidc-client-ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as auth from '../../shared/lib/auth.ts';
import { makeInstance, makeJobPage, makeMe } from '../../shared/testing/fixtures.ts';
import { json, mockBff, problem } from '../../shared/testing/mock-bff.ts';
import { renderWithProviders } from '../../shared/testing/render-with-providers.tsx';
import { createRoutes } from '../router.tsx';
import { installApiAuth } from './api-auth.ts';
import { AuthProvider, refreshDelayMs } from './AuthProvider.tsx';

vi.mock('../../shared/lib/auth.ts', () => ({
  getUser: vi.fn(),
  getAccessToken: vi.fn(),
  refreshTokens: vi.fn(),
  signOut: vi.fn(),
  startSignIn: vi.fn(),
  completeSignIn: vi.fn(),
  currentManager: vi.fn(() => ({ removeUser: vi.fn(async () => {}) })),
  loadChoice: vi.fn(() => null),
}));

const mocked = vi.mocked(auth);
const fakeUser = (token: string) =>
  ({ access_token: token, refresh_token: 'r', expires_at: Math.floor(Date.now() / 1000) + 1200, expired: false }) as unknown as User;

let token: string | null = null;

beforeEach(() => {
  vi.clearAllMocks();
  token = null;
  mocked.getUser.mockImplementation(async () => (token ? fakeUser(token) : null));
  mocked.getAccessToken.mockImplementation(async () => token);
  installApiAuth();
});

function renderApp(route: string) {
  return renderWithProviders(null, { routes: createRoutes, route, authProvider: (tree) => <AuthProvider>{tree}</AuthProvider> });
}

const bearer = (req: { headers: Headers }) => req.headers.get('authorization');

describe('AuthProvider + RequireAuth', () => {
  it('sends a signed-out visitor to /signin with the page to return to', async () => {
    mockBff({ 'GET /bff/v1/instances': { instances: [makeInstance()] } });
    const { router } = renderApp('/jobs?page=2');
    // The router loads the matched route's module (the monitor, with its grid) before it redirects: slow in jsdom.
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' }, { timeout: 20_000 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/signin');
    expect(router.state.location.search).toBe('?returnTo=%2Fjobs%3Fpage%3D2');
  });

  it('loads `me` with the stored token and shows the shell', async () => {
    token = 't1';
    const bff = mockBff({
      'GET /bff/v1/me': json(makeMe({ username: 'bob', group: 'pis', role: 'pi' })),
      'GET /bff/v1/jobs': makeJobPage([]),
    });
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, bob' })).toBeInTheDocument();
    expect(screen.getByText('bob · escape / pis')).toBeInTheDocument();
    expect(bearer(bff.requests('GET /bff/v1/me')[0]!)).toBe('Bearer t1');
  });

  it('refreshes once on a 401 and retries with the new token', async () => {
    token = 'old';
    mocked.refreshTokens.mockImplementation(async () => {
      token = 'new';
      return fakeUser('new');
    });
    const bff = mockBff({
      'GET /bff/v1/me': (req) => (bearer(req) === 'Bearer new' ? json(makeMe()) : problem(401, 'UNAUTHENTICATED', 'Token expired')),
      'GET /bff/v1/jobs': makeJobPage([]),
    });
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, alice' })).toBeInTheDocument();
    expect(mocked.refreshTokens).toHaveBeenCalledTimes(1);
    expect(bff.requests('GET /bff/v1/me').map(bearer)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('ends the session once when the refresh fails, and asks to sign in again', async () => {
    token = 'dead';
    mocked.refreshTokens.mockImplementation(async () => {
      token = null;
      return null;
    });
    mockBff({
      'GET /bff/v1/me': () => problem(401, 'UNAUTHENTICATED', 'Token revoked'),
      'GET /bff/v1/instances': { instances: [makeInstance()] },
    });
    const { router } = renderApp('/jobs/12');
    expect(await screen.findByText(/your session has ended/i)).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/signin');
    expect(router.state.location.search).toBe('?returnTo=%2Fjobs%2F12');
    expect(mocked.refreshTokens).toHaveBeenCalledTimes(1);
  });

  it('signs out: revokes, forgets the data and confirms on /signin', async () => {
    token = 't1';
    mocked.signOut.mockImplementation(async () => {
      token = null;
    });
    mockBff({
      'GET /bff/v1/me': json(makeMe()),
      'GET /bff/v1/jobs': makeJobPage([]),
      'GET /bff/v1/instances': { instances: [makeInstance()] },
    });
    const { user, router, queryClient } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'User menu for alice' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));
    expect(await screen.findByText('You have signed out.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/signin');
    expect(router.state.location.search).toBe('');
    expect(mocked.signOut).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(queryClient.getQueryData(['auth', 'me'])).toBeUndefined());
  });

  it('shows an error with Retry when `me` cannot be loaded', async () => {
    token = 't1';
    let calls = 0;
    mockBff({
      'GET /bff/v1/me': () => (++calls === 1 ? problem(503, 'UPSTREAM_UNREACHABLE', 'DiracX is down') : json(makeMe())),
      'GET /bff/v1/jobs': makeJobPage([]),
    });
    const { user } = renderApp('/');
    expect(await screen.findByText('DiracX is down')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, alice' })).toBeInTheDocument();
  });
});

describe('refreshDelayMs', () => {
  it('refreshes a minute before expiry, sooner for short-lived tokens', () => {
    const now = 1_000_000_000_000;
    expect(refreshDelayMs(now / 1000 + 20 * 60, now)).toBe(19 * 60_000);
    expect(refreshDelayMs(now / 1000 + 60, now)).toBe(30_000);
    expect(refreshDelayMs(now / 1000 - 10, now)).toBe(1_000);
  });
});
