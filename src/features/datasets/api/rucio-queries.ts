import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  DatasetSourceListSchema,
  RucioBasketAddResultSchema,
  RucioDidPageSchema,
  RucioFileListSchema,
  type RucioSearchQueryInput,
} from '../../../contracts/rucio.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { refreshBasket } from './basket-mutations.ts';
import { datasetSearchParams } from './dataset-queries.ts';

export const rucioQueries = {
  sources: () =>
    queryOptions({
      queryKey: ['datasets', 'sources'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/datasets/sources', DatasetSourceListSchema, { signal }),
      staleTime: 10 * 60_000,
    }),
  search: (q: RucioSearchQueryInput) =>
    queryOptions({
      queryKey: ['datasets', 'rucio', 'dids', { ...q }] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/datasets/rucio/dids?${datasetSearchParams(q)}`, RucioDidPageSchema, { signal }),
      placeholderData: keepPreviousData,
      staleTime: 60_000,
    }),
  files: (did: string) =>
    queryOptions({
      queryKey: ['datasets', 'rucio', 'files', did] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/datasets/rucio/files?did=${encodeURIComponent(did)}`, RucioFileListSchema, { signal }),
      staleTime: 60_000,
    }),
};

/** POST /bff/v1/basket/rucio-search: DIDs picked in a Rucio search. */
export function useAddRucioSearch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (dids: string[]) => api.post('/bff/v1/basket/rucio-search', { dids }, RucioBasketAddResultSchema),
    onSuccess: (result) => refreshBasket(queryClient, result.basket),
  });
}
