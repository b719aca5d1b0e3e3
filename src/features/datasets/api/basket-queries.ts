import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { BasketSchema } from '../../../contracts/datasets.ts';
import { inputsKey, type LaunchInputs } from '../../../contracts/launches.ts';
import { LocalityAnswerSchema } from '../../../contracts/locality.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** Items per page of the basket page's table. */
export const BASKET_PANEL_PAGE = 25;

export const basketQueries = {
  all: () => ['basket'] as const,
  /**
   * One page of the basket (the basket page; the launch page's picker with the levels its workflow reads), with the
   * whole basket's figures and groups, and `matching` when filtered by level.
   */
  page: (offset: number, limit: number, levels?: readonly string[]) =>
    queryOptions({
      queryKey: [...basketQueries.all(), 'page', { offset, limit, levels: levels ?? null }] as const,
      queryFn: ({ signal }) =>
        api.get(`/bff/v1/basket?offset=${offset}&limit=${limit}${levels ? `&levels=${levels.join(',')}` : ''}`, BasketSchema, { signal }),
      placeholderData: keepPreviousData,
    }),
  /**
   * Where the files of `inputs` (chosen items, or the whole basket of some levels) have replicas, and what each
   * site would stage or transfer; one page of the files. Under the basket's key: a basket change refreshes it.
   */
  locality: (inputs: LaunchInputs, page: number, perPage: number) =>
    queryOptions({
      queryKey: [...basketQueries.all(), 'locality', inputsKey(inputs), { page, perPage }] as const,
      queryFn: ({ signal }) =>
        api.post(
          '/bff/v1/basket/locality',
          { ...('basket' in inputs ? { levels: inputs.basket.levels } : { itemIds: [...inputs.itemIds] }), page, perPage },
          LocalityAnswerSchema,
          { signal },
        ),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    }),
};
