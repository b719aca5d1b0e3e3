import { useMutation, useQueryClient } from '@tanstack/react-query';
import { JobActionResultSchema, type JobActionRequest } from '../../../contracts/monitor.ts';
import { api, fetchFile } from '../../../shared/lib/api-client.ts';
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

/** Save a file the BFF serves (with the bearer token) under the name it suggests. */
export async function downloadFromBff(path: string, fallbackName: string): Promise<void> {
  const { blob, filename } = await fetchFile(path);
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename ?? fallbackName;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
