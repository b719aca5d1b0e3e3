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
      // Descriptors change only when the BFF restarts.
      staleTime: 5 * 60_000,
    }),
  details: () => [...workflowQueries.all(), 'detail'] as const,
  /** One workflow with its Boutiques descriptor. */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...workflowQueries.details(), id] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/workflows/${encodeURIComponent(id)}`, WorkflowDetailSchema, { signal }),
      staleTime: 5 * 60_000,
    }),
};
