import { queryOptions } from '@tanstack/react-query';
import { ApplicationListSchema } from '../../../contracts/workflows/applications.ts';
import { api } from '../../../shared/lib/api-client.ts';

/** The application catalogue as administrators manage it (every version, drafts and disabled ones included). */
export const catalogueQueries = {
  all: () => ['catalogue'] as const,
  list: () =>
    queryOptions({
      queryKey: [...catalogueQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => api.get('/bff/v1/admin/applications', ApplicationListSchema, { signal }),
    }),
};
