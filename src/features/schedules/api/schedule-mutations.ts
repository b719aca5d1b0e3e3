import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { AuthorizeStartSchema, ScheduleSchema, type ScheduleCreate, type ScheduleUpdate } from '../../../contracts/schedules.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { scheduleQueries } from './schedule-queries.ts';

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: scheduleQueries.all() });
}

/** Leave the SPA for DiracX's authorization page; it comes back to /schedules through the BFF's callback. */
export async function startAuthorization(scheduleId: string) {
  const { authorizeUrl } = await api.post(`/bff/v1/schedules/${encodeURIComponent(scheduleId)}/authorize`, {}, AuthorizeStartSchema);
  window.location.assign(authorizeUrl);
}

/** Create a schedule, then authorize its unattended runs (same tab). */
export function useCreateSchedule() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (body: ScheduleCreate) => {
      const s = await api.post('/bff/v1/schedules', body, ScheduleSchema);
      await invalidate();
      await startAuthorization(s.id);
      return s;
    },
    meta: { silent: true },
  });
}

export function useUpdateSchedule(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ScheduleUpdate) => api.patch(`/bff/v1/schedules/${encodeURIComponent(id)}`, body, ScheduleSchema),
    onSuccess: invalidate,
    meta: { silent: true },
  });
}

export type ScheduleAction = 'pause' | 'resume' | 'run-now';

export function useScheduleAction() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: ScheduleAction }) =>
      api.post(`/bff/v1/schedules/${encodeURIComponent(id)}/${action}`, {}, ScheduleSchema),
    onSettled: invalidate,
  });
}

export function useDeleteSchedule() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/bff/v1/schedules/${encodeURIComponent(id)}`, z.null()),
    onSuccess: invalidate,
  });
}

/** "Sign out everywhere" for unattended runs: revoke every stored authorization of the user. */
export function useRevokeAll() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () => api.post('/bff/v1/schedules/revoke-all', {}, z.object({ revoked: z.number() })),
    onSuccess: invalidate,
  });
}

export function useMarkNotificationsRead() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => api.post('/bff/v1/notifications/read', {}, z.null()), onSuccess: invalidate });
}
