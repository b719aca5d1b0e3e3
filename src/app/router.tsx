import type { FetchQueryOptions, QueryClient, QueryKey } from '@tanstack/react-query';
import { Outlet, type LoaderFunctionArgs, type RouteObject } from 'react-router';
import { jobQueries, parseJobId } from '../features/jobs/api/job-queries.ts';
import { parseMonitorSearch } from '../features/jobs/api/monitor-search.ts';
import { HELLO_WORLD_WORKFLOW_ID } from '../features/launches/api/launch-queries.ts';
import { launchRoutes } from '../features/launches/routes/launch-routes.tsx';
import { workflowQueries } from '../features/workflows/api/workflow-queries.ts';
import { parseVersionParam } from '../features/workflows/routes/workflow-paths.ts';
import { workflowRoutes } from '../features/workflows/routes/workflow-routes.tsx';
import { getUser } from '../shared/lib/auth.ts';
import { paths } from '../shared/lib/paths.ts';
import { FullPageLoader } from '../shared/ui/FullPageLoader.tsx';
import { NotFound } from '../shared/ui/NotFound.tsx';
import { RouteError } from '../shared/ui/RouteError.tsx';
import { RequireAuth } from './auth/RequireAuth.tsx';
import { RequireRole } from './auth/RequireRole.tsx';
import { HomePage } from './routes/HomePage.tsx';
import { PAGE_ROLES } from './layout/nav-items.tsx';

/**
 * Loaders only warm the cache (no await, no throw): the page's code and its data load in
 * parallel, and the page itself shows loading / error / empty / data from the same query.
 * Nothing is fetched for a signed-out visitor; <RequireAuth> sends them to /signin.
 */
function prefetching<TData, TKey extends QueryKey>(
  queryClient: QueryClient,
  options: (args: LoaderFunctionArgs) => FetchQueryOptions<TData, Error, TData, TKey> | null,
) {
  return async (args: LoaderFunctionArgs) => {
    const opts = options(args);
    if (opts && (await getUser().catch(() => null))) void queryClient.prefetchQuery(opts);
    return null;
  };
}

/** The productions' query factories load with their pages (not in the first bundle); the prefetch starts once they are in. */
const productionModules = () =>
  Promise.all([
    import('../features/productions/api/production-queries.ts'),
    import('../features/productions/schemas/production-filters.ts'),
  ]).then(([a, b]) => ({ ...a, ...b }));
function prefetchingProductions<TData, TKey extends QueryKey>(
  queryClient: QueryClient,
  options: (q: Awaited<ReturnType<typeof productionModules>>, args: LoaderFunctionArgs) => FetchQueryOptions<TData, Error, TData, TKey>,
) {
  return (args: LoaderFunctionArgs) => {
    void productionModules()
      .then((q) => prefetching(queryClient, () => options(q, args))(args))
      .catch(() => {});
    return null;
  };
}

const errorElement = <RouteError />;

export function createRoutes(queryClient: QueryClient): RouteObject[] {
  return [
    {
      id: 'root',
      Component: Outlet,
      errorElement,
      hydrateFallbackElement: <FullPageLoader />,
      children: [
        {
          path: paths.signIn.path,
          errorElement,
          lazy: async () => ({ Component: (await import('../features/auth/routes/SignInPage.tsx')).SignInPage }),
        },
        {
          path: paths.authCallback.path,
          errorElement,
          lazy: async () => ({ Component: (await import('../features/auth/routes/AuthCallbackPage.tsx')).AuthCallbackPage }),
        },
        {
          Component: RequireAuth,
          errorElement,
          children: [
            {
              index: true,
              errorElement,
              loader: (args) =>
                Promise.all([
                  prefetching(queryClient, () => jobQueries.list({ page: 1, perPage: 10 }))(args),
                  prefetching(queryClient, () => workflowQueries.detail(HELLO_WORLD_WORKFLOW_ID))(args),
                ]).then(() => null),
              // The first page after sign-in: in the entry, so that its code comes with the first wave.
              Component: HomePage,
            },
            {
              path: paths.basket.path,
              errorElement,
              lazy: async () => ({ Component: (await import('../features/datasets/routes/BasketPage.tsx')).BasketPage }),
            },
            {
              path: paths.resources.path,
              errorElement,
              lazy: async () => ({ Component: (await import('../features/resources/routes/ResourcesPage.tsx')).ResourcesPage }),
            },
            ...workflowRoutes(queryClient),
            {
              // Composes workflows, datasets, resources, jobs and launches: an app-level page.
              path: paths.workflows.launch.path,
              errorElement,
              loader: prefetching(queryClient, ({ params, request }) =>
                workflowQueries.detail(params.workflowId ?? '', parseVersionParam(new URL(request.url).searchParams.get('version'))),
              ),
              lazy: async () => ({ Component: (await import('./routes/LaunchWorkflowPage.tsx')).LaunchWorkflowPage }),
            },
            ...launchRoutes(),
            {
              path: paths.jobs.path,
              errorElement,
              loader: prefetching(queryClient, ({ request }) =>
                jobQueries.search(parseMonitorSearch(new URL(request.url).searchParams).query),
              ),
              lazy: async () => ({ Component: (await import('../features/jobs/routes/JobsPage.tsx')).JobsPage }),
            },
            {
              path: paths.jobs.detail.path,
              errorElement,
              loader: prefetching(queryClient, ({ params }) => {
                const id = parseJobId(params.jobId);
                return id === null ? null : jobQueries.detail(id);
              }),
              lazy: async () => ({ Component: (await import('../features/jobs/routes/JobDetailPage.tsx')).JobDetailPage }),
            },
            {
              path: paths.productions.path,
              element: <RequireRole roles={PAGE_ROLES.productions} />,
              errorElement,
              children: [
                {
                  index: true,
                  loader: prefetchingProductions(queryClient, (q, { request }) =>
                    q.productionQueries.list(q.toListQuery(q.parseProductionFilters(new URL(request.url).searchParams))),
                  ),
                  lazy: async () => ({ Component: (await import('../features/productions/routes/ProductionsPage.tsx')).ProductionsPage }),
                },
                {
                  // Composes productions and launches: an app-level page.
                  path: paths.productions.detail.path,
                  loader: prefetchingProductions(queryClient, (q, { params }) => q.productionQueries.detail(params.productionId ?? '')),
                  lazy: async () => ({ Component: (await import('./routes/ProductionPage.tsx')).ProductionPage }),
                },
              ],
            },
            {
              path: paths.accounting.path,
              element: <RequireRole roles={PAGE_ROLES.accounting} />,
              errorElement,
              children: [
                {
                  index: true,
                  lazy: async () => ({ Component: (await import('../features/accounting/routes/AccountingPage.tsx')).AccountingPage }),
                },
              ],
            },
            {
              path: paths.catalogue.path,
              element: <RequireRole roles={PAGE_ROLES.catalogue} />,
              errorElement,
              children: [
                {
                  index: true,
                  lazy: async () => ({ Component: (await import('../features/workflows/routes/CataloguePage.tsx')).CataloguePage }),
                },
              ],
            },
            {
              path: paths.schedules.path,
              errorElement,
              lazy: async () => ({ Component: (await import('../features/schedules/routes/SchedulesPage.tsx')).SchedulesPage }),
            },
            { path: '*', Component: NotFound },
          ],
        },
      ],
    },
  ];
}
