import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  NotificationListSchema,
  RunFileListSchema,
  ScheduleDetailSchema,
  SchedulePreviewSchema,
  ScheduleSchema,
  type ScheduleSpecInput,
} from '../../../contracts/schedules.ts';
import { api } from '../../../shared/lib/api-client.ts';

export const ScheduleListSchema = z.object({ items: z.array(ScheduleSchema) });

/** While a schedule is active the list refreshes (runs happen in the BFF). */
export const SCHEDULES_POLL_MS = 10_000;

export const scheduleQueries = {
  all: () => ['schedules'] as const,
  lists: () => [...scheduleQueries.all(), 'list'] as const,
  list: () =>
    queryOptions({
      queryKey: scheduleQueries.lists(),
      queryFn: ({ signal }) => api.get('/bff/v1/schedules', ScheduleListSchema, { signal }),
      refetchInterval: (query) => (query.state.data?.items.some((s) => s.status === 'active') ? SCHEDULES_POLL_MS : false),
      refetchIntervalInBackground: false,
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...scheduleQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/schedules/${encodeURIComponent(id)}`, ScheduleDetailSchema, { signal }),
      refetchInterval: SCHEDULES_POLL_MS,
    }),
  /** The files one run of a saved-query schedule took. */
  runFiles: (id: string, runId: string) =>
    queryOptions({
      queryKey: [...scheduleQueries.all(), 'detail', id, 'files', runId] as const,
      queryFn: ({ signal }) =>
        api.get(`/bff/v1/schedules/${encodeURIComponent(id)}/files?runId=${encodeURIComponent(runId)}`, RunFileListSchema, { signal }),
      staleTime: 60_000,
    }),
  /** The BFF checks a recurrence (cron syntax, minimum interval) and lists its next runs. */
  preview: (spec: ScheduleSpecInput) =>
    queryOptions({
      queryKey: [...scheduleQueries.all(), 'preview', spec] as const,
      queryFn: ({ signal }) => api.post('/bff/v1/schedules/preview', { spec }, SchedulePreviewSchema, { signal }),
      retry: false,
      staleTime: 60_000,
      meta: { silent: true },
    }),
  notifications: () =>
    queryOptions({
      queryKey: [...scheduleQueries.all(), 'notifications'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/notifications', NotificationListSchema, { signal }),
      refetchInterval: 30_000,
      refetchIntervalInBackground: false,
    }),
};
