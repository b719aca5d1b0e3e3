import { CacheProvider } from '@emotion/react';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider, type InitialEntry, type RouteObject } from 'react-router';
import { createEmotionCache } from '../../app/emotion-cache.ts';
import { createQueryClient } from '../../app/query-client.ts';
import { theme } from '../../app/theme.ts';
import type { Me } from '../../contracts/auth.ts';
import { AuthContext, type AuthContextValue } from '../ui/auth-context.tsx';
import { NotificationHost } from '../ui/notify.tsx';
import { makeMe } from './fixtures.ts';

/** The app's QueryClient (with its global error handlers) but without retries or caching between tests. */
export function createTestQueryClient(): QueryClient {
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, staleTime: 0, gcTime: Infinity }, mutations: { retry: false } });
  return client;
}

/** A fake session: signed in as `me` (a scientist by default), or signed out with `me: null`. */
export function fakeAuth(me: Partial<Me> | null = {}, overrides: Partial<AuthContextValue> = {}): AuthContextValue {
  const resolved = me === null ? null : makeMe(me);
  return {
    status: resolved ? 'signed-in' : 'signed-out',
    endReason: null,
    me: resolved,
    error: null,
    retry: () => {},
    signIn: async () => {},
    completeSignIn: async () => '/',
    signOut: async () => {},
    ...overrides,
  };
}

type RenderOptions = {
  /** Initial URL (default "/"), or a location with router state. */
  route?: InitialEntry;
  /** Route pattern under which `ui` renders (default "*"), e.g. "/jobs/:jobId". */
  path?: string;
  /** A whole route tree instead of `ui` (e.g. `createRoutes(queryClient)`). */
  routes?: RouteObject[] | ((queryClient: QueryClient) => RouteObject[]);
  /** Extra routes next to `ui` (targets of links, e.g. "/signin"). */
  extraRoutes?: RouteObject[];
  /** Session shown to the components; `null` = signed out. Ignored when `auth` is given. */
  me?: Partial<Me> | null;
  auth?: AuthContextValue;
  /** Use a real provider instead of the fake session, e.g. `(tree) => <AuthProvider>{tree}</AuthProvider>`. */
  authProvider?: (tree: ReactElement) => ReactElement;
  queryClient?: QueryClient;
};

export type RenderWithProvidersResult = RenderResult & {
  user: UserEvent;
  router: ReturnType<typeof createMemoryRouter>;
  queryClient: QueryClient;
  auth: AuthContextValue | null;
};

/**
 * Render a component or a route tree with a fresh QueryClient, the app theme, emotion,
 * a memory router and a fake signed-in session.
 */
export function renderWithProviders(ui: ReactElement | null, options: RenderOptions = {}): RenderWithProvidersResult {
  const queryClient = options.queryClient ?? createTestQueryClient();
  const routes =
    typeof options.routes === 'function'
      ? options.routes(queryClient)
      : (options.routes ?? [{ path: options.path ?? '*', element: ui }, ...(options.extraRoutes ?? [])]);
  const router = createMemoryRouter(routes, { initialEntries: [options.route ?? '/'] });
  const auth = options.authProvider ? null : (options.auth ?? fakeAuth(options.me === undefined ? {} : options.me));
  const tree = (
    <>
      <RouterProvider router={router} />
      <NotificationHost />
    </>
  );
  const result = render(
    <CacheProvider value={createEmotionCache(undefined)}>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        <QueryClientProvider client={queryClient}>
          {options.authProvider ? options.authProvider(tree) : <AuthContext value={auth}>{tree}</AuthContext>}
        </QueryClientProvider>
      </ThemeProvider>
    </CacheProvider>,
  );
  return { ...result, user: userEvent.setup(), router, queryClient, auth };
}
