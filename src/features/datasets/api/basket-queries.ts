import { queryOptions } from '@tanstack/react-query';
import { BasketSchema } from '../../../contracts/datasets.ts';
import { api } from '../../../shared/lib/api-client.ts';

export const basketQueries = {
  all: () => ['basket'] as const,
  current: () =>
    queryOptions({
      queryKey: [...basketQueries.all(), 'current'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/basket', BasketSchema, { signal }),
    }),
};
