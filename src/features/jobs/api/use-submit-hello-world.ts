import { useMutation, useQueryClient } from '@tanstack/react-query';
import { SubmissionResultSchema, type HelloWorldRequest } from '../../../contracts/jobs.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { jobQueries } from './job-queries.ts';

/** POST /bff/v1/jobs/hello-world (201 created, 200 when the idempotency key was already used). */
export function useSubmitHelloWorld() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: HelloWorldRequest) => api.post('/bff/v1/jobs/hello-world', request, SubmissionResultSchema),
    // The card shows its own error next to the form.
    meta: { silent: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobQueries.lists() }),
  });
}
