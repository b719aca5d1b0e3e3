import { useMutation } from '@tanstack/react-query';
import { LaunchPreviewSchema, LaunchSchema, type LaunchRequest } from '../../../contracts/launches.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** `POST /bff/v1/launches/preview`: what a launch would submit (job count, input size, the first JDL). */
export function usePreviewLaunch() {
  return useMutation({
    mutationFn: (request: LaunchRequest) => api.post('/bff/v1/launches/preview', request, LaunchPreviewSchema),
    // The launch form shows the error and puts field issues on the fields itself.
    meta: { silent: true },
  });
}

/**
 * `POST /bff/v1/launches` (202 new, 200 when the idempotency key was already used: `created` is
 * false and nothing was submitted again). The BFF submits in the background; the caller refreshes
 * what shows the launch (the productions list, recent jobs).
 */
export function useCreateLaunch() {
  return useMutation({
    mutationFn: async (request: LaunchRequest) => {
      const { data, status } = await api.postWithStatus('/bff/v1/launches', request, LaunchSchema);
      return { launch: data, created: status !== 200 };
    },
    meta: { silent: true },
  });
}
