import { useMutation, useQueryClient } from '@tanstack/react-query';
import { JobActionResultSchema, type JobActionRequest } from '../../../contracts/monitor.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { jobQueries } from './job-queries.ts';

/** Kill, delete or reschedule jobs; the page shows the partial result itself. */
export function useJobAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: JobActionRequest) => api.post('/bff/v1/jobs/actions', body, JobActionResultSchema),
    meta: { silent: true },
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobQueries.all() }),
  });
}
