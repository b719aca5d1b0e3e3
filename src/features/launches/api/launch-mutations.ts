import { useMutation, useQueryClient } from '@tanstack/react-query';
import { LaunchPreviewSchema, LaunchSchema, type LaunchRequest } from '../../../contracts/launches.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { isLaunchActive, launchQueries } from './launch-queries.ts';

/** `POST /bff/v1/launches/preview`: what a launch would submit (job count, input size, the first JDL). */
export function usePreviewLaunch() {
  return useMutation({
    mutationFn: (request: LaunchRequest) => api.post('/bff/v1/launches/preview', request, LaunchPreviewSchema),
    // The launch form shows the error and puts field issues on the fields itself.
    meta: { silent: true },
  });
}

/** `POST /bff/v1/launches`: 202 new, 200 when the idempotency key was already used (`created` false: nothing was submitted again). */
async function createLaunch(request: LaunchRequest) {
  const { data, status } = await api.postWithStatus('/bff/v1/launches', request, LaunchSchema);
  return { launch: data, created: status !== 200 };
}

/**
 * Create a launch. The BFF submits its jobs in the background; the caller shows the progress
 * and refreshes what lists launches (the productions).
 */
export function useCreateLaunch() {
  return useMutation({ mutationFn: createLaunch, meta: { silent: true } });
}

/** How often, and how long, a quick launch waits for its jobs before leaving the rest to the production's page. */
const QUICK_POLL_MS = 1_000;
const QUICK_WAIT_MS = 60_000;

/**
 * Create a small launch and wait until the BFF has submitted its jobs (the Hello world card: one
 * click, then the job's id). Pending until the launch is no longer being submitted, or
 * `QUICK_WAIT_MS` passed (then the launch comes back still active: its page follows it).
 */
export function useQuickLaunch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: LaunchRequest) => {
      const result = await createLaunch(request);
      let launch = result.launch;
      const until = Date.now() + QUICK_WAIT_MS;
      while (isLaunchActive(launch.status) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, QUICK_POLL_MS));
        launch = await queryClient.fetchQuery({ ...launchQueries.detail(launch.id), staleTime: 0 });
      }
      return { ...result, launch };
    },
    // The card shows its own error next to the form.
    meta: { silent: true },
  });
}
