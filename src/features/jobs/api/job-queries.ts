import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { JobDetailSchema, JobPageSchema, type JobListQuery } from '../../../contracts/jobs.ts';
import {
  JobSandboxesSchema,
  JobStatusSummarySchema,
  JobTimelineSchema,
  SandboxContentsSchema,
  type ChartGroup,
  type JobFilters,
  type JobSearchQuery,
} from '../../../contracts/monitor.ts';
import { monitorSearchParams } from './monitor-search.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { isFinalStatus } from '../../../shared/ui/job-status.ts';

export type JobListParams = Pick<JobListQuery, 'page' | 'perPage' | 'status' | 'jobGroup'>;

/** Polling periods while something is still moving. */
export const LIST_POLL_MS = 3_000;
export const DETAIL_POLL_MS = 2_000;

function listSearch(params: JobListParams): string {
  const search = new URLSearchParams({ page: String(params.page), perPage: String(params.perPage) });
  if (params.status) search.set('status', params.status);
  if (params.jobGroup) search.set('jobGroup', params.jobGroup);
  return search.toString();
}

/** The monitor refreshes every 5 s, doubling up to 60 s while nothing changes; paused in hidden tabs. */
export const MONITOR_POLL_MS = 5_000;
export const MONITOR_POLL_MAX_MS = 60_000;

type PolledQuery = { state: { data: unknown; dataUpdatedAt: number; status: string } };
const polls = new WeakMap<object, { at: number; data: unknown; unchanged: number }>();

/**
 * A refetchInterval that backs off: each refetch that brings the same data
 * (react-query keeps the same reference when nothing changed) doubles the
 * period, up to `max`; any change resets it to `base`.
 */
export function backoffInterval(base: number, max: number) {
  return (query: PolledQuery): number => {
    if (query.state.status === 'error') return max;
    const seen = polls.get(query) ?? { at: -1, data: undefined, unchanged: -1 };
    if (seen.at !== query.state.dataUpdatedAt) {
      seen.unchanged = seen.data === query.state.data ? seen.unchanged + 1 : 0;
      seen.at = query.state.dataUpdatedAt;
      seen.data = query.state.data;
      polls.set(query, seen);
    }
    return Math.min(max, base * 2 ** Math.max(0, seen.unchanged));
  };
}

export const jobQueries = {
  all: () => ['jobs'] as const,
  lists: () => [...jobQueries.all(), 'list'] as const,
  list: (params: JobListParams) =>
    queryOptions({
      queryKey: [...jobQueries.lists(), { ...params }] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/jobs?${listSearch(params)}`, JobPageSchema, { signal }),
      placeholderData: keepPreviousData,
      // Poll while any listed job can still change; react-query pauses it in hidden tabs.
      refetchInterval: (query) => (query.state.data?.items.some((job) => !isFinalStatus(job.status)) ? LIST_POLL_MS : false),
      refetchIntervalInBackground: false,
    }),
  /** The monitor's page of jobs: filters, sort and page (server side), refreshed with back-off. */
  search: (query: JobSearchQuery) =>
    queryOptions({
      queryKey: [...jobQueries.lists(), 'search', { ...query }] as const,
      queryFn: ({ signal }) =>
        api.get(`/bff/v1/jobs?${monitorSearchParams({ ...query, page: query.page, perPage: query.perPage })}`, JobPageSchema, { signal }),
      placeholderData: keepPreviousData,
      refetchInterval: backoffInterval(MONITOR_POLL_MS, MONITOR_POLL_MAX_MS),
      refetchIntervalInBackground: false,
    }),
  summary: (filters: JobFilters) =>
    queryOptions({
      queryKey: [...jobQueries.lists(), 'summary', { ...filters }] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/jobs/summary?${monitorSearchParams(filters)}`, JobStatusSummarySchema, { signal }),
      placeholderData: keepPreviousData,
      refetchInterval: backoffInterval(MONITOR_POLL_MS, MONITOR_POLL_MAX_MS),
      refetchIntervalInBackground: false,
    }),
  timeline: (filters: JobFilters, days: number, groupBy: ChartGroup = 'Status') =>
    queryOptions({
      queryKey: [...jobQueries.lists(), 'timeline', { ...filters }, days, groupBy] as const,
      queryFn: ({ signal }) =>
        api.get(`/bff/v1/jobs/timeline?${monitorSearchParams(filters)}&days=${days}&groupBy=${groupBy}`, JobTimelineSchema, { signal }),
      placeholderData: keepPreviousData,
      staleTime: 60_000,
      refetchInterval: MONITOR_POLL_MAX_MS,
      refetchIntervalInBackground: false,
    }),
  /** Keyed by the job's status too: the output sandbox arrives while the job completes, so a new status lists again. */
  sandboxes: (jobId: number, status?: string) =>
    queryOptions({
      queryKey: [...jobQueries.details(), jobId, 'sandboxes', status ?? null] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/jobs/${jobId}/sandboxes`, JobSandboxesSchema, { signal }),
      placeholderData: keepPreviousData,
    }),
  sandboxContents: (jobId: number, pfn: string) =>
    queryOptions({
      queryKey: [...jobQueries.details(), jobId, 'sandbox', pfn] as const,
      queryFn: ({ signal }) =>
        api.get(`/bff/v1/jobs/${jobId}/sandboxes/contents?pfn=${encodeURIComponent(pfn)}`, SandboxContentsSchema, { signal }),
      staleTime: Infinity,
    }),
  details: () => [...jobQueries.all(), 'detail'] as const,
  detail: (jobId: number) =>
    queryOptions({
      queryKey: [...jobQueries.details(), jobId] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/jobs/${jobId}`, JobDetailSchema, { signal }),
      // Watch the job move (Received → Waiting → … → Done), then stop.
      refetchInterval: (query) => {
        const status = query.state.data?.job.status;
        if (query.state.status === 'error') return false;
        return status && isFinalStatus(status) ? false : DETAIL_POLL_MS;
      },
      refetchIntervalInBackground: false,
    }),
};

/** A job id from the URL, or null when it is not a positive integer. */
export function parseJobId(raw: string | undefined): number | null {
  const parsed = z.coerce.number().int().positive().safeParse(raw);
  return parsed.success ? parsed.data : null;
}
