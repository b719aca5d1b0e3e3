import type { FetchQueryOptions, QueryClient, QueryKey } from '@tanstack/react-query';
import type { RouteObject } from 'react-router';
import { getUser } from '../../../shared/lib/auth.ts';
import { paths } from '../../../shared/lib/paths.ts';
import { RouteError } from '../../../shared/ui/RouteError.tsx';
import { launchQueries } from '../api/launch-queries.ts';

/** Warm the cache while the page's code loads (signed-in users only; never throws). */
function prefetch<TData, TKey extends QueryKey>(queryClient: QueryClient, options: () => FetchQueryOptions<TData, Error, TData, TKey>) {
  return async () => {
    if (await getUser().catch(() => null)) void queryClient.prefetchQuery(options());
    return null;
  };
}

/**
 * The feature's routes (src/app/router.tsx spreads them into the signed-in area): the list of
 * launches and one launch's progress. Pages are lazy-loaded; only the query factories (for the
 * loaders) are in the first bundle.
 */
export function launchRoutes(queryClient: QueryClient): RouteObject[] {
  return [
    {
      path: paths.launches.path,
      errorElement: <RouteError />,
      loader: prefetch(queryClient, () => launchQueries.list()),
      lazy: async () => ({ Component: (await import('./LaunchesPage.tsx')).LaunchesPage }),
    },
    {
      path: paths.launches.detail.path,
      errorElement: <RouteError />,
      loader: ({ params }) => prefetch(queryClient, () => launchQueries.detail(params.launchId ?? ''))(),
      lazy: async () => ({ Component: (await import('./LaunchProgressPage.tsx')).LaunchProgressPage }),
    },
  ];
}
