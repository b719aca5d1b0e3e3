import { paths } from '../../../shared/lib/paths.ts';

/** Routes of the workflows feature (they live in shared/lib/paths.ts: the launch page links to them too). */
export const workflowPaths = {
  list: paths.workflows,
  detail: paths.workflows.detail,
} as const;
