import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BulkResultSchema, type BulkAction } from '../../../contracts/productions.ts';
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
