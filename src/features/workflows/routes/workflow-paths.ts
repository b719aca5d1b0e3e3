import { paths } from '../../../shared/lib/paths.ts';

/**
 * Routes of the workflows feature. `paths.workflows` (shared) is the catalogue; the form of one
 * workflow lives here until shared/lib/paths.ts gains `workflows.detail`.
 */
export const workflowPaths = {
  list: paths.workflows,
  detail: { path: '/workflows/:workflowId', getHref: (id: string) => `/workflows/${encodeURIComponent(id)}` },
} as const;
