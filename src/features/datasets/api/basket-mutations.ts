import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  BasketAddResultSchema,
  BasketEmptyResultSchema,
  BasketGroupResultSchema,
  BasketSchema,
  EsapImportResultSchema,
  IrfFindResultSchema,
  RucioAddResultSchema,
  type Basket,
  type BasketAdd,
  type BasketGroupUpdate,
  type EsapBasketImport,
} from '../../../contracts/datasets.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { BASKET_PANEL_PAGE, basketQueries } from './basket-queries.ts';

/**
 * Show the basket's first page the BFF answered with at once, then refetch every basket query (the answer
 * holds only the first page; another tab may have changed the basket too).
 */
export function refreshBasket(queryClient: QueryClient, basket: Basket) {
  queryClient.setQueryData(basketQueries.page(0, BASKET_PANEL_PAGE).queryKey, {
    ...basket,
    items: basket.items.slice(0, BASKET_PANEL_PAGE),
  });
  return queryClient.invalidateQueries({ queryKey: basketQueries.all() });
}

/** POST /bff/v1/basket/items: selected catalogue files, or every file matching a search. */
export function useAddToBasket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: BasketAdd) => api.post('/bff/v1/basket/items', request, BasketAddResultSchema),
    onSuccess: (result) => refreshBasket(queryClient, result.basket),
  });
}

/** POST /bff/v1/basket/rucio: the dialog shows its own errors and the invalid lines. */
export function useAddRucioDids() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (dids: string) => api.post('/bff/v1/basket/rucio', { dids }, RucioAddResultSchema),
    meta: { silent: true },
    onSuccess: (result) => refreshBasket(queryClient, result.basket),
  });
}

/** POST /bff/v1/basket/esap: the dialog shows its own errors and the summary. */
export function useImportEsapBasket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (basket: EsapBasketImport) => api.post('/bff/v1/basket/esap', basket, EsapImportResultSchema),
    meta: { silent: true },
    onSuccess: (result) => refreshBasket(queryClient, result.basket),
  });
}

/** DELETE /bff/v1/basket/items/:itemId */
export function useRemoveBasketItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (itemId: string) => api.delete(`/bff/v1/basket/items/${encodeURIComponent(itemId)}`, BasketSchema),
    onSuccess: (basket) => refreshBasket(queryClient, basket),
    // Already gone (another tab): show the basket as it is now.
    onError: () => queryClient.invalidateQueries({ queryKey: basketQueries.all() }),
  });
}

/** DELETE /bff/v1/basket: the confirmation dialog shows its own error. */
export function useEmptyBasket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/bff/v1/basket', BasketEmptyResultSchema),
    meta: { silent: true },
    onSuccess: (result) => refreshBasket(queryClient, result.basket),
  });
}

/** PATCH /bff/v1/basket/items: group (or ungroup, with null) some items; the form shows its own error. */
export function useGroupBasketItems() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (update: BasketGroupUpdate) => api.patch('/bff/v1/basket/items', update, BasketGroupResultSchema),
    meta: { silent: true },
    onSuccess: (result) => refreshBasket(queryClient, result.basket),
  });
}

/** POST /bff/v1/basket/irfs: the IRFs of the selected DL3 files go into the basket. */
export function useFindIrfs() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (itemIds: string[]) => api.post('/bff/v1/basket/irfs', { itemIds }, IrfFindResultSchema),
    onSuccess: (result) => refreshBasket(queryClient, result.basket),
  });
}
