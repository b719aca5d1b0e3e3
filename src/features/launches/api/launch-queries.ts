import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { LaunchSchema, type LaunchStatus } from '../../../contracts/launches.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** The BFF is still submitting this launch's jobs. */
export const isLaunchActive = (status: LaunchStatus) => status === 'pending' || status === 'submitting';

/** Polling periods while a launch is being submitted (the BFF runs it; the page only watches). */
export const LAUNCH_POLL_MS = 2_000;
export const LAUNCH_LIST_POLL_MS = 5_000;

export const LaunchListSchema = z.object({ items: z.array(LaunchSchema) });

export const launchQueries = {
  all: () => ['launches'] as const,
  lists: () => [...launchQueries.all(), 'list'] as const,
  /** The user's launches, newest first. */
  list: () =>
    queryOptions({
      queryKey: launchQueries.lists(),
      queryFn: ({ signal }) => api.get('/bff/v1/launches', LaunchListSchema, { signal }),
      refetchInterval: (query) => (query.state.data?.items.some((l) => isLaunchActive(l.status)) ? LAUNCH_LIST_POLL_MS : false),
      refetchIntervalInBackground: false,
    }),
  details: () => [...launchQueries.all(), 'detail'] as const,
  /** One launch; polled every 2 s while it is pending or submitting. */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...launchQueries.details(), id] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/launches/${encodeURIComponent(id)}`, LaunchSchema, { signal }),
      refetchInterval: (query) => {
        if (query.state.status === 'error') return false;
        const status = query.state.data?.status;
        return status && !isLaunchActive(status) ? false : LAUNCH_POLL_MS;
      },
      refetchIntervalInBackground: false,
    }),
};
