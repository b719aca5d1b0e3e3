import { queryOptions } from '@tanstack/react-query';
import { InstanceListSchema, MeSchema } from '../../../contracts/auth.ts';
import { api } from '../../../shared/lib/api-client.ts';

export const authQueries = {
  all: () => ['auth'] as const,
  /** DiracX instances with their VOs and groups (no token needed: the sign-in page uses it). */
  instances: () =>
    queryOptions({
      queryKey: [...authQueries.all(), 'instances'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/instances', InstanceListSchema, { signal, auth: false }),
      staleTime: 60_000,
    }),
  /** Who the BFF says the bearer of the current token is (role, VO, group…). */
  me: () =>
    queryOptions({
      queryKey: [...authQueries.all(), 'me'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/me', MeSchema, { signal }),
      staleTime: 5 * 60_000,
    }),
};
