import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BulkResultSchema, type BulkAction } from '../../../contracts/productions.ts';
import { OutputsToBasketResultSchema } from '../../../contracts/outputs.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { productionQueries } from './production-queries.ts';

/** `POST /bff/v1/productions/:id/actions/:action`: reschedule all failed / kill all remaining, with per-job results. */
export function useBulkAction(productionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: BulkAction) =>
      api.post(`/bff/v1/productions/${encodeURIComponent(productionId)}/actions/${action}`, {}, BulkResultSchema),
    // The dialog shows the outcome (and the error) itself.
    meta: { silent: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: productionQueries.all() }),
  });
}

/**
 * `POST /bff/v1/productions/:id/outputs/basket`: the outputs become basket items (Rucio DIDs), input of a next
 * launch. The page composing this feature refreshes the basket (`onAdded`): features do not know each other's keys.
 */
export function useAddOutputsToBasket(productionId: string, onAdded?: () => void) {
  return useMutation({
    mutationFn: () => api.post(`/bff/v1/productions/${encodeURIComponent(productionId)}/outputs/basket`, {}, OutputsToBasketResultSchema),
    meta: { silent: true },
    onSuccess: () => onAdded?.(),
  });
}
