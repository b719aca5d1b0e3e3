import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { JobDetailSchema, JobPageSchema, type JobListQuery } from '../../../contracts/jobs.ts';
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

export const jobQueries = {
  all: () => ['jobs'] as const,
  lists: () => [...jobQueries.all(), 'list'] as const,
  list: (params: JobListParams) =>
    queryOptions({
      queryKey: [...jobQueries.lists(), { ...params }] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/jobs?${listSearch(params)}`, JobPageSchema, { signal }),
      placeholderData: keepPreviousData,
      // Poll while any listed job can still change; react-query pauses it in hidden tabs.
      refetchInterval: (query) =>
        query.state.data?.items.some((job) => !isFinalStatus(job.status)) ? LIST_POLL_MS : false,
      refetchIntervalInBackground: false,
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

/** `?page=&jobGroup=` of the jobs page; an invalid page falls back to 1, an invalid JobGroup to none. */
export const JobsSearchSchema = z.object({
  page: z.coerce.number().int().positive().catch(1),
  /** Only the jobs of one JobGroup (a production, e.g. from a launch's page). */
  jobGroup: z.string().trim().min(1).max(128).optional().catch(undefined),
});

export const JOBS_PER_PAGE = 25;

/** A job id from the URL, or null when it is not a positive integer. */
export function parseJobId(raw: string | undefined): number | null {
  const parsed = z.coerce.number().int().positive().safeParse(raw);
  return parsed.success ? parsed.data : null;
}
