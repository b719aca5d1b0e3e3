import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { shouldRetry } from '../shared/lib/api-client.ts';
import { errorMessage, isUnauthenticated } from '../shared/ui/api-error.ts';
import { notifications } from '../shared/ui/notify.tsx';

/**
 * First loads show their errors inline (ErrorAlert). Failures of background refetches
 * (the data is already on screen) and of mutations that do not handle their own errors
 * raise a snackbar instead. 401s are left to the auth flow (refresh or sign-in).
 */
export function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.state.data === undefined || query.meta?.silent || isUnauthenticated(error)) return;
        notifications.push({ severity: 'error', key: 'background-refresh', message: `Could not refresh: ${errorMessage(error)}` });
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (mutation.meta?.silent || isUnauthenticated(error)) return;
        notifications.push({ severity: 'error', message: errorMessage(error) });
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 10_000 },
      mutations: { retry: false },
    },
  });
}
