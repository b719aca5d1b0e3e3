import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import {
  FailureSamplesSchema,
  ProductionDetailSchema,
  ProductionPageSchema,
  ProductionProgressSchema,
  type ProductionListQuery,
  type ProductionState,
} from '../../../contracts/productions.ts';
import { OutputPreviewSchema, ProductionOutputsSchema } from '../../../contracts/outputs.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** Productions still moving are refreshed; finished ones are not (DiracX is not hammered). */
export const PRODUCTION_POLL_MS = 5_000;
export const SUBMITTING_POLL_MS = 2_000;

const moving = (state: ProductionState | undefined) => state === 'submitting' || state === 'active';

function toSearch(q: ProductionListQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  return params.toString();
}

export const productionQueries = {
  all: () => ['productions'] as const,
  lists: () => [...productionQueries.all(), 'list'] as const,
  /** A page of the productions the user may see, with live job counts. */
  list: (q: ProductionListQuery) =>
    queryOptions({
      queryKey: [...productionQueries.lists(), q] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/productions?${toSearch(q)}`, ProductionPageSchema, { signal }),
      placeholderData: keepPreviousData,
      refetchInterval: (query) => (query.state.data?.items.some((p) => moving(p.state)) ? PRODUCTION_POLL_MS : false),
      refetchIntervalInBackground: false,
    }),
  details: () => [...productionQueries.all(), 'detail'] as const,
  /** One production: counts, failures, its launch; refreshed while it moves. */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...productionQueries.details(), id] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/productions/${encodeURIComponent(id)}`, ProductionDetailSchema, { signal }),
      refetchInterval: (query) => {
        if (query.state.status === 'error') return false;
        const state = query.state.data?.production.state;
        if (!state) return SUBMITTING_POLL_MS;
        return state === 'submitting' ? SUBMITTING_POLL_MS : moving(state) ? PRODUCTION_POLL_MS : false;
      },
      refetchIntervalInBackground: false,
    }),
  /** Progress over time (cumulative counts from the jobs' times); `version` changes with the counts, which refetches. */
  progress: (id: string, version: string) =>
    queryOptions({
      queryKey: [...productionQueries.all(), 'progress', id, version] as const,
      placeholderData: keepPreviousData,
      queryFn: ({ signal }) => api.get(`/bff/v1/productions/${encodeURIComponent(id)}/progress`, ProductionProgressSchema, { signal }),
    }),
  /** The outputs its jobs registered (Rucio); `version` changes with the job counts, which refetches. */
  outputs: (id: string, version: string) =>
    queryOptions({
      queryKey: [...productionQueries.all(), 'outputs', id, version] as const,
      placeholderData: keepPreviousData,
      queryFn: ({ signal }) => api.get(`/bff/v1/productions/${encodeURIComponent(id)}/outputs`, ProductionOutputsSchema, { signal }),
    }),
  /** The newest failed job of each minor status with the end of its std.err; `version` changes with the counts. */
  failureSamples: (id: string, version: string) =>
    queryOptions({
      queryKey: [...productionQueries.all(), 'failure-samples', id, version] as const,
      placeholderData: keepPreviousData,
      queryFn: ({ signal }) => api.get(`/bff/v1/productions/${encodeURIComponent(id)}/failures/stderr`, FailureSamplesSchema, { signal }),
    }),
  /** The first 64 KiB of one output, as text. */
  outputPreview: (id: string, lfn: string) =>
    queryOptions({
      queryKey: [...productionQueries.all(), 'output-preview', id, lfn] as const,
      queryFn: ({ signal }) =>
        api.get(`/bff/v1/productions/${encodeURIComponent(id)}/outputs/preview?lfn=${encodeURIComponent(lfn)}`, OutputPreviewSchema, {
          signal,
        }),
      staleTime: Infinity,
    }),
};
