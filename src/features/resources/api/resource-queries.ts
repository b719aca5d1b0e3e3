import { queryOptions } from '@tanstack/react-query';
import { ResourceCatalogueSchema } from '../../../contracts/resources.ts';
import { api } from '../../../shared/lib/api-client.ts';

export const resourceQueries = {
  all: () => ['resources'] as const,
  /** Sites → CEs → queues with their live RSS status. */
  catalogue: () =>
    queryOptions({
      queryKey: [...resourceQueries.all(), 'catalogue'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/resources', ResourceCatalogueSchema, { signal }),
      staleTime: 60_000,
    }),
};
