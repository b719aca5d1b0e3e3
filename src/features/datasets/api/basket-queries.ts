import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { BasketSchema } from '../../../contracts/datasets.ts';
import { LocalityAnswerSchema } from '../../../contracts/locality.ts';
import { api } from '../../../shared/lib/api-client.ts';

export const basketQueries = {
  all: () => ['basket'] as const,
  current: () =>
    queryOptions({
      queryKey: [...basketQueries.all(), 'current'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/basket', BasketSchema, { signal }),
    }),
  /**
   * Where the files of these items (the whole basket when undefined) have replicas, and what each site
   * would stage or transfer; one page of the files. Under the basket's key: a basket change refreshes it.
   */
  locality: (itemIds: readonly string[] | undefined, page: number, perPage: number) =>
    queryOptions({
      queryKey: [...basketQueries.all(), 'locality', { itemIds: itemIds ? [...itemIds].sort() : null, page, perPage }] as const,
      queryFn: ({ signal }) =>
        api.post('/bff/v1/basket/locality', { ...(itemIds ? { itemIds: [...itemIds] } : {}), page, perPage }, LocalityAnswerSchema, {
          signal,
        }),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    }),
};
