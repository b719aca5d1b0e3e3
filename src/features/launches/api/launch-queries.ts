import { queryOptions } from '@tanstack/react-query';
import { isLaunchActive, LaunchSchema } from '../../../contracts/launches.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** The BFF is still submitting this launch's jobs. */
export { isLaunchActive };

/**
 * How often a launch being submitted is checked (the BFF runs it; the page only watches). A launch
 * is followed on its production's page, whose query (features/productions) polls at this pace.
 */
export const LAUNCH_POLL_MS = 2_000;

/** The workflow the home page's one-click card launches (workflows/hello-world.json). */
export const HELLO_WORLD_WORKFLOW_ID = 'hello-world';

export const launchQueries = {
  all: () => ['launches'] as const,
  /** One launch and how far its submission got (`GET /bff/v1/launches/:id`). */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...launchQueries.all(), 'detail', id],
      queryFn: ({ signal }) => api.get(`/bff/v1/launches/${encodeURIComponent(id)}`, LaunchSchema, { signal }),
    }),
};
