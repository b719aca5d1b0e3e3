import { queryOptions } from '@tanstack/react-query';
import { WorkflowDetailSchema, WorkflowListSchema } from '../../../contracts/workflows/catalogue.ts';
import { api } from '../../../shared/lib/api-client.ts';

export const workflowQueries = {
  all: () => ['workflows'] as const,
  /** The catalogue (summaries). */
  list: () =>
    queryOptions({
      queryKey: [...workflowQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/workflows', WorkflowListSchema, { signal }),
      // Administrators publish versions rarely; the catalogue page refetches after its own changes.
      staleTime: 5 * 60_000,
    }),
  details: () => [...workflowQueries.all(), 'detail'] as const,
  /** One workflow with its Boutiques descriptor: its newest published version, or `version`. */
  detail: (id: string, version?: number) =>
    queryOptions({
      queryKey: [...workflowQueries.details(), id, version ?? 'newest'] as const,
      queryFn: ({ signal }) =>
        api.get(`/bff/v1/workflows/${encodeURIComponent(id)}${version ? `?version=${version}` : ''}`, WorkflowDetailSchema, { signal }),
      staleTime: 5 * 60_000,
    }),
};
