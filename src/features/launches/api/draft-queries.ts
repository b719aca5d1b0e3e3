import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { DraftListSchema, DraftSchema, type DraftCreate, type DraftUpdate } from '../../../contracts/drafts.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** Launch drafts kept by the BFF (per user and instance). */
export const draftQueries = {
  all: () => ['launch-drafts'] as const,
  list: (workflowId: string) =>
    queryOptions({
      queryKey: [...draftQueries.all(), 'list', workflowId] as const,
      queryFn: ({ signal }) => api.get(`/bff/v1/launch-drafts?workflowId=${encodeURIComponent(workflowId)}`, DraftListSchema, { signal }),
    }),
};

export const fetchDraft = (id: string) => api.get(`/bff/v1/launch-drafts/${encodeURIComponent(id)}`, DraftSchema);

function useDraftMutation<A, R>(fn: (arg: A) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { silent: true },
    onSettled: () => queryClient.invalidateQueries({ queryKey: draftQueries.all() }),
  });
}

export const useCreateDraft = () => useDraftMutation((body: DraftCreate) => api.post('/bff/v1/launch-drafts', body, DraftSchema));
export const useUpdateDraft = () =>
  useDraftMutation(({ id, ...patch }: DraftUpdate & { id: string }) =>
    api.patch(`/bff/v1/launch-drafts/${encodeURIComponent(id)}`, patch, DraftSchema),
  );
export const useDeleteDraft = () =>
  useDraftMutation((id: string) => api.delete(`/bff/v1/launch-drafts/${encodeURIComponent(id)}`, z.null()));
