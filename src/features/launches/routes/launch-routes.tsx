import { redirect, type RouteObject } from 'react-router';
import { paths } from '../../../shared/lib/paths.ts';
import { RouteError } from '../../../shared/ui/RouteError.tsx';

/**
 * A launch is a production: its list and its page are the productions' (src/app/router.tsx).
 * The old addresses keep working as redirects (bookmarks, links in mails).
 */
export function launchRoutes(): RouteObject[] {
  return [
    { path: paths.launches.path, errorElement: <RouteError />, loader: () => redirect(paths.productions.getHref()) },
    {
      path: paths.launches.detail.path,
      errorElement: <RouteError />,
      loader: ({ params }) => redirect(paths.productions.detail.getHref(params.launchId ?? '')),
    },
  ];
}
