import { useMutation } from '@tanstack/react-query';
import { WorkflowValidationResultSchema, type WorkflowRequest } from '../../../contracts/workflows/rules.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** POST /bff/v1/workflows/:id/validate: the BFF checks `{values, sweeps}` with the same schema as the form. */
export function useValidateWorkflow(workflowId: string) {
  return useMutation({
    mutationFn: (request: WorkflowRequest) =>
      api.post(`/bff/v1/workflows/${encodeURIComponent(workflowId)}/validate`, request, WorkflowValidationResultSchema),
    // The form shows the result (and puts field issues on the fields) itself.
    meta: { silent: true },
  });
}
