import type { FetchQueryOptions, QueryClient, QueryKey } from '@tanstack/react-query';
import type { RouteObject } from 'react-router';
import { getUser } from '../../../shared/lib/auth.ts';
import { RouteError } from '../../../shared/ui/RouteError.tsx';
import { workflowQueries } from '../api/workflow-queries.ts';
import { workflowPaths } from './workflow-paths.ts';

/** Warm the cache while the page's code loads (signed-in users only; never throws). */
function prefetch<TData, TKey extends QueryKey>(queryClient: QueryClient, options: () => FetchQueryOptions<TData, Error, TData, TKey>) {
  return async () => {
    if (await getUser().catch(() => null)) void queryClient.prefetchQuery(options());
    return null;
  };
}

/**
 * The feature's routes (src/app/router.tsx spreads them into the signed-in area): the catalogue
 * and one workflow's form. Pages are lazy-loaded, so the form code stays out of the first bundle.
 */
export function workflowRoutes(queryClient: QueryClient): RouteObject[] {
  return [
    {
      path: workflowPaths.list.path,
      errorElement: <RouteError />,
      loader: prefetch(queryClient, () => workflowQueries.list()),
      lazy: async () => ({ Component: (await import('./WorkflowsPage.tsx')).WorkflowsPage }),
    },
    {
      path: workflowPaths.detail.path,
      errorElement: <RouteError />,
      loader: ({ params }) => prefetch(queryClient, () => workflowQueries.detail(params.workflowId ?? ''))(),
      lazy: async () => ({ Component: (await import('./WorkflowDetailPage.tsx')).WorkflowDetailPage }),
    },
  ];
}
